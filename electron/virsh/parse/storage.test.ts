import { describe, expect, it } from 'vitest';
import { fixture } from '../testing/fixture';
import { parsePoolInfo, parsePoolXml, parseQemuImgInfo, parseVolumeXml } from './storage';

describe('pool-info --bytes', () => {
  it('reads exact sizes of a running pool (virsh 9.0, test:///default)', () => {
    expect(parsePoolInfo(fixture('storage-test-pool-info-bytes.txt'))).toEqual({
      name: 'default-pool',
      uuid: 'dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566',
      state: 'running',
      stateText: 'running',
      persistent: true,
      autostart: false,
      capacity: '107374182400',
      allocation: '8388608',
      available: '107365793792',
    });
  });

  it('has no sizes for an inactive pool with a hostile name (virsh 9.0, test:///default)', () => {
    expect(parsePoolInfo(fixture('storage-test-pool-info-inactive.txt'))).toMatchObject({ name: 'pool "x" --y', state: 'inactive', capacity: null, available: null });
  });

  it('reads an fs pool on a loop device (virsh 9.0, qemu:///system)', () => {
    expect(parsePoolInfo(fixture('storage-qemu-pool-info-fs.txt'))).toMatchObject({ state: 'running', capacity: '14410752', available: '14396416' });
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
      capacity: '1048576',
      allocation: '1048576',
      physical: null,
      backing: null,
      compat: null,
    });
  });

  it('reads the backing store and physical size (virsh 9.0, qemu:///system, qcow2 overlay)', () => {
    const v = parseVolumeXml(fixture('storage-qemu-vol-dumpxml-backing.txt'));
    expect(v).toMatchObject({ name: 'overlay.qcow2', format: 'qcow2', capacity: '10485760', physical: '196616' });
    expect(v.backing).toEqual({ path: expect.stringMatching(/\/pool dir\/base\.qcow2$/), format: 'qcow2' });
  });

  it('reads the qcow2 compat level: 1.1 for v3, none for v2 (virsh 9.0, qemu:///system, files made by qemu-img)', () => {
    expect(parseVolumeXml(fixture('storage-qemu-vol-dumpxml-qcow2-v3.txt'))).toMatchObject({ name: 'v3 disk.qcow2', format: 'qcow2', compat: '1.1' });
    expect(parseVolumeXml(fixture('storage-qemu-vol-dumpxml-qcow2-v2.txt'))).toMatchObject({ name: 'v2.qcow2', format: 'qcow2', compat: null });
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

describe('sizes no JSON number holds, pools of every type and state (virsh 9.0, test:///…/every-kind-host.xml, capture-odd-host.mjs)', () => {
  it('keeps 18446744073709551615 bytes available (volumes exceeding a SCSI pool) exact, as a decimal string', () => {
    const info = parsePoolInfo(fixture('odd-test-pool-info-overflow.txt'));
    expect(info).toMatchObject({ name: 'pool-scsi', state: 'running', capacity: '107374182400', allocation: '107374182401', available: '18446744073709551615' });
    // and the human form virsh prints without --bytes says why this matters
    expect(fixture('odd-test-pool-info-overflow-human.txt')).toContain('16.00 EiB');
  });

  it('reads a volume of 2^63−1 bytes exactly', () => {
    expect(parseVolumeXml(fixture('odd-test-vol-dumpxml-huge.txt'))).toMatchObject({ name: 'Name backup.qcow2', type: 'block', capacity: '9223372036854775807', allocation: '107374181377' });
  });

  it('scales units exactly up to 2^64−1, and gives null (not 0 or a rounded number) for what it cannot read', () => {
    const vol = (cap: string) => parseVolumeXml(`<volume><name>v</name>${cap}<allocation>x</allocation></volume>`);
    expect(vol("<capacity unit='EiB'>15</capacity>").capacity).toBe((15n * 2n ** 60n).toString());
    expect(vol("<capacity unit='bytes'>18446744073709551615</capacity>").capacity).toBe('18446744073709551615');
    expect(vol("<capacity unit='bogus'>1</capacity>").capacity).toBeNull();
    expect(vol('<capacity>1.5</capacity>').allocation).toBeNull();
  });

  it('reads pools of the types libvirt knows beyond the common ones', () => {
    const types = ['iscsi-direct', 'sheepdog', 'vstorage', 'zfs', 'gluster', 'mpath'];
    expect(types.map((t) => parsePoolXml(fixture(`odd-test-pool-dumpxml-${t}.txt`)))).toEqual([
      { type: 'iscsi-direct', name: 'pool-iscsi-direct', uuid: '00000000-0000-4000-8000-000000000007', targetPath: null, source: 'iscsi.example:iqn.2013-06.com.example:iscsi-pool' },
      { type: 'sheepdog', name: 'pool-sheepdog', uuid: '00000000-0000-4000-8000-00000000000b', targetPath: null, source: 'sheep.example:7000:sheep' },
      { type: 'vstorage', name: 'pool-vstorage', uuid: '00000000-0000-4000-8000-00000000000e', targetPath: '/pools/vstorage', source: 'cluster1' },
      { type: 'zfs', name: 'pool-zfs', uuid: '00000000-0000-4000-8000-00000000000d', targetPath: '/dev/zvol/tank', source: 'tank' },
      { type: 'gluster', name: 'pool-gluster', uuid: '00000000-0000-4000-8000-00000000000c', targetPath: null, source: 'gluster.example:gv0 /' },
      { type: 'mpath', name: 'pool-mpath', uuid: '00000000-0000-4000-8000-000000000009', targetPath: '/pools/mpath', source: null },
    ]);
  });

  it('knows every state virsh prints, and says so when it meets one it does not know', () => {
    // virsh's virshStoragePoolStateToString; the test driver only produces running and inactive.
    const info = (state: string) => parsePoolInfo(`Name:           p\nUUID:           00000000-0000-4000-8000-000000000001\nState:          ${state}\nPersistent:     yes\nAutostart:      no\n`);
    for (const s of ['inactive', 'building', 'running', 'degraded', 'inaccessible'] as const) expect(info(s).state).toBe(s);
    expect(info('reticulating')).toMatchObject({ state: null, stateText: 'reticulating' });
  });
});
