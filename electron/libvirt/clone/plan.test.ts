/**
 * virt-clone's rules on the test guest's definition (`virsh dumpxml --inactive vd-test-guest`,
 * libvirt 9.0.0) with a qcow2 disk and a CD-ROM added (fixtures/guest-with-disks.xml).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CloneFacts, PoolFact } from './facts';
import { renamedPath } from './identity';
import { cloneOptions, defaultCloneName, planClone, proposeVolumeName } from './plan';

const xml = readFileSync(join(__dirname, 'fixtures/guest-with-disks.xml'), 'utf8');
const pool: PoolFact = { uuid: '11111111-2222-3333-4444-555555555555', name: 'images', path: '/pool', available: '1000000000' };
const other: PoolFact = { uuid: '11111111-2222-3333-4444-666666666666', name: 'fast', path: '/fast', available: '1000000000' };

function facts(over: Partial<CloneFacts> = {}): CloneFacts {
  return {
    uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ffee01',
    xml,
    name: 'vd-test-guest',
    running: false,
    template: false,
    names: new Set(['vd-test-guest', 'vd-test-guest-clone']),
    pools: [pool, other],
    volumes: new Map([[pool.uuid, new Set(['vd-test-guest-disk.qcow2'])], [other.uuid, new Set<string>()]]),
    disks: [
      { index: 0, target: 'vda', device: 'disk', type: 'file', source: '/pool/vd-test-guest-disk.qcow2', format: 'qcow2', readonly: false, shareable: false, vol: { pool, name: 'vd-test-guest-disk.qcow2', path: '/pool/vd-test-guest-disk.qcow2', format: 'qcow2', capacity: 1 << 24, allocation: 1 << 20 }, backing: [] },
      { index: 1, target: 'sda', device: 'cdrom', type: 'file', source: '/isos/install.iso', format: 'raw', readonly: true, shareable: false, vol: null, backing: [] },
    ],
    nvram: null,
    tpmEmulator: false,
    ...over,
  };
}

describe('clone names', () => {
  it('NAME-clone, then NAME-clone1, NAME-clone2 (virt-clone)', () => {
    expect(defaultCloneName('a', new Set())).toBe('a-clone');
    expect(defaultCloneName('a', new Set(['a-clone', 'a-clone1']))).toBe('a-clone2');
  });
  it('new file names say whose they are and are never taken', () => {
    expect(proposeVolumeName('old-disk.qcow2', 'old', 'new', 'vda', new Set())).toBe('new-disk.qcow2');
    expect(proposeVolumeName('disk.img', 'old', 'new', 'vda', new Set())).toBe('new-vda.img');
    expect(proposeVolumeName('disk.img', 'old', 'new', 'vda', new Set(['new-vda.img', 'new-vda-2.img']))).toBe('new-vda-3.img');
  });
  it('serial log paths follow the new name', () => {
    expect(renamedPath('/var/log/libvirt/qemu/vd-test-guest-serial.log', 'vd-test-guest', 'x y')).toBe('/var/log/libvirt/qemu/x y-serial.log');
    expect(renamedPath('/tmp/console.log', 'vm', 'c')).toBe('/tmp/console-c.log');
  });
});

describe('clone plan', () => {
  it('offers copy for a writable disk, share for the CD-ROM; linked needs a template', () => {
    const o = cloneOptions(facts());
    expect(o.defaultName).toBe('vd-test-guest-clone1');
    expect(o.disks.map((d) => [d.target, d.defaultMode, d.proposedName])).toEqual([['vda', 'copy', 'vd-test-guest-clone1-disk.qcow2'], ['sda', 'share', '']]);
    expect(o.disks[0]!.modes.find((m) => m.mode === 'linked')!.reason).toMatch(/template/);
    expect(o.disks[0]!.modes.find((m) => m.mode === 'share')!.ok).toBe(false);
    expect(cloneOptions(facts({ template: true })).disks[0]!.defaultMode).toBe('linked');
  });

  it('copy in the same pool is vol-clone; the definition has no UUID, MAC or title, graphics on autoport, renamed logs', () => {
    const p = planClone(facts(), { name: 'c1', disks: [] });
    expect(p.steps.map((s) => s.argv)).toEqual([
      ['vol-clone', '--pool', pool.uuid, '--vol', 'vd-test-guest-disk.qcow2', '--newname', 'vd-test-guest-disk.qcow2'.replace('vd-test-guest', 'c1')],
      ['define', '--file', '/dev/stdin', '--validate'],
    ]);
    expect(p.steps[0]!.undo!.argv).toEqual(['vol-delete', '--pool', pool.uuid, '--vol', 'c1-disk.qcow2']);
    expect(p.xml).toContain('<name>c1</name>');
    expect(p.xml).not.toMatch(/<uuid>|<mac |<title>/);
    expect(p.xml).toContain("<source file='/pool/c1-disk.qcow2'/>");
    expect(p.xml).toContain("<source file='/isos/install.iso'/>");
    expect(p.xml).toContain("<log file='/var/log/libvirt/qemu/c1-serial.log' append='off'/>");
    expect(p.xml).toMatch(/<graphics type='vnc' port='-1' autoport='yes'/);
  });

  it('copy into another pool is vol-create-from with the volume XML on stdin; linked is a qcow2 overlay; skip drops the disk', () => {
    const copy = planClone(facts(), { name: 'c2', disks: [{ target: 'vda', mode: 'copy', poolUuid: other.uuid, newName: "it's <mine>.qcow2" }] });
    expect(copy.steps[0]!.argv).toEqual(['vol-create-from', '--pool', other.uuid, '--file', '/dev/stdin', '--inputpool', pool.uuid, '--vol', 'vd-test-guest-disk.qcow2']);
    expect(copy.steps[0]!.stdin).toContain("<name>it's &lt;mine&gt;.qcow2</name><capacity unit='bytes'>16777216</capacity><allocation unit='bytes'>0</allocation>");
    expect(copy.xml).toContain(`<source file='/fast/it&apos;s &lt;mine>.qcow2'/>`);
    const linked = planClone(facts({ template: true }), { name: 'c3', disks: [] });
    expect(linked.steps[0]!.argv).toEqual(['vol-create-as', '--pool', pool.uuid, '--name', 'c3-disk.qcow2', '--capacity', String(1 << 24), '--allocation', '0', '--format', 'qcow2', '--backing-vol', '/pool/vd-test-guest-disk.qcow2', '--backing-vol-format', 'qcow2']);
    const skip = planClone(facts(), { name: 'c4', disks: [{ target: 'vda', mode: 'skip' }] });
    expect(skip.steps.map((s) => s.argv[0])).toEqual(['define']);
    expect(skip.xml).not.toContain('disk.qcow2');
  });

  it('refuses before any change: a running source, a taken name or file, a mode the disk does not allow', () => {
    expect(() => planClone(facts({ running: true }), { name: 'x', disks: [] })).toThrow(/shut it down first/);
    expect(() => planClone(facts(), { name: 'vd-test-guest-clone', disks: [] })).toThrow(/exists already/);
    expect(() => planClone(facts(), { name: 'x', disks: [{ target: 'vda', mode: 'copy', newName: 'vd-test-guest-disk.qcow2' }] })).toThrow(/exists already in pool images/);
    expect(() => planClone(facts(), { name: 'x', disks: [{ target: 'vda', mode: 'linked' }] })).toThrow(/template first/);
    expect(() => planClone(facts(), { name: 'x', disks: [{ target: 'vda', mode: 'share' }] })).toThrow(/corrupt/);
    expect(() => planClone(facts(), { name: 'x', disks: [{ target: 'vdz', mode: 'skip' }] })).toThrow(/no disk vdz/);
  });

  it('NVRAM is copied through its pool; an emulated TPM is warned about', () => {
    const nv = { pool, name: 'vd-test-guest_VARS.fd', path: '/pool/vd-test-guest_VARS.fd', format: 'raw', capacity: 540672, allocation: 540672 };
    const withNv = facts({ xml: xml.replace('<os>', '<os>\n    <nvram>/pool/vd-test-guest_VARS.fd</nvram>'), nvram: { path: nv.path, vol: nv } });
    const p = planClone(withNv, { name: 'n', disks: [{ target: 'vda', mode: 'skip' }] });
    expect(p.steps[0]!.argv).toEqual(['vol-clone', '--pool', pool.uuid, '--vol', 'vd-test-guest_VARS.fd', '--newname', 'n_VARS.fd']);
    expect(p.xml).toContain('<nvram>/pool/n_VARS.fd</nvram>');
    expect(p.steps[1]!.undo!.argv).toEqual(['undefine', '--domain', 'n', '--keep-nvram']);
    expect(cloneOptions(facts({ tpmEmulator: true })).warnings.join()).toMatch(/TPM.*not copy/);
  });
});
