/** Which disks depend on a base: the pure part of the delete refusal (chains as read by vol-dumpxml on libvirt 9.0). */
import { describe, expect, it } from 'vitest';
import { baseRefusal, dependentsOf, type DiskChain } from './backing-chains';

const disk = (name: string, uuid: string, source: string, backing: string[]): DiskChain => ({ uuid, name, target: 'vdb', type: 'file', source, backing: backing.map((path) => ({ path, format: 'qcow2' })) });

describe('dependentsOf', () => {
  const chains = [
    disk('tpl', 'u1', '/p/base.qcow2', []),
    disk('linked', 'u2', '/p/linked.qcow2', ['/p/base.qcow2']),
    disk('deep', 'u3', '/p/snap.qcow2', ['/p/mid.qcow2', '/p/base.qcow2']),
  ];
  it('finds every VM whose chain holds the file, at any depth', () => {
    expect(dependentsOf(chains, '/p/base.qcow2').map((d) => d.name)).toEqual(['linked', 'deep']);
    expect(dependentsOf(chains, '/p/mid.qcow2').map((d) => d.name)).toEqual(['deep']);
  });
  it("ignores the VM being deleted (its own overlays go with it) and a file that is no one's base", () => {
    expect(dependentsOf(chains, '/p/mid.qcow2', 'u3')).toEqual([]);
    expect(dependentsOf(chains, '/p/linked.qcow2')).toEqual([]);
  });
});

describe('baseRefusal', () => {
  it('names the VM disks and the volumes built on each file, and nothing when none are', () => {
    expect(baseRefusal([])).toBeNull();
    const e = baseRefusal([['/p/base.qcow2', { vms: [{ uuid: 'u2', name: 'linked', target: 'vdb' }], overlays: ['/p/o.qcow2'] }]])!;
    expect(e.code).toBe('unsupported');
    expect(e.message).toBe('Refused: “/p/base.qcow2” is the base (backing file) of “linked” (vdb), the volume “/p/o.qcow2”. Deleting it would break those disks; delete the clones first.');
  });
});
