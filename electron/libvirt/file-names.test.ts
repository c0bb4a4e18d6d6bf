import { describe, expect, it } from 'vitest';
import { fileSafe, freshName } from './file-names';

describe('file names Virtdeck makes', () => {
  it('untrusted names become file-name parts that are neither hidden nor option-like', () => {
    expect(fileSafe('--x $(id) ä/b')).toBe('_-x___id____b');
    expect(fileSafe('.vm')).toBe('_vm');
    expect(fileSafe('a.b_c-d')).toBe('a.b_c-d');
  });
  it('a fresh name: the plain one, else the first free number (from 1, or from 2)', () => {
    expect(freshName('d', new Set())).toBe('d');
    expect(freshName('d', new Set(['d.qcow2', 'd-1.qcow2']), { ext: '.qcow2' })).toBe('d-2.qcow2');
    expect(freshName('d', new Set(['d.img']), { ext: '.img', first: 2 })).toBe('d-2.img');
  });
});
