import { describe, expect, it } from 'vitest';
import { formatKiB, formatPct, formatRate } from './units';

describe('formatKiB', () => {
  it('uses binary units with at most one decimal', () => {
    expect(formatKiB(524288)).toBe('512 MiB');
    expect(formatKiB(1048576)).toBe('1 GiB');
    expect(formatKiB(1572864)).toBe('1.5 GiB');
    expect(formatKiB(2 * 1024 * 1024 * 1024)).toBe('2 TiB');
    expect(formatKiB(1000)).toBe('1000 KiB');
    expect(formatKiB(1023 * 1024)).toBe('1023 MiB');
    expect(formatKiB(0)).toBe('0 KiB');
    expect(formatKiB(1024 * 1024 * 1.04)).toBe('1 GiB');
  });

  it('shows nothing for unknown values', () => {
    expect(formatKiB(null)).toBe('');
    expect(formatKiB(undefined)).toBe('');
    expect(formatKiB(Number.NaN)).toBe('');
    expect(formatKiB(-1)).toBe('');
  });
});

describe('formatPct', () => {
  it('keeps one decimal below 10 and rounds above', () => {
    expect(formatPct(0)).toBe('0.0%');
    expect(formatPct(0.44)).toBe('0.4%');
    expect(formatPct(9.96)).toBe('10.0%');
    expect(formatPct(12.5)).toBe('13%');
    expect(formatPct(100)).toBe('100%');
    expect(formatPct(-0.1)).toBe('0.0%');
    expect(formatPct(null)).toBe('');
  });
});

describe('formatRate', () => {
  it('scales bytes per second', () => {
    expect(formatRate(0)).toBe('0 B/s');
    expect(formatRate(1536)).toBe('1.5 KiB/s');
    expect(formatRate(3 * 1024 * 1024)).toBe('3 MiB/s');
    expect(formatRate(null)).toBe('');
  });
});
