import { describe, expect, it } from 'vitest';
import { baseOf, conflictingPool, convertStep, dirOf, downloadStep, sparseRaw, tempPoolStep, transitName, undefineDestStep, undefineSourceStep } from './offline-steps';

describe('offline move steps', () => {
  it('flattens a chain with vol-create-from into a qcow2 volume beside it; untrusted names stay single arguments', () => {
    const s = convertStep('pool-uuid', '--vol "x" $(id)', transitName('--vol "x" $(id)', 'ab12'), '67108864', 'qcow2');
    expect(s.argv).toEqual(['vol-create-from', '--pool', 'pool-uuid', '--file', '/dev/stdin', '--inputpool', 'pool-uuid', '--vol', '--vol "x" $(id)']);
    expect(s.stdin).toContain('<name>--vol "x" $(id).virtdeck-transit-ab12</name>');
    expect(s.stdin).toContain(`<capacity unit='bytes'>67108864</capacity>`);
    expect(s.stdin).toContain(`<format type='qcow2'/>`);
    expect(s.long).toBe(true);
  });

  it('sends a raw image as qcow2 only when it is mostly holes', () => {
    const MiB = 2 ** 20;
    expect(sparseRaw('raw', String(512 * MiB), String(4 * MiB))).toBe(true);
    expect(sparseRaw('raw', String(512 * MiB), String(512 * MiB))).toBe(false);
    expect(sparseRaw('raw', String(32 * MiB), '0')).toBe(false); // too small to matter
    expect(sparseRaw('qcow2', String(512 * MiB), '0')).toBe(false);
    expect(sparseRaw('raw', null, '0')).toBe(false);
    expect(convertStep('p', 't', 'final', '1', 'raw').stdin).toContain(`<format type='raw'/>`);
  });

  it('downloads to stdout quietly, and names where the data goes for the preview', () => {
    expect(downloadStep('u', 'd.qcow2')).toEqual({ argv: ['-q', 'vol-download', '--pool', 'u', '--vol', 'd.qcow2', '--file', '/dev/stdout'], stdoutFile: 'the destination host' });
  });

  it('undefines the source with its NVRAM only when one was copied; the destination rollback likewise', () => {
    expect(undefineSourceStep('u', false).argv).toEqual(['undefine', '--domain', 'u', '--managed-save', '--snapshots-metadata', '--checkpoints-metadata']);
    expect(undefineSourceStep('u', true).argv.at(-1)).toBe('--nvram');
    expect(undefineDestStep('u', true).argv).toEqual(['undefine', '--domain', 'u', '--nvram']);
  });

  it('temporary NVRAM pools: --build only where the folder may be missing', () => {
    expect(tempPoolStep('t', '/var/lib/libvirt/qemu/nvram', true).argv).toEqual(['pool-create-as', '--name', 't', '--type', 'dir', '--target', '/var/lib/libvirt/qemu/nvram', '--build']);
    expect(tempPoolStep('t', '/d', false).argv).not.toContain('--build');
    expect([dirOf('/a/b/c.fd'), baseOf('/a/b/c.fd'), dirOf('/c.fd')]).toEqual(['/a/b', 'c.fd', '/']);
  });

  it('finds the pool libvirt names when a folder already belongs to one', () => {
    expect(conflictingPool("operation failed: Storage source conflict with pool: 'nvram'")).toBe('nvram');
    expect(conflictingPool('some other error')).toBeNull();
  });
});
