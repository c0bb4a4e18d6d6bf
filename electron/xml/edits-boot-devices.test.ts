/**
 * The edits the Boot form's per-device order, the host-device and input forms, and the newer
 * "Add hardware" kinds make: each changes only what it names (canonicalised tree diff).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DomainConfig } from '../../shared/model/details';
import { addDevice, type ResolvedNewDevice } from './add-remove';
import { DomainXml } from './domain-xml';
import { editDevice } from './edit-devices';
import { editBoot } from './edit-general';
import { significant, treeDiff } from './testing/tree-diff';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', 'corpus', name), 'utf8');

function edit(xml: string, fn: (x: DomainXml) => void): { changed: string[]; x: DomainXml; out: string } {
  const m = DomainXml.parse(xml);
  fn(m);
  const out = m.toXml();
  const x = DomainXml.parse(out);
  expect(() => DomainConfig.parse(x.read())).not.toThrow();
  return { changed: significant(treeDiff(xml, out)), x, out };
}

describe('per-device boot order', () => {
  const xml = fixture('vi-hostdev-pci.xml');

  it('moves the order from <os><boot dev> onto the devices, and back', () => {
    const dev = edit(xml, (m) => editBoot(m, { kind: 'boot', deviceOrder: ['hostdev[1]', 'hostdev[0]', 'interface[0]'] }));
    expect(dev.changed.sort()).toEqual(['/domain/devices[0]/hostdev[0]/+boot[0]', '/domain/devices[0]/hostdev[1]/+boot[0]', '/domain/devices[0]/interface[0]/+boot[0]', '/domain/os[0]/-boot[0]']);
    const c = dev.x.read();
    expect(c.os.bootDevs).toEqual([]);
    expect(c.devices.filter((d) => 'bootOrder' in d && d.bootOrder !== undefined).map((d) => [d.id, 'bootOrder' in d && d.bootOrder])).toEqual([
      ['interface[0]', 3],
      ['hostdev[0]', 2],
      ['hostdev[1]', 1],
    ]);
    // <boot> sits where libvirt writes it: after the NIC's <model>, before the host device's <rom>.
    expect(dev.out).toMatch(/<model type='e1000'\/>\s*<boot order='3'\/>/);
    expect(dev.out).toMatch(/<driver name='vfio'\/>\s*<boot order='1'\/>\s*<rom bar='off'\/>/);

    const back = edit(dev.out, (m) => editBoot(m, { kind: 'boot', bootDevs: ['hd'] }));
    expect(back.x.read().devices.some((d) => 'bootOrder' in d && d.bootOrder !== undefined)).toBe(false);
    expect(back.x.read().os.bootDevs).toEqual(['hd']);
  });

  it('reordering rewrites only the order attributes; a device left out loses its <boot>', () => {
    const first = edit(xml, (m) => editBoot(m, { kind: 'boot', deviceOrder: ['hostdev[0]', 'interface[0]'] })).out;
    const swapped = edit(first, (m) => editBoot(m, { kind: 'boot', deviceOrder: ['interface[0]'] }));
    expect(swapped.changed.sort()).toEqual(['/domain/devices[0]/hostdev[0]/-boot[0]', '/domain/devices[0]/interface[0]/boot[0]/@order']);
  });

  it('refuses devices that cannot boot, and duplicates', () => {
    expect(() => edit(xml, (m) => editBoot(m, { kind: 'boot', deviceOrder: ['input[0]'] }))).toThrow(/cannot boot/);
    expect(() => edit(xml, (m) => editBoot(m, { kind: 'boot', deviceOrder: ['hostdev[0]', 'hostdev[0]'] }))).toThrow(/twice/);
  });
});

describe('host device and input edits', () => {
  it('managed off changes only that attribute', () => {
    const { changed, x } = edit(fixture('vi-hostdev-pci.xml'), (m) => editDevice(m, { kind: 'hostdev', id: 'hostdev[0]', managed: false }));
    expect(changed).toEqual(['/domain/devices[0]/hostdev[0]/@managed']);
    expect(x.read().devices.find((d) => d.id === 'hostdev[0]')).toMatchObject({ managed: false });
  });

  it('an input device moves to another bus and type', () => {
    const { changed, x } = edit(fixture('guest-inactive.xml'), (m) => editDevice(m, { kind: 'input', id: 'input[1]', type: 'tablet', bus: 'usb' }));
    expect(changed.sort()).toEqual(['/domain/devices[0]/input[1]/@bus', '/domain/devices[0]/input[1]/@type']);
    expect(x.read().devices.find((d) => d.id === 'input[1]')).toMatchObject({ type: 'tablet', bus: 'usb' });
  });

  it('a tablet on PS/2 is refused', () => {
    expect(() => edit(fixture('guest-inactive.xml'), (m) => editDevice(m, { kind: 'input', id: 'input[1]', type: 'tablet' }))).toThrow(/PS\/2/);
  });
});

describe('explicit UEFI loader and NVRAM', () => {
  it('sets and removes the loader path only', () => {
    const xml = fixture('vi-loader-nvram.xml');
    const set = edit(xml, (m) => editBoot(m, { kind: 'boot', loader: '/usr/share/OVMF/OVMF_CODE_4M.secboot.fd' }));
    expect(set.changed).toEqual(['/domain/os[0]/loader[0]/text()']);
    const nv = edit(xml, (m) => editBoot(m, { kind: 'boot', nvram: '' }));
    expect(nv.changed).toEqual(['/domain/os[0]/-nvram[0]']);
  });
});

describe('adding the other kinds of hardware', () => {
  const guest = fixture('guest-inactive.xml');
  const cases: [string, ResolvedNewDevice, RegExp][] = [
    ['a USB tablet', { kind: 'input', type: 'tablet', bus: 'usb' }, /^<input type='tablet' bus='usb'\/>$/],
    ['a watchdog', { kind: 'watchdog', model: 'i6300esb', action: 'reset' }, /^<watchdog model='i6300esb' action='reset'\/>$/],
    ['an emulated TPM', { kind: 'tpm', model: 'tpm-crb', version: '2.0' }, /<tpm model='tpm-crb'>\s*<backend type='emulator' version='2.0'\/>\s*<\/tpm>/],
    ['a sound card', { kind: 'sound', model: 'ich9' }, /^<sound model='ich9'\/>$/],
    ['the guest agent channel', { kind: 'channel', target: 'qemu-ga' }, /<channel type='unix'>\s*<target type='virtio' name='org.qemu.guest_agent.0'\/>/],
    ['a 9p share', { kind: 'filesystem', driver: 'path', source: '/srv/share', target: 'share', readonly: true }, /<driver type='path'\/>\s*<source dir='\/srv\/share'\/>\s*<target dir='share'\/>\s*<readonly\/>/],
  ];
  it.each(cases)('%s adds exactly that element', (_, dev, shape) => {
    const m = DomainXml.parse(guest);
    const { id, xml } = addDevice(m, dev);
    expect(xml).toMatch(shape);
    const changed = significant(treeDiff(guest, m.toXml()));
    expect(changed).toEqual([`/domain/devices[0]/+${id}`]);
  });

  it('a virtiofs share also makes the memory shared, as virtiofsd needs', () => {
    const m = DomainXml.parse(guest);
    addDevice(m, { kind: 'filesystem', driver: 'virtiofs', source: '/srv/share', target: 'share', readonly: false });
    const changed = significant(treeDiff(guest, m.toXml()));
    expect(changed.sort()).toEqual(['/domain/+memoryBacking[0]', '/domain/devices[0]/+filesystem[0]']);
    expect(m.toXml()).toMatch(/<memoryBacking>\s*<source type='memfd'\/>\s*<access mode='shared'\/>\s*<\/memoryBacking>/);
  });
});

describe('a serial port backend', () => {
  const guest = fixture('guest-inactive.xml');

  it('pty → TCP server: a source and the raw protocol go in before the log, which stays', () => {
    const { changed, out, x } = edit(guest, (m) => editDevice(m, { kind: 'char', id: 'serial[0]', type: 'tcp', source: '127.0.0.1:4555' }));
    expect(changed.sort()).toEqual(['/domain/devices[0]/serial[0]/+protocol[0]', '/domain/devices[0]/serial[0]/+source[0]', '/domain/devices[0]/serial[0]/@type']);
    expect(out).toMatch(/<serial type='tcp'>\s*<source mode='bind' host='127.0.0.1' service='4555'\/>\s*<protocol type='raw'\/>\s*<log file=/);
    expect(x.read().devices.find((d) => d.id === 'serial[0]')).toMatchObject({ type: 'tcp', source: '127.0.0.1:4555' });
    // …and back to pty removes exactly what came.
    expect(edit(out, (m) => editDevice(m, { kind: 'char', id: 'serial[0]', type: 'pty' })).out).toBe(guest);
  });

  it('a TCP source without a port is refused', () => {
    expect(() => edit(guest, (m) => editDevice(m, { kind: 'char', id: 'serial[0]', type: 'tcp', source: 'localhost' }))).toThrow(/host:port/);
  });
});

describe('a disk source of another type', () => {
  const xml = fixture('lv-disks-multi.xml');

  it('file → pool volume replaces only the type and the <source>, and back', () => {
    const vol = edit(xml, (m) => editDevice(m, { kind: 'disk', id: 'disk[0]', sourceType: 'volume', pool: 'default', volume: 'a.qcow2' }));
    expect(vol.changed.sort()).toEqual(['/domain/devices[0]/disk[0]/@type', '/domain/devices[0]/disk[0]/source[0]/@file', '/domain/devices[0]/disk[0]/source[0]/@pool', '/domain/devices[0]/disk[0]/source[0]/@volume']);
    expect(vol.x.read().devices.find((d) => d.id === 'disk[0]')).toMatchObject({ type: 'volume', pool: 'default', volume: 'a.qcow2' });
    const back = edit(vol.out, (m) => editDevice(m, { kind: 'disk', id: 'disk[0]', sourceType: 'file', source: '/var/lib/virtdeck-corpus/a.qcow2' }));
    expect(back.out).toBe(DomainXml.parse(xml).toXml());
  });

  it('a block device takes dev=', () => {
    const { out } = edit(xml, (m) => editDevice(m, { kind: 'disk', id: 'disk[1]', sourceType: 'block', source: '/dev/vg0/data' }));
    expect(out).toMatch(/<disk type='block' device='disk'>\s*<driver name='qemu' type='raw' cache='writeback'\/>\s*<source dev='\/dev\/vg0\/data'\/>/);
  });
});
