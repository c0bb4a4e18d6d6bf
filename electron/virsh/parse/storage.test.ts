import { describe, expect, it } from 'vitest';
import { fixture } from '../testing/fixture';
import { parsePoolInfo, parsePoolXml, parseQemuImgInfo, parseVolumeXml } from './storage';

describe('pool-info --bytes', () => {
  it('reads exact sizes of a running pool (virsh 9.0, test:///default)', () => {
    expect(parsePoolInfo(fixture('storage-test-pool-info-bytes.txt'))).toEqual({
      name: 'default-pool',
      uuid: 'dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566',
      state: 'running',
      persistent: true,
      autostart: false,
      capacity: 107374182400,
      allocation: 8388608,
      available: 107365793792,
    });
  });

  it('has no sizes for an inactive pool with a hostile name (virsh 9.0, test:///default)', () => {
    expect(parsePoolInfo(fixture('storage-test-pool-info-inactive.txt'))).toMatchObject({ name: 'pool "x" --y', state: 'inactive', capacity: null, available: null });
  });

  it('reads an fs pool on a loop device (virsh 9.0, qemu:///system)', () => {
    expect(parsePoolInfo(fixture('storage-qemu-pool-info-fs.txt'))).toMatchObject({ state: 'running', capacity: 14410752, available: 14396416 });
  });
});

describe('pool-dumpxml', () => {
  it('gives type, target and a source line (virsh 9.0)', () => {
    expect(parsePoolXml(fixture('storage-test-pool-dumpxml.txt'))).toEqual({ type: 'dir', name: 'default-pool', uuid: 'dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566', targetPath: '/default-pool', source: null });
    expect(parsePoolXml(fixture('storage-qemu-pool-dumpxml-fs.txt'))).toMatchObject({ type: 'fs', source: '/dev/loop0' });
  });

  it('summarises network sources', () => {
    const xml = "<pool type='netfs'><name>n</name><source><host name='nfs.example'/><dir path='/export'/><format type='nfs'/></source><target><path>/mnt</path></target></pool>";
    expect(parsePoolXml(xml).source).toBe('nfs.example:/export');
  });
});

describe('vol-dumpxml', () => {
  it('reads name, path, format and sizes (virsh 9.0, test:///default)', () => {
    expect(parseVolumeXml(fixture('storage-test-vol-dumpxml.txt'))).toEqual({
      name: 'disk 1.qcow2',
      key: '/default-pool/disk 1.qcow2',
      path: '/default-pool/disk 1.qcow2',
      type: 'file',
      format: 'qcow2',
      capacity: 1048576,
      allocation: 1048576,
      physical: null,
      backing: null,
    });
  });

  it('reads the backing store and physical size (virsh 9.0, qemu:///system, qcow2 overlay)', () => {
    const v = parseVolumeXml(fixture('storage-qemu-vol-dumpxml-backing.txt'));
    expect(v).toMatchObject({ name: 'overlay.qcow2', format: 'qcow2', capacity: 10485760, physical: 196616 });
    expect(v.backing).toEqual({ path: expect.stringMatching(/\/pool dir\/base\.qcow2$/), format: 'qcow2' });
  });
});

describe('qemu-img info --output=json', () => {
  it('reads the backing chain (qemu-img 7.2, `--backing-chain -U`)', () => {
    const chain = parseQemuImgInfo(fixture('qemu-img-info-chain.json'));
    expect(chain).toHaveLength(2);
    expect(chain[0]).toMatchObject({ format: 'qcow2', virtualSize: 10485760, backingFilename: expect.stringMatching(/base\.qcow2$/), dirty: false });
    expect(chain[1]!.backingFilename).toBeNull();
  });

  it('lists internal snapshots', () => {
    const [img] = parseQemuImgInfo(fixture('qemu-img-info-snapshot.json'));
    expect(img!.snapshots).toEqual([{ id: '1', name: 'snap one', vmStateSize: 0, date: expect.stringMatching(/^20\d\d-/) }]);
  });
});
