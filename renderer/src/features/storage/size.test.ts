import { describe, expect, it } from 'vitest';
import { formatBytes, parseSize, splitSize, usedPct } from './size';

describe('storage sizes', () => {
  it('formats bytes in binary units like libvirt reports them', () => {
    expect(formatBytes(64 * 1024 ** 2)).toBe('64 MiB');
    expect(formatBytes(1.5 * 1024 ** 3)).toBe('1.5 GiB');
    expect(formatBytes(107374182400)).toBe('100 GiB');
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(null)).toBe('');
  });

  it('formats the decimal strings sizes travel in, up to 2^64−1, and shares of them', () => {
    expect(formatBytes('18446744073709551615')).toBe('16 EiB');
    expect(formatBytes('9223372036854775807')).toBe('8 EiB');
    expect(formatBytes('1073741824')).toBe('1 GiB');
    expect(formatBytes('not a size')).toBe('');
    expect(usedPct('107374182401', '107374182400')).toBe(100);
    expect(usedPct('0', '18446744073709551615')).toBe(0);
  });

  it('parses what users type in the size field', () => {
    expect(parseSize('64', 'MiB')).toBe(64 * 1024 ** 2);
    expect(parseSize('1.5', 'GiB')).toBe(1.5 * 1024 ** 3);
    expect(parseSize('1,5', 'GiB')).toBe(1.5 * 1024 ** 3);
    expect(parseSize('0', 'GiB')).toBeNull();
    expect(parseSize('-1', 'GiB')).toBeNull();
    expect(parseSize('10G', 'GiB')).toBeNull();
  });

  it('prefills a resize with the largest whole unit', () => {
    expect(splitSize(20 * 1024 ** 3)).toEqual({ text: '20', unit: 'GiB' });
    expect(splitSize(1536 * 1024 ** 2)).toEqual({ text: '1536', unit: 'MiB' });
  });

  it('computes the used share for capacity bars', () => {
    expect(usedPct(25, 100)).toBe(25);
    expect(usedPct(null, 100)).toBeNull();
    expect(usedPct(5, 0)).toBeNull();
  });
});
