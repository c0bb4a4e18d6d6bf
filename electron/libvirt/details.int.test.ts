/**
 * The details view's backend against the real host over SSH (qemu+ssh to 127.0.0.1, libvirt
 * 9.0.0). It works on `vd-test-details`, a copy of the provisioned test guest (same kernel,
 * initramfs and devices; its own name, UUID, MAC and serial log), so tests of other features
 * that use `vd-test-guest` at the same time are not disturbed. The copy is undefined at the end
 * (provision.sh removes any leftover `vd-test-*` domain too).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, connectOverSsh } from '../../e2e/support/backend-harness';
import { testHost } from '../../e2e/support/test-host';
import { cloneSerialLog, cloneTestGuest, CLONE_NAME, CLONE_UUID, removeClone } from './testing/details-guest';
import { until } from '../../e2e/support/until';

const virsh = (...a: string[]) => spawnSync('virsh', ['-c', 'qemu:///system', ...a], { encoding: 'utf8' });
// The session's output and a separate virsh's differ only in the final blank line.
const inactive = () => virsh('dumpxml', '--inactive', '--security-info', '--domain', CLONE_UUID).stdout.trimEnd();
describe('VM details over SSH on the real host', () => {
  const th = testHost();
  let h: Harness;
  let hostId: string;
  let original: string;
  const work = mkdtempSync(join(tmpdir(), 'vd-details-'));
  const vm = () => ({ hostId, uuid: CLONE_UUID });
  const etag = async () => (await h.call('details.xml', vm())).etag;

  beforeAll(async () => {
    original = cloneTestGuest(th).trimEnd();
    h = await startHarness();
    h.answerPrompts(() => ({ accept: true }));
    hostId = await connectOverSsh(h, th);
  });
  afterAll(() => {
    h?.close();
    removeClone();
    rmSync(work, { recursive: true, force: true });
  });

  it('reads the configuration: vCPUs, memory, boot, devices', async () => {
    const d = await h.call('details.get', vm());
    expect(d).toMatchObject({ name: CLONE_NAME, state: 'shutoff', persistent: true, live: null });
    expect(d.config.vcpu).toMatchObject({ max: 2, current: 1 });
    expect(d.config.memory).toMatchObject({ maxKiB: 131072, currentKiB: 131072 });
    expect(d.config.os).toMatchObject({ type: 'hvm', arch: 'x86_64', kernel: '/var/lib/virtdeck-test/guest/vmlinuz' });
    expect(d.config.devices.map((x) => x.kind)).toEqual(expect.arrayContaining(['interface', 'graphics', 'serial', 'console', 'video', 'memballoon']));
  });

  it('changes vCPUs and memory of the shut-off VM (persistent config)', async () => {
    let res = await h.call('details.edit', { ...vm(), etag: await etag(), edit: { kind: 'vcpus', max: 2, current: 2 } });
    expect(res).toMatchObject({ liveApplied: false, needsRestart: false });
    expect(inactive()).toContain("<vcpu placement='static'>2</vcpu>");
    res = await h.call('details.edit', { ...vm(), etag: res.etag, edit: { kind: 'memory', maxKiB: 262144, currentKiB: 196608 } });
    expect(inactive()).toMatch(/<memory unit='KiB'>262144<\/memory>\s*<currentMemory unit='KiB'>196608<\/currentMemory>/);
    // Only those lines changed: everything else is the original definition.
    const changed = inactive().split('\n').filter((l, i) => l !== original.split('\n')[i]);
    expect(changed).toEqual(["  <memory unit='KiB'>262144</memory>", "  <currentMemory unit='KiB'>196608</currentMemory>", "  <vcpu placement='static'>2</vcpu>"]);
    const history = await h.call('details.history', vm());
    expect(history.map((e) => e.cause)).toEqual(['hardware', 'hardware']);
    expect(history[1]!.xml.trimEnd()).toBe(original);
  });

  it('refuses an edit based on a configuration that changed meanwhile', async () => {
    const stale = await etag();
    await h.call('details.edit', { ...vm(), etag: stale, edit: { kind: 'general', title: 'first' } });
    await expect(h.call('details.edit', { ...vm(), etag: stale, edit: { kind: 'general', title: 'second' } })).rejects.toThrow(/changed since it was loaded/);
    expect(inactive()).toContain('<title>first</title>');
  });

  it('adds and removes a NIC and a disk', async () => {
    const disk = join(work, 'extra disk.qcow2');
    spawnSync('qemu-img', ['create', '-q', '-f', 'qcow2', disk, '16M']);
    let res = await h.call('details.addDevice', { ...vm(), etag: await etag(), device: { kind: 'interface', type: 'user', model: 'e1000' } });
    expect(res.id).toBe('interface[1]');
    res = await h.call('details.addDevice', { ...vm(), etag: res.etag, device: { kind: 'disk', source: { type: 'path', path: disk } } });
    expect(res.id).toBe('disk[0]');
    const d = await h.call('details.get', vm());
    expect(d.config.devices.filter((x) => x.kind === 'interface').map((x) => x.kind === 'interface' && x.model)).toEqual(['virtio', 'e1000']);
    expect(d.config.devices.find((x) => x.id === 'disk[0]')).toMatchObject({ source: disk, bus: 'virtio', target: 'vda', format: 'qcow2' });
    expect(inactive()).toMatch(/<mac address='52:54:00:[0-9a-f:]+'\/>\s*<source type='user'|<interface type='user'>/);
    const r1 = await h.call('details.removeDevice', { ...vm(), etag: d.etag, id: 'disk[0]' });
    await h.call('details.removeDevice', { ...vm(), etag: r1.etag, id: 'interface[1]' });
    const after = await h.call('details.get', vm());
    expect(after.config.devices.some((x) => x.kind === 'disk')).toBe(false);
    expect(after.config.devices.filter((x) => x.kind === 'interface')).toHaveLength(1);
  });

  it('the XML editor refuses an invalid element (nothing changes) and applies a valid edit; restore brings back the old one', async () => {
    const { xml, etag: before } = await h.call('details.xml', vm());
    const bad = xml.replace('<devices>', '<devices>\n    <flux-capacitor/>');
    const v = await h.call('details.validateXml', { ...vm(), xml: bad });
    expect(v.ok).toBe(false);
    expect(v.checks).toContain('schema'); // virt-xml-validate ran on the host
    expect(v.problems[0]!.line).toBe(bad.split('\n').findIndex((l) => l.includes('<devices>')) + 1);
    await expect(h.call('details.applyXml', { ...vm(), xml: bad, etag: before })).rejects.toThrow(/failed to validate against schema/);
    expect((await h.call('details.xml', vm())).etag).toBe(before);
    expect(inactive()).not.toContain('flux-capacitor');

    const good = xml.replace(/<title>.*<\/title>/, '<title>Edited in the XML tab</title>');
    expect(await h.call('details.validateXml', { ...vm(), xml: good })).toMatchObject({ ok: true, problems: [] });
    const applied = await h.call('details.applyXml', { ...vm(), xml: good, etag: before });
    expect(applied.running).toBe(false);
    expect(inactive()).toContain('<title>Edited in the XML tab</title>');
    const history = await h.call('details.history', vm());
    expect(history[0]).toMatchObject({ cause: 'xml', xml });

    // One click back to the very first definition, the one the tests started from.
    const first = history.at(-1)!;
    expect(first.xml.trimEnd()).toBe(original);
    await h.call('details.restore', { ...vm(), entryId: first.id, etag: applied.etag });
    expect(inactive()).toBe(original);
    expect((await h.call('details.history', vm()))[0]!.xml).toContain('<title>Edited in the XML tab</title>');
  });

  it('the XML editor refuses a different UUID: that would define a second VM', async () => {
    const { xml, etag: e } = await h.call('details.xml', vm());
    const other = xml.replace(CLONE_UUID, '5d7e57a1-0000-4e2e-8d0c-000000000bad');
    const v = await h.call('details.validateXml', { ...vm(), xml: other });
    expect(v).toMatchObject({ ok: false, checks: ['wellformed', 'identity'] });
    await expect(h.call('details.applyXml', { ...vm(), xml: other, etag: e })).rejects.toThrow(/<uuid> must stay/);
    expect(virsh('dominfo', '--domain', '5d7e57a1-0000-4e2e-8d0c-000000000bad').status).not.toBe(0);
  });

  it('CD-ROM: insert media while shut off, eject it while running', async () => {
    const iso = join(work, 'install media.iso');
    spawnSync('truncate', ['-s', '1M', iso]);
    const added = await h.call('details.addDevice', { ...vm(), etag: await etag(), device: { kind: 'disk', device: 'cdrom', source: { type: 'none' }, bus: 'sata' } });
    const cd = (await h.call('details.get', vm())).config.devices.find((x) => x.id === added.id);
    expect(cd).toMatchObject({ kind: 'disk', device: 'cdrom', bus: 'sata', target: 'sda', readonly: true });
    expect(cd).not.toHaveProperty('source');
    await h.call('details.changeMedia', { ...vm(), target: 'sda', source: iso });
    expect(inactive()).toContain(`<source file='${iso}'/>`);
    await h.call('domains.action', { hostId, uuids: [CLONE_UUID], action: 'start' });
    const running = await h.call('details.get', vm());
    expect(running.live!.devices.find((x) => x.kind === 'disk' && x.device === 'cdrom')).toMatchObject({ source: iso });
    const ejected = await h.call('details.changeMedia', { ...vm(), target: 'sda', source: null });
    expect(ejected.liveApplied).toBe(true);
    expect((await h.call('details.get', vm())).live!.devices.find((x) => x.kind === 'disk' && x.device === 'cdrom')).not.toHaveProperty('source');
    expect(inactive()).not.toContain(iso);
    await h.call('domains.action', { hostId, uuids: [CLONE_UUID], action: 'destroy' });
    await h.call('details.removeDevice', { ...vm(), etag: await etag(), id: added.id });
    expect(inactive()).not.toContain("device='cdrom'");
  });

  it('while it runs: vCPUs and memory apply live, a NIC hot-plugs and unplugs, and XML edits say they wait for the next boot', async () => {
    await h.call('domains.action', { hostId, uuids: [CLONE_UUID], action: 'start' });
    await until(() => existsSync(cloneSerialLog()) && readFileSync(cloneSerialLog(), 'utf8').includes(th.GUEST_BANNER), 60_000, 'the guest to boot');

    let res = await h.call('details.edit', { ...vm(), etag: await etag(), live: true, edit: { kind: 'vcpus', max: 2, current: 2 } });
    expect(res).toMatchObject({ liveApplied: true, needsRestart: false });
    expect(virsh('vcpucount', '--domain', CLONE_UUID, '--live', '--active').stdout.trim()).toBe('2');

    res = await h.call('details.edit', { ...vm(), etag: res.etag, live: true, edit: { kind: 'memory', maxKiB: 131072, currentKiB: 98304 } });
    expect(res.liveError).toBeUndefined();
    // The guest's balloon driver gives the memory back; libvirt's live XML follows its report.
    await until(() => virsh('dumpxml', '--domain', CLONE_UUID).stdout.includes("<currentMemory unit='KiB'>98304</currentMemory>"), 20_000, 'the balloon to shrink');
    expect(inactive()).toContain("<currentMemory unit='KiB'>98304</currentMemory>");

    res = await h.call('details.edit', { ...vm(), etag: res.etag, live: true, edit: { kind: 'memory', maxKiB: 196608, currentKiB: 98304 } });
    expect(res).toMatchObject({ needsRestart: true });

    const added = await h.call('details.addDevice', { ...vm(), etag: res.etag, live: true, device: { kind: 'interface', type: 'user', model: 'virtio' } });
    expect(added).toMatchObject({ liveApplied: true });
    const liveNics = (await h.call('details.get', vm())).live!.devices.filter((x) => x.kind === 'interface');
    expect(liveNics).toHaveLength(2);
    const removed = await h.call('details.removeDevice', { ...vm(), etag: added.etag, live: true, id: added.id });
    expect(removed).toMatchObject({ liveApplied: true });
    // The guest acknowledges the unplug (ACPI PCI hotplug) and the NIC leaves the live config.
    await until(() => (virsh('dumpxml', '--domain', CLONE_UUID).stdout.match(/<interface /g) ?? []).length === 1, 20_000, 'the NIC to be unplugged');

    const { xml, etag: e } = await h.call('details.xml', vm());
    const applied = await h.call('details.applyXml', { ...vm(), xml: xml.replace(/<title>.*<\/title>/, '<title>Edited while running</title>'), etag: e });
    expect(applied.running).toBe(true);
    await h.call('domains.action', { hostId, uuids: [CLONE_UUID], action: 'destroy' });
  });
});

describe('VM details on the test driver (the demo host)', () => {
  let h: Harness;
  const TEST_UUID = '6695eb01-f6a4-8304-79aa-97f2502e193f';
  beforeAll(async () => {
    h = await startHarness();
    await h.call('hosts.connect', { hostId: 'demo' });
  });
  afterAll(() => h?.close());

  it('reads its built-in VM and edits its title through define --validate', async () => {
    const d = await h.call('details.get', { hostId: 'demo', uuid: TEST_UUID });
    expect(d).toMatchObject({ name: 'test', state: 'running' });
    expect(d.live).not.toBeNull();
    const res = await h.call('details.edit', { hostId: 'demo', uuid: TEST_UUID, etag: d.etag, live: true, edit: { kind: 'general', title: 'Demo VM' } });
    expect(res.etag).not.toBe(d.etag);
    expect((await h.call('details.get', { hostId: 'demo', uuid: TEST_UUID })).config.title).toBe('Demo VM');
    const { xml, etag } = await h.call('details.xml', { hostId: 'demo', uuid: TEST_UUID });
    await expect(h.call('details.applyXml', { hostId: 'demo', uuid: TEST_UUID, xml: xml.replace('<devices>', '<devices><nonsense/>'), etag })).rejects.toThrow(/schema/);
  });
});
