import { describe, expect, it } from 'vitest';
import { validateHostPath } from './host-path';

describe('validateHostPath', () => {
  it('wants an absolute file path', () => {
    expect(validateHostPath('/var/lib/libvirt/images/a.save')).toBeNull();
    expect(validateHostPath('  /tmp/x  ')).toBeNull();
    expect(validateHostPath('')).toBe('path.required');
    expect(validateHostPath('a.save')).toBe('path.absolute');
    expect(validateHostPath('~/a.save')).toBe('path.absolute');
    expect(validateHostPath('/tmp/')).toBe('path.isDirectory');
    expect(validateHostPath('/a\0b')).toBe('path.invalid');
    expect(validateHostPath(`/${'a'.repeat(5000)}`)).toBe('path.tooLong');
  });
});
