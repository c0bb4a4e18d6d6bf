/**
 * The hardware editor against the real host over SSH (qemu+ssh to 127.0.0.1, libvirt 9.0.0), on
 * `vd-test-hw`, its own copy of the test guest (testing/details-guest.ts): per-device boot order,
 * input devices, host devices (the host's real PCI devices from nodedev-list, and a hand-written
 * USB one this machine lacks — both only ever defined, never started), the other addable kinds,
 * and "Show command": the preview is exactly what then runs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandText } from '../../shared/api/commands';
import type { NewDeviceInput } from '../../shared/model/details';
import { startHarness, type Harness, connectOverSsh } from '../../e2e/support/backend-harness';
import { testHost } from '../../e2e/support/test-host';
import { cloneSerialLog, cloneTestGuest, HARDWARE_CLONE, removeClone } from './testing/details-guest';

const UUID = HARDWARE_CLONE.uuid;
/** A transient pool of this test's own (gone when destroyed). */
const POOL = 'vd-test-hw-pool';
const virsh = (...a: string[]) => spawnSync('virsh', ['-c', 'qemu:///system', ...a], { encoding: 'utf8' });
const inactive = () => virsh('dumpxml', '--inactive', '--domain', UUID).stdout;

describe('hardware editor over SSH on the real host', () => {
  const th = testHost();
  let h: Harness;
  let hostId: string;
  const vm = () => ({ hostId, uuid: UUID });
  const etag = async () => (await h.call('details.xml', vm())).etag;

  beforeAll(async () => {
    cloneTestGuest(th, HARDWARE_CLONE);
    h = await startHarness();
    h.answerPrompts(() => ({ accept: true }));
    hostId = await connectOverSsh(h, th);
  });
  afterAll(() => {
    h?.close();
    removeClone(HARDWARE_CLONE);
  });

  it('"Show command" for an edit is the define it then runs, and previewing changes nothing', async () => {
    const before = await etag();
    const args = { ...vm(), etag: before, edit: { kind: 'vcpus' as const, max: 3, current: 1 } };
    const p = await h.call('commands.preview', { name: 'details.edit', args });
    expect(p.remote).toBe(true);
    expect(p.commands).toHaveLength(1);
    const text = commandText(p.commands[0]!);
    // Runs on the remote host (over SSH), against its own libvirtd.
    expect(text).toMatch(/^virsh -c qemu:\/\/\/system define --file \/dev\/stdin --validate <<'EOF'\n<domain type=/);
    expect(p.commands[0]!.stdin).toContain("<vcpu placement='static' current='1'>3</vcpu>");
    expect(await etag()).toBe(before);
    await h.call('details.edit', args);
    expect(inactive()).toContain("<vcpu placement='static' current='1'>3</vcpu>");
  });

  it('per-device boot order replaces <os><boot dev>, and the by-type order replaces it back', async () => {
    const disk = await h.call('details.addDevice', { ...vm(), etag: await etag(), device: { kind: 'disk', source: { type: 'path', path: '/var/lib/virtdeck-test/hw-extra.qcow2' }, format: 'qcow2' } });
    const res = await h.call('details.edit', { ...vm(), etag: disk.etag, edit: { kind: 'boot', deviceOrder: ['interface[0]', disk.id] } });
    const xml = inactive();
    expect(xml).not.toMatch(/<boot dev=/);
    expect(xml).toMatch(/<interface type='user'>[\s\S]*?<boot order='1'\/>[\s\S]*?<\/interface>/);
    expect(xml).toMatch(/<target dev='vda' bus='virtio'\/>\s*<boot order='2'\/>/);
    const d = await h.call('details.get', vm());
    expect(d.config.os.bootDevs).toEqual([]);
    expect(d.config.devices.find((x) => x.id === disk.id)).toMatchObject({ bootOrder: 2 });

    await h.call('details.edit', { ...vm(), etag: res.etag, edit: { kind: 'boot', bootDevs: ['network', 'hd'] } });
    expect(inactive()).not.toMatch(/<boot order=/);
    expect((await h.call('details.get', vm())).config.os.bootDevs).toEqual(['network', 'hd']);
    // libvirt itself refuses both at once: the reason the form never sends both.
    const both = inactive().replace("<target dev='vda' bus='virtio'/>", "<target dev='vda' bus='virtio'/>\n      <boot order='1'/>");
    await expect(h.call('details.applyXml', { ...vm(), xml: both, etag: await etag() })).rejects.toThrow(/per-device boot elements cannot be used together with os\/boot elements/);
    await h.call('details.removeDevice', { ...vm(), etag: await etag(), id: disk.id });
  });

  it('an input device: added as a virtio tablet, then made a mouse; a USB one is refused while USB is off', async () => {
    // The test guest has <controller type='usb' model='none'/>: libvirt's own message says why.
    await expect(h.call('details.addDevice', { ...vm(), etag: await etag(), device: { kind: 'input', type: 'tablet', bus: 'usb' } })).rejects.toThrow(/USB bus is disabled/);
    const added = await h.call('details.addDevice', { ...vm(), etag: await etag(), device: { kind: 'input', type: 'tablet', bus: 'virtio' } });
    expect(inactive()).toMatch(/<input type='tablet' bus='virtio'>/);
    await h.call('details.edit', { ...vm(), etag: added.etag, edit: { kind: 'input', id: added.id, type: 'mouse' } });
    expect((await h.call('details.get', vm())).config.devices.find((x) => x.id === added.id)).toMatchObject({ kind: 'input', type: 'mouse', bus: 'virtio' });
    await h.call('details.removeDevice', { ...vm(), etag: await etag(), id: added.id });
  });

  it('host devices: a real PCI device from nodedev-list is added, edited (managed, boot order) and removed; a USB one by hand', async () => {
    const devs = await h.call('details.hostDevices', { hostId });
    const pci = devs.find((x) => x.bus === 'pci');
    expect(pci).toBeDefined();
    const args = { ...vm(), etag: await etag(), device: { kind: 'hostdev', bus: 'pci', nodedev: pci!.name } as NewDeviceInput };
    const p = await h.call('commands.preview', { name: 'details.addDevice', args });
    expect(p.commands[0]!.stdin).toMatch(/<hostdev mode='subsystem' type='pci' managed='yes'>\s*<source>\s*<address domain='0x0000' bus='0x[0-9a-f]{2}' slot='0x[0-9a-f]{2}' function='0x[0-7]'\/>/);
    const added = await h.call('details.addDevice', args);
    let res = await h.call('details.edit', { ...vm(), etag: added.etag, edit: [{ kind: 'hostdev', id: added.id, managed: false }, { kind: 'boot', deviceOrder: [added.id] }] });
    const hostdev = /<hostdev [^>]*>[\s\S]*?<\/hostdev>/.exec(inactive())![0];
    expect(hostdev).toMatch(/^<hostdev mode='subsystem' type='pci' managed='no'>/);
    expect(hostdev).toMatch(/<boot order='1'\/>/);
    res = await h.call('details.removeDevice', { ...vm(), etag: res.etag, id: added.id });

    // A USB device this host does not have: written by hand (with a USB controller, which the
    // test guest turns off), accepted by define --validate.
    const { xml } = await h.call('details.xml', vm());
    const usb = "<hostdev mode='subsystem' type='usb' managed='yes'><source><vendor id='0x046d'/><product id='0xc52b'/></source></hostdev>";
    const withUsb = xml.replace("<controller type='usb' index='0' model='none'/>", "<controller type='usb' index='0' model='qemu-xhci'/>").replace('</devices>', `${usb}\n  </devices>`);
    await h.call('details.applyXml', { ...vm(), xml: withUsb, etag: res.etag });
    const d = await h.call('details.get', vm());
    const dev = d.config.devices.find((x) => x.kind === 'hostdev')!;
    expect(dev).toMatchObject({ type: 'usb', vendor: '0x046d', product: '0xc52b', managed: true });
    await h.call('details.edit', { ...vm(), etag: d.etag, edit: [{ kind: 'hostdev', id: dev.id, managed: false }, { kind: 'boot', deviceOrder: [dev.id, 'interface[0]'] }] });
    expect(inactive()).toMatch(/<hostdev mode='subsystem' type='usb' managed='no'>[\s\S]*?<boot order='1'\/>[\s\S]*?<\/hostdev>/);
    await h.call('details.removeDevice', { ...vm(), etag: await etag(), id: dev.id });
  });

  it('a new disk as a qcow2 volume in a pool: vol-create-as first (shown in the preview), then the define', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vd-test-hw-pool-'));
    expect(virsh('pool-create-as', '--name', POOL, '--type', 'dir', '--target', dir).status).toBe(0);
    try {
      const args = { ...vm(), etag: await etag(), device: { kind: 'disk', source: { type: 'new-volume', pool: POOL, name: 'data.qcow2', sizeGiB: 0.125 } } as NewDeviceInput };
      const p = await h.call('commands.preview', { name: 'details.addDevice', args });
      expect(p.commands.map((c) => c.argv.slice(3).join(' '))).toEqual([`vol-create-as --pool ${POOL} --name data.qcow2 --capacity 134217728 --format qcow2`, 'define --file /dev/stdin --validate']);
      expect(virsh('vol-list', '--pool', POOL).stdout).not.toContain('data.qcow2'); // the preview created nothing
      const added = await h.call('details.addDevice', args);
      expect(virsh('vol-info', '--pool', POOL, '--vol', 'data.qcow2', '--bytes').stdout).toMatch(/Capacity:\s+134217728 bytes/);
      expect((await h.call('details.get', vm())).config.devices.find((x) => x.id === added.id)).toMatchObject({ source: `${dir}/data.qcow2`, format: 'qcow2', bus: 'virtio' });
      // The same data as a pool volume rather than a path: libvirt resolves it at start.
      const asVol = await h.call('details.edit', { ...vm(), etag: added.etag, edit: { kind: 'disk', id: added.id, sourceType: 'volume', pool: POOL, volume: 'data.qcow2' } });
      expect(inactive()).toMatch(new RegExp(`<disk type='volume' device='disk'>[\\s\\S]*?<source pool='${POOL}' volume='data.qcow2'/>`));
      await h.call('details.removeDevice', { ...vm(), etag: asVol.etag, id: added.id });
    } finally {
      virsh('pool-destroy', '--pool', POOL);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each<[string, NewDeviceInput, RegExp]>([
    ['watchdog', { kind: 'watchdog', model: 'i6300esb', action: 'poweroff' }, /<watchdog model='i6300esb' action='poweroff'>/],
    ['sound card', { kind: 'sound', model: 'ich9' }, /<sound model='ich9'>/],
    ['guest agent channel', { kind: 'channel', target: 'qemu-ga' }, /<channel type='unix'>[\s\S]*?<target type='virtio' name='org.qemu.guest_agent.0'\/>/],
    ['9p share', { kind: 'filesystem', driver: 'path', source: '/var/lib/virtdeck-test', target: 'vdshare', readonly: true }, /<filesystem type='mount' accessmode='mapped'>/],
    ['virtiofs share', { kind: 'filesystem', driver: 'virtiofs', source: '/var/lib/virtdeck-test', target: 'vdfs' }, /<access mode='shared'\/>[\s\S]*<filesystem type='mount' accessmode='passthrough'>\s*<driver type='virtiofs'\/>/],
  ])('adds a %s that libvirt accepts, and removes it', async (_, device, shape) => {
    const before = inactive();
    const added = await h.call('details.addDevice', { ...vm(), etag: await etag(), device });
    expect(inactive()).toMatch(shape);
    await h.call('details.removeDevice', { ...vm(), etag: added.etag, id: added.id });
    // (The channel leaves the virtio-serial controller libvirt added; virtiofs the shared memory.)
    if (device.kind === 'watchdog' || device.kind === 'sound' || (device.kind === 'filesystem' && device.driver === 'path')) expect(inactive()).toBe(before);
  });

  it("an emulated TPM's version and a video card's memory and heads: the form's edits are what libvirt keeps", async () => {
    const before = inactive();
    const tpm = await h.call('details.addDevice', { ...vm(), etag: await etag(), device: { kind: 'tpm', model: 'tpm-crb', version: '2.0' } });
    const edited = await h.call('details.edit', { ...vm(), etag: tpm.etag, edit: { kind: 'tpm', id: tpm.id, model: 'tpm-tis', version: '1.2' } });
    expect(inactive()).toMatch(/<tpm model='tpm-tis'>\s*<backend type='emulator' version='1.2'\/>/);
    const video = (await h.call('details.get', vm())).config.devices.find((d) => d.kind === 'video')!;
    expect(video).toMatchObject({ model: 'vga' });
    const sized = await h.call('details.edit', { ...vm(), etag: edited.etag, edit: { kind: 'video', id: video.id, vram: 32768 } });
    expect(inactive()).toMatch(/<video>\s*<model type='vga' vram='32768' heads='1'/);
    // VGA drives one display: libvirt says so, and nothing changes.
    const kept = inactive();
    await expect(h.call('details.edit', { ...vm(), etag: sized.etag, edit: { kind: 'video', id: video.id, heads: 2 } })).rejects.toMatchObject({ message: expect.stringMatching(/doesn't support multiple 'heads'/) });
    expect(inactive()).toBe(kept);
    const virtio = await h.call('details.edit', { ...vm(), etag: sized.etag, edit: { kind: 'video', id: video.id, model: 'virtio', heads: 2 } });
    expect(inactive()).toMatch(/<video>\s*<model type='virtio' heads='2'/);
    const back = await h.call('details.edit', { ...vm(), etag: virtio.etag, edit: { kind: 'video', id: video.id, model: 'vga', heads: 1, vram: null } });
    await h.call('details.removeDevice', { ...vm(), etag: back.etag, id: tpm.id });
    // libvirt fills in the model's defaults again (vram, primary); everything else is as before.
    const norm = (x: string) => x.replace(/<video>[\s\S]*?<\/video>/, '');
    expect(norm(inactive())).toBe(norm(before));
  });

  it('while it runs: "apply now" previews setvcpus and attach-device --live, and hot-plugs a virtio tablet; the link applies live, a first VNC password at the next boot', async () => {
    await h.call('domains.action', { hostId, uuids: [UUID], action: 'start' });
    try {
      const vcpuArgs = { ...vm(), etag: await etag(), live: true, edit: { kind: 'vcpus' as const, max: 3, current: 2 } };
      const vcpus = await h.call('commands.preview', { name: 'details.edit', args: vcpuArgs });
      expect(vcpus.commands.map((c) => c.argv.slice(3).join(' '))).toEqual(['define --file /dev/stdin --validate', `setvcpus --domain ${UUID} --count 2 --live`]);
      // What then runs (the activity log records every virsh command and its stdin) is exactly that.
      const seq = (await h.call('activity.list', { hostId })).at(-1)?.seq ?? 0;
      await h.call('details.edit', vcpuArgs);
      const ran = (await h.call('activity.list', { afterSeq: seq, hostId })).filter((e) => ['define', 'setvcpus'].includes(e.argv[3] ?? ''));
      expect(ran.map((e) => ({ argv: e.argv, ...(e.stdin !== undefined ? { stdin: e.stdin } : {}) }))).toEqual(vcpus.commands);
      const nextBoot = await h.call('commands.preview', { name: 'details.edit', args: { ...vm(), etag: await etag(), live: true, edit: { kind: 'video', id: 'video[0]', model: 'virtio' } } });
      expect(nextBoot.commands).toHaveLength(1); // no live step: the change waits for the next boot
      await new Promise<void>((resolve, reject) => {
        const end = Date.now() + 60_000;
        const tick = () => (existsSync(cloneSerialLog(HARDWARE_CLONE)) && readFileSync(cloneSerialLog(HARDWARE_CLONE), 'utf8').includes(th.GUEST_BANNER) ? resolve() : Date.now() > end ? reject(new Error('guest did not boot')) : setTimeout(tick, 250));
        tick();
      });
      const args = { ...vm(), etag: await etag(), live: true, device: { kind: 'input', type: 'tablet', bus: 'virtio' } as NewDeviceInput };
      const preview = await h.call('commands.preview', { name: 'details.addDevice', args });
      expect(preview.commands.map((c) => c.argv.slice(3).join(' '))).toEqual(['define --file /dev/stdin --validate', `attach-device --domain ${UUID} --file /dev/stdin --live`]);
      expect(preview.commands[1]!.stdin).toBe("<input type='tablet' bus='virtio'/>");
      const added = await h.call('details.addDevice', args);
      expect(added).toMatchObject({ liveApplied: true, needsRestart: false });
      expect(virsh('dumpxml', '--domain', UUID).stdout).toMatch(/<input type='tablet' bus='virtio'>/);

      // A NIC's link and a VNC password change on the running VM too.
      const link = await h.call('details.edit', { ...vm(), etag: added.etag, live: true, edit: { kind: 'interface', id: 'interface[0]', linkState: 'down' } });
      expect(link).toMatchObject({ liveApplied: true, needsRestart: false });
      expect(virsh('domif-getlink', '--domain', UUID, '--interface', HARDWARE_CLONE.mac).stdout).toMatch(/down/);
      // QEMU sets a VNC password live only on a server started with one: this guest's has none,
      // so the new password is planned (and reported) for the next boot, with no live step.
      const pwArgs = { ...vm(), etag: link.etag, live: true, edit: { kind: 'graphics' as const, id: 'graphics[0]', password: 'vdsecret' } };
      expect((await h.call('commands.preview', { name: 'details.edit', args: pwArgs })).commands).toHaveLength(1);
      const pw = await h.call('details.edit', pwArgs);
      expect(pw).toMatchObject({ liveApplied: false, needsRestart: true });
      expect(pw.liveError).toBeUndefined();
      expect(virsh('dumpxml', '--inactive', '--security-info', '--domain', UUID).stdout).toMatch(/<graphics type='vnc'[^>]* passwd='vdsecret'/);
    } finally {
      await h.call('domains.action', { hostId, uuids: [UUID], action: 'destroy' });
    }
  });
});
