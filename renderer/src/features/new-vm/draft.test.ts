import { describe, expect, it } from 'vitest';
import { initialDraft, missingByStep, randomMac, toSpec, type Draft } from './draft';

const POOL = '11111111-2222-3333-4444-555555555555';
const UUID = '5d7e57a1-0000-4e2e-8d0c-aaaaaaaaaaaa';
const base = (over: Partial<Draft> = {}): Draft => ({
  ...initialDraft('h1', UUID, '52:54:00:aa:bb:cc'),
  iso: { mode: 'volume', poolUuid: POOL, volume: 'test.iso', path: '' },
  poolUuid: POOL,
  network: 'default',
  name: 'web-1',
  ...over,
});

describe('the wizard form as a spec', () => {
  it('keeps the UUID and the generated MAC, so plan, preview and create describe the same VM', () => {
    const spec = toSpec(base())!;
    expect(spec.uuid).toBe(UUID);
    expect(spec.network).toEqual({ kind: 'network', network: 'default', mac: '52:54:00:aa:bb:cc' });
    expect(spec.source).toEqual({ kind: 'iso', iso: { type: 'volume', poolUuid: POOL, name: 'test.iso' } });
    expect(spec.storage).toEqual({ kind: 'new', poolUuid: POOL, sizeBytes: 20 * 1024 ** 3, format: 'qcow2', preallocation: 'none' });
  });

  it('takes hostile names as they are, but not "/" or line breaks', () => {
    expect(toSpec(base({ name: `--x '$(rm -rf ~)' "; <b>` }))?.name).toBe(`--x '$(rm -rf ~)' "; <b>`);
    expect(toSpec(base({ name: 'a/b' }))).toBeNull();
    expect(missingByStep(base({ name: 'a\nb' })).finish).toEqual(['newvm.missing.name']);
  });

  it('needs an import format chosen by the user, never guessed', () => {
    const d = base({ sourceKind: 'import', importDisk: { mode: 'path', poolUuid: '', volume: '', path: '/var/lib/img/disk.qcow2' }, storageKind: 'none' });
    expect(missingByStep(d).source).toEqual(['newvm.missing.format']);
    expect(toSpec({ ...d, importFormat: 'raw' })?.source).toEqual({ kind: 'import', disk: { type: 'path', path: '/var/lib/img/disk.qcow2' }, format: 'raw' });
  });

  it('accepts only absolute host paths', () => {
    expect(missingByStep(base({ iso: { mode: 'path', poolUuid: '', volume: '', path: 'relative.iso' } })).source).toEqual(['newvm.missing.iso']);
  });

  it('builds direct kernel boot with optional initrd and cmdline', () => {
    const d = base({ sourceKind: 'kernel', kernel: { mode: 'path', poolUuid: '', volume: '', path: '/boot/vmlinuz' }, initrd: { mode: 'path', poolUuid: '', volume: '', path: '/boot/initrd' }, cmdline: 'console=ttyS0' });
    expect(toSpec(d)?.source).toEqual({ kind: 'kernel', kernel: { type: 'path', path: '/boot/vmlinuz' }, initrd: { type: 'path', path: '/boot/initrd' }, cmdline: 'console=ttyS0' });
  });

  it('says which numbers are wrong instead of sending them', () => {
    const m = missingByStep(base({ memoryMiB: '8', vcpus: '0', cpuset: '0-3,x' }));
    expect(m.resources).toEqual(['newvm.missing.memory', 'newvm.missing.vcpus', 'newvm.missing.cpuset']);
  });

  it('asks Secure Boot only with UEFI', () => {
    expect(toSpec(base({ firmware: 'bios', secureBoot: true }))?.secureBoot).toBe(false);
    expect(toSpec(base({ firmware: 'efi', secureBoot: true }))?.secureBoot).toBe(true);
  });

  it('checks a typed MAC and generates QEMU-prefixed ones', () => {
    expect(missingByStep(base({ macMode: 'typed', typedMac: '52:54:00:zz:00:00' })).network).toEqual(['newvm.missing.mac']);
    expect(randomMac(new Uint8Array([1, 0xab, 255]))).toBe('52:54:00:01:ab:ff');
  });
});
