// Fixtures: libvirt 9.0.0 (Debian 12), interactive `virsh -q -c qemu:///system` on a copy of the
// TCG test guest with one qcow2 disk (vdb), running, snapshots s1 (internal, memory), s2
// (external disk-only, child of s1), s3 (external memory + disk, child of s2).
import { describe, expect, it } from 'vitest';
import { fixture } from '../testing/fixture';
import { parseDaemonVersion, parseSnapshotNames, parseSnapshotXml, versionAtLeast } from './snapshot';

describe('snapshot parsers', () => {
  it('the tree shows an internal snapshot with memory, its time, state, description and the disk file holding it (snapshot-dumpxml)', () => {
    expect(parseSnapshotXml(fixture('qemu-snapshot-dumpxml-internal-memory.xml'), false)).toEqual({
      name: 's1', parent: null, current: false, createdAt: 1796518900_000, state: 'running', description: 'first one',
      location: 'internal', memory: true, files: [{ role: 'internal', path: '/tmp/snapprobe/d.qcow2', disk: 'vdb' }],
      uses: ['/tmp/snapprobe/d.qcow2'],
    });
  });
  it('an external disk-only snapshot names its overlay and its parent (snapshot-dumpxml)', () => {
    expect(parseSnapshotXml(fixture('qemu-snapshot-dumpxml-external-disk.xml'), true)).toMatchObject({
      name: 's2', parent: 's1', current: true, state: 'disk-snapshot', description: '', location: 'external', memory: false,
      files: [{ role: 'overlay', path: '/tmp/snapprobe/d.s2', disk: 'vdb' }],
      uses: ['/tmp/snapprobe/d.qcow2'], // what the VM ran on when it was taken
    });
  });
  it('an external snapshot with memory lists its memory file and overlay (snapshot-dumpxml)', () => {
    expect(parseSnapshotXml(fixture('qemu-snapshot-dumpxml-external-memory.xml'), false)).toMatchObject({
      name: 's3', parent: 's2', state: 'running', location: 'external', memory: true,
      files: [{ role: 'memory', path: '/tmp/snapprobe/s3.mem' }, { role: 'overlay', path: '/tmp/snapprobe/d.s3.qcow2', disk: 'vdb' }],
      uses: ['/tmp/snapprobe/d.s2', '/tmp/snapprobe/d.qcow2'], // the overlay it was taken on, with its backing file
    });
  });
  it('names, one a line, blanks inside kept (snapshot-list --name)', () => {
    expect(parseSnapshotNames(fixture('qemu-snapshot-list-name.txt'))).toEqual(['s1', 's2', 's4']);
    expect(parseSnapshotNames('before upgrade\n a b \n\n')).toEqual(['before upgrade', ' a b ']);
  });
  it('the daemon version decides external revert (version --daemon)', () => {
    const v = parseDaemonVersion(fixture('qemu-version-daemon.txt'));
    expect(v).toBe('9.0.0');
    expect(versionAtLeast(v!, '9.9.0')).toBe(false);
    expect(versionAtLeast('9.10.0', '9.9.0')).toBe(true);
    expect(versionAtLeast('10.0.0', '9.9.0')).toBe(true);
    expect(parseDaemonVersion('Using library: libvirt 9.0.0\n')).toBeNull();
  });
});
