import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addDevice, removeDevice } from './add-remove';
import { DomainXml } from './domain-xml';
import { editDevice } from './edit-devices';
import { editBoot, editCpu, editGeneral, editMemory, editVcpus } from './edit-general';

// Fixtures from fixtures/generate.sh: guest-inactive.xml is `virsh dumpxml --inactive` of the
// real test guest (libvirt 9.0.0); lv-* are virt-install 4.1.0 XMLs as libvirt 9.0.0 stores them.
const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8');
const guest = fixture('corpus/guest-inactive.xml');

/** Lines of `after` that are not at the same place in `before` (equal line counts), or the added/removed ones. */
function changedLines(before: string, after: string): { removed: string[]; added: string[] } {
  const a = before.split('\n');
  const b = after.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  return { removed: a.slice(head, a.length - tail), added: b.slice(head, b.length - tail) };
}

function edit(xml: string, fn: (x: DomainXml) => void): { out: string; diff: ReturnType<typeof changedLines>; x: DomainXml } {
  const x = DomainXml.parse(xml);
  fn(x);
  const out = x.toXml();
  return { out, diff: changedLines(xml, out), x: DomainXml.parse(out) };
}

describe('a form edit on the test guest changes one line of its XML', () => {
  it('memory: the maximum, in the unit libvirt wrote', () => {
    const { diff, x } = edit(guest, (m) => editMemory(m, { kind: 'memory', maxKiB: 262144, currentKiB: 131072 }));
    expect(diff).toEqual({ removed: ["  <memory unit='KiB'>131072</memory>"], added: ["  <memory unit='KiB'>262144</memory>"] });
    expect(x.read().memory).toMatchObject({ maxKiB: 262144, currentKiB: 131072 });
  });

  it('vCPUs: all online drops `current`, as libvirt itself writes it', () => {
    const { diff, x } = edit(guest, (m) => editVcpus(m, { kind: 'vcpus', max: 2, current: 2 }));
    expect(diff).toEqual({ removed: ["  <vcpu placement='static' current='1'>2</vcpu>"], added: ["  <vcpu placement='static'>2</vcpu>"] });
    expect(x.read().vcpu).toMatchObject({ max: 2, current: 2 });
  });

  it('title: text is escaped, the element stays where it was', () => {
    const { diff } = edit(guest, (m) => editGeneral(m, { kind: 'general', title: 'Guest <1> & co' }));
    expect(diff).toEqual({ removed: ['  <title>Virtdeck test guest</title>'], added: ['  <title>Guest &lt;1&gt; &amp; co</title>'] });
  });

  it('NIC model: only the model line', () => {
    const { diff } = edit(guest, (m) => editDevice(m, { kind: 'interface', id: 'interface[0]', model: 'e1000' }));
    expect(diff).toEqual({ removed: ["      <model type='virtio'/>"], added: ["      <model type='e1000'/>"] });
  });

  it('kernel command line: only the cmdline line', () => {
    const { diff } = edit(guest, (m) => editBoot(m, { kind: 'boot', cmdline: 'console=ttyS0 quiet' }));
    expect(diff.added).toEqual(['    <cmdline>console=ttyS0 quiet</cmdline>']);
    expect(diff.removed).toHaveLength(1);
  });

  it('graphics: a fixed port turns autoport off', () => {
    const { x } = edit(guest, (m) => editDevice(m, { kind: 'graphics', id: 'graphics[0]', port: 5999 }));
    expect(x.read().devices.find((d) => d.id === 'graphics[0]')).toMatchObject({ port: 5999, autoport: false });
  });
});

describe('adding and removing hardware', () => {
  it('a new NIC goes after the last one, indented like libvirt does', () => {
    const { diff, x } = edit(guest, (m) => addDevice(m, { kind: 'interface', type: 'network', source: 'default', model: 'virtio' }));
    expect(diff.removed).toEqual([]);
    expect(diff.added).toEqual(["    <interface type='network'>", "      <source network='default'/>", "      <model type='virtio'/>", '    </interface>']);
    expect(x.read().devices.filter((d) => d.kind === 'interface')).toHaveLength(2);
  });

  it('a new disk gets the first free target name on its bus', () => {
    const xml = fixture('corpus/lv-disks-multi.xml');
    const { x } = edit(xml, (m) => addDevice(m, { kind: 'disk', device: 'disk', source: { type: 'path', path: '/x' }, path: '/var/lib/new.qcow2', bus: 'virtio' }));
    const disks = x.read().devices.filter((d) => d.kind === 'disk');
    expect(disks.map((d) => d.kind === 'disk' && d.target)).toEqual(['vda', 'sda', 'sdb', 'vdb']);
    expect(disks[3]).toMatchObject({ source: '/var/lib/new.qcow2', format: 'qcow2', bus: 'virtio' });
  });

  it('removing a device removes exactly its lines', () => {
    const { diff, x } = edit(guest, (m) => removeDevice(m, 'memballoon[0]'));
    expect(diff.added).toEqual([]);
    expect(diff.removed[0]).toBe("    <memballoon model='virtio'>");
    expect(diff.removed.at(-1)).toBe('    </memballoon>');
    expect(x.read().devices.some((d) => d.kind === 'memballoon')).toBe(false);
  });

  it('removing a NIC hands back its XML, which is what detach-device needs for the running VM', () => {
    const x = DomainXml.parse(fixture('corpus/lv-nics-multi.xml'));
    const fragment = removeDevice(x, 'interface[2]');
    expect(fragment).toMatch(/^<interface type='direct'>[\s\S]*<mac address='52:54:00:aa:00:03'\/>[\s\S]*<\/interface>$/);
    expect(x.read().devices.filter((d) => d.kind === 'interface')).toHaveLength(2);
  });
});

describe('settings that add or restructure elements', () => {
  it('switching to UEFI uses firmware auto-selection, and back to BIOS removes it', () => {
    const xml = fixture('corpus/lv-minimal.xml');
    const efi = edit(xml, (m) => editBoot(m, { kind: 'boot', firmware: 'efi' }));
    expect(efi.x.read().os.firmware).toBe('efi');
    expect(efi.diff.added).toEqual(["  <os firmware='efi'>"]);
    const bios = edit(efi.out, (m) => editBoot(m, { kind: 'boot', firmware: 'bios' }));
    expect(bios.out).toBe(xml);
  });

  it('boot order is rewritten in place', () => {
    const { x, diff } = edit(guest, (m) => editBoot(m, { kind: 'boot', bootDevs: ['cdrom', 'hd'] }));
    expect(x.read().os.bootDevs).toEqual(['cdrom', 'hd']);
    expect(diff).toEqual({ removed: [], added: ["    <boot dev='cdrom'/>"] });
  });

  it('a custom CPU model with topology, then back to host-passthrough keeps the topology', () => {
    const xml = fixture('corpus/lv-minimal.xml');
    const custom = edit(xml, (m) => editCpu(m, { kind: 'cpu', mode: 'custom', model: 'Skylake-Client', topology: { sockets: 1, cores: 1, threads: 1 } }));
    expect(custom.x.read().cpu).toMatchObject({ mode: 'custom', model: 'Skylake-Client', topology: { sockets: 1, cores: 1, threads: 1 } });
    const pass = edit(custom.out, (m) => editCpu(m, { kind: 'cpu', mode: 'host-passthrough' }));
    expect(pass.x.read().cpu).toEqual({ mode: 'host-passthrough', topology: { sockets: 1, cores: 1, threads: 1 }, features: [] });
  });

  it('hugepages on and off leaves the document as it was', () => {
    const on = edit(guest, (m) => editMemory(m, { kind: 'memory', maxKiB: 131072, currentKiB: 131072, hugepages: true }));
    expect(on.x.read().memory.hugepages).toBe(true);
    expect(on.diff.added).toEqual(['  <memoryBacking>', '    <hugepages/>', '  </memoryBacking>']);
    expect(edit(on.out, (m) => editMemory(m, { kind: 'memory', maxKiB: 131072, currentKiB: 131072, hugepages: false })).out).toBe(guest);
  });

  it('a disk moved to another bus gets a name for that bus and loses its old address', () => {
    const xml = fixture('corpus/lv-disks-multi.xml');
    const { x } = edit(xml, (m) => editDevice(m, { kind: 'disk', id: 'disk[1]', bus: 'virtio' }));
    const d = x.read().devices.find((v) => v.id === 'disk[1]');
    expect(d).toMatchObject({ bus: 'virtio', target: 'vdb' });
    expect(x.toXml()).not.toMatch(/<target dev='vdb' bus='virtio'\/>\s*<address type='drive'/);
  });
});
