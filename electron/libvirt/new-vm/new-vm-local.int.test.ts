/**
 * New VM on the real local host (qemu:///system, TCG): what the wizard's backend creates boots
 * for real, install phases end in the final configuration, and failures leave nothing behind.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewVmSpecInput } from '../../../shared/model/newvm';
import { startHarness, type Harness } from '../../../e2e/support/backend-harness';
import { makeTestPool, newVmEnv, removeVms, serialConsole, virsh, vmNames, type TestPool } from './testing/new-vm-env';

const HOST = 'local-system';
const PREFIX = 'vd-test-newvm-local';
const MiB = 1024 * 1024;

describe('New VM on the local host (qemu:///system)', () => {
  const env = newVmEnv();
  let h: Harness;
  let pool: TestPool;
  const net = `${PREFIX}-net inactive`;

  beforeAll(async () => {
    removeVms(PREFIX);
    pool = makeTestPool(env, 'local');
    h = await startHarness();
    await h.call('hosts.connect', { hostId: HOST });
  });
  afterAll(() => {
    h?.close(); // first: the phase tracker must not restart what cleanup stops
    removeVms(PREFIX);
    virsh('net-undefine', '--network', net);
    pool?.remove();
  });

  const base = (name: string): NewVmSpecInput => ({
    name,
    source: { kind: 'manual' },
    osId: 'generic-linux',
    memoryMiB: 128,
    vcpus: 1,
    storage: { kind: 'none' },
    network: { kind: 'none' },
    domainType: 'qemu',
  });
  const vols = () => virsh('vol-list', '--pool', pool.uuid).stdout;

  it('the wizard gets the host facts: pools with free space, firmware per machine type, domain types, osinfo', async () => {
    const t0 = Date.now();
    const caps = await h.call('newvm.capabilities', { hostId: HOST });
    const ms = Date.now() - t0;
    console.log(`newvm.capabilities locally: ${ms} ms`);
    expect(caps.pools.find((p) => p.uuid === pool.uuid)).toMatchObject({ name: pool.name, active: true });
    expect(caps.domainTypes).toContain('qemu');
    const q35 = caps.machines.find((m) => m.name === 'q35')!;
    const pc = caps.machines.find((m) => m.name === 'pc')!;
    expect(q35.firmware).toEqual(['bios', 'efi']);
    expect(q35).toMatchObject({ secureBootOn: true, secureBootOff: true });
    // OVMF's Secure Boot builds need SMM, which pc lacks: asked per machine type, the answers differ.
    expect(pc.secureBootOn).toBe(false);
    expect(caps.osinfo).toMatchObject({ available: true });
    expect(caps.osinfo.count).toBeGreaterThan(100);
  });

  it('debian12 is not in Debian 12’s osinfo-db: the newest Debian is used, and the user is told', async () => {
    const r = await h.call('newvm.osDefaults', { hostId: HOST, osId: 'debian12' });
    expect(r.defaults.id).toBe('debian11');
    expect(r.note).toMatch(/debian12 is not in this host's osinfo-db .*debian11/);
    // debian11 has recommended 1 GiB and virtio devices inherited through derives-from.
    expect(r.defaults).toMatchObject({ recMemoryMiB: 1024, diskBus: 'virtio', nicModel: 'virtio', q35: true, source: 'osinfo' });
    // Windows 11 from the host's db (through win10 → win8.1 → … derives-from): no virtio drivers in its installer.
    const win = await h.call('newvm.osDefaults', { hostId: HOST, osId: 'win11' });
    expect(win).toMatchObject({ note: null, defaults: { windows: true, diskBus: 'sata', q35: true, source: 'osinfo' } });
    const list = await h.call('newvm.osList', { hostId: HOST });
    expect(list.source).toBe('osinfo');
    expect(list.os.some((o) => o.id === 'debian11')).toBe(true);
    expect(list.os.some((o) => o.id === 'debian6')).toBe(false); // end of life: hidden by default
    expect(list.os.at(-1)!.id).toBe('generic'); // built-in families are always offered…
    expect(list.os.filter((o) => o.id === 'win11')).toHaveLength(1); // …unless the db has the id itself
  });

  it('detects the OS of an ISO volume from its volume descriptor; the plain test ISO is unknown', async () => {
    const t0 = Date.now();
    const known = await h.call('newvm.detectOs', { hostId: HOST, media: { type: 'volume', poolUuid: pool.uuid, name: 'known.iso' } });
    console.log(`newvm.detectOs of an ISO volume locally: ${Date.now() - t0} ms`);
    expect(known).toMatchObject({ volumeId: 'Debian 11.0.0 amd64 n', osId: 'debian11' });
    const plain = await h.call('newvm.detectOs', { hostId: HOST, media: { type: 'path', path: env.TEST_ISO } });
    expect(plain).toMatchObject({ volumeId: 'VIRTDECK_TEST', osId: null });
    expect(plain.note).toMatch(/generic family/);
  });

  it('direct kernel boot to the banner, then the install phase ends: the restart boots the final configuration from the disk', async () => {
    const name = `${PREFIX} kernel`;
    const spec: NewVmSpecInput = {
      ...base(name),
      source: { kind: 'kernel', kernel: { type: 'volume', poolUuid: pool.uuid, name: 'vmlinuz' }, initrd: { type: 'path', path: `${pool.dir}/initrd.img` }, cmdline: 'console=ttyS0 console=tty1 quiet loglevel=3' },
      // The disk is the hybrid test ISO as a raw image: the final configuration boots it through GRUB.
      storage: { kind: 'existing', volume: { type: 'volume', poolUuid: pool.uuid, name: 'disk image.img' }, format: 'raw' },
      osId: 'generic',
      machine: 'pc',
    };
    const plan = await h.call('newvm.plan', { hostId: HOST, spec });
    expect(plan.problems).toEqual([]);
    expect(plan.xml).toMatch(/<kernel>[^<]*vmlinuz<\/kernel>/);
    expect(plan.xml).toContain('<on_reboot>destroy</on_reboot>');
    expect(plan.finalXml).not.toContain('<kernel>');
    expect(plan.commands.map((c) => c.argv.slice(3, 5))).toEqual([['define', '--validate'], ['start', '--domain'], ['define', '--validate']]);
    expect(plan.virtInstall).toContain("--install 'kernel=");
    // "Show command" shows exactly these lines, from the same planner.
    const shown = await h.call('commands.preview', { name: 'newvm.create', args: { hostId: HOST, spec: { ...spec, uuid: plan.uuid } } });
    expect(shown.commands).toEqual(plan.commands);

    const created = await h.call('newvm.create', { hostId: HOST, spec: { ...spec, uuid: plan.uuid } });
    const con = serialConsole(created.uuid);
    try {
      expect(created).toMatchObject({ uuid: plan.uuid, phase: 'installing' });
      expect(await h.call('newvm.phases', { hostId: HOST })).toContainEqual({ uuid: created.uuid, name, phase: 'installing' });
      console.log(`kernel boot to banner: ${await con.until(env.GUEST_BANNER, 120_000)} ms`);
      // The running guest keeps the install configuration; the persistent one is already final.
      const inactive = virsh('dumpxml', '--domain', created.uuid, '--inactive').stdout;
      expect(inactive).not.toContain('<kernel>');
      expect(inactive).toContain('<on_reboot>restart</on_reboot>');
      expect(virsh('dumpxml', '--domain', created.uuid).stdout).toContain('<kernel>');
    } finally {
      con.close();
    }
    // The "installer" powers off (ACPI power button → poweroff): Virtdeck starts the final configuration.
    const ended = h.next('newvm.phase', (p) => p.uuid === created.uuid, 90_000);
    expect(virsh('shutdown', '--domain', created.uuid).status).toBe(0);
    const phase = await ended;
    expect(phase).toMatchObject({ phase: 'done', name });
    expect((await h.call('newvm.phases', { hostId: HOST })).map((p) => p.uuid)).not.toContain(created.uuid);
    const again = serialConsole(created.uuid);
    try {
      console.log(`final configuration (disk, GRUB) to banner: ${await again.until(env.GUEST_BANNER, 120_000)} ms`);
    } finally {
      again.close();
    }
    const live = virsh('dumpxml', '--domain', created.uuid).stdout;
    expect(live).not.toContain('<kernel>');
    expect(live).toMatch(/<vd:phase>done<\/vd:phase>|<phase>done<\/phase>/);
  }, 300_000);

  it('an ISO as an IDE CD-ROM (BIOS, pc) boots to the banner; an install phase that ends while Virtdeck is closed is finished on the next connect', async () => {
    const spec: NewVmSpecInput = {
      ...base(`${PREFIX} iso`),
      source: { kind: 'iso', iso: { type: 'volume', poolUuid: pool.uuid, name: 'test install.iso' } },
      storage: { kind: 'new', poolUuid: pool.uuid, sizeBytes: 32 * MiB, format: 'qcow2' },
      osId: 'generic',
      machine: 'pc',
    };
    const created = await h.call('newvm.create', { hostId: HOST, spec });
    const con = serialConsole(created.uuid);
    try {
      console.log(`ISO as IDE CD-ROM (BIOS) to banner: ${await con.until(env.GUEST_BANNER, 120_000)} ms`);
    } finally {
      con.close();
    }
    // Virtdeck is closed; the installer powers off meanwhile; nothing restarts it.
    h.close();
    expect(virsh('shutdown', '--domain', created.uuid).status).toBe(0);
    for (let i = 0; i < 300 && virsh('domstate', '--domain', created.uuid).stdout.trim() !== 'shut off'; i++) await new Promise((r) => setTimeout(r, 100));
    expect(virsh('domstate', '--domain', created.uuid).stdout.trim()).toBe('shut off');
    // The next connect finds the phase in <metadata> and starts the final configuration.
    h = await startHarness();
    const ended = h.next('newvm.phase', (p) => p.uuid === created.uuid, 60_000);
    await h.call('hosts.connect', { hostId: HOST });
    expect(await ended).toMatchObject({ phase: 'done' });
    expect(virsh('domstate', '--domain', created.uuid).stdout.trim()).toBe('running');
    const live = virsh('dumpxml', '--domain', created.uuid).stdout;
    expect(live).not.toContain('test install.iso');
    expect(live).toContain('<on_reboot>restart</on_reboot>');
  }, 300_000);

  it('customize before install: defined, not started; "Begin installation" starts the install configuration and makes the final one persistent', async () => {
    const spec: NewVmSpecInput = {
      ...base(`${PREFIX} customize`),
      source: { kind: 'iso', iso: { type: 'path', path: env.TEST_ISO } },
      osId: 'generic',
      machine: 'pc',
      customize: true,
    };
    const created = await h.call('newvm.create', { hostId: HOST, spec });
    expect(created.phase).toBe('customizing');
    expect(virsh('domstate', '--domain', created.uuid).stdout.trim()).toBe('shut off');
    // Also after a restart of Virtdeck: read from the VM's <metadata>.
    const other = await startHarness();
    try {
      await other.call('hosts.connect', { hostId: HOST });
      expect(await other.call('newvm.phases', { hostId: HOST })).toContainEqual({ uuid: created.uuid, name: `${PREFIX} customize`, phase: 'customizing' });
    } finally {
      other.close();
    }
    // The user changes the vCPU count in the details editor (here: virsh setvcpus --config).
    expect(virsh('setvcpus', '--domain', created.uuid, '--count', '2', '--config', '--maximum').status).toBe(0);
    expect(virsh('setvcpus', '--domain', created.uuid, '--count', '2', '--config').status).toBe(0);
    expect(await h.call('newvm.beginInstall', { hostId: HOST, uuid: created.uuid })).toEqual({ phase: 'installing' });
    expect(virsh('domstate', '--domain', created.uuid).stdout.trim()).toBe('running');
    const live = virsh('dumpxml', '--domain', created.uuid).stdout;
    expect(live).toContain(env.TEST_ISO);
    expect(live).toMatch(/<vcpu placement='static'>2<\/vcpu>/);
    const inactive = virsh('dumpxml', '--domain', created.uuid, '--inactive').stdout;
    expect(inactive).not.toContain(env.TEST_ISO);
    expect(inactive).toMatch(/<vcpu placement='static'>2<\/vcpu>/);
    await expect(h.call('newvm.cancel', { hostId: HOST, uuid: created.uuid })).rejects.toMatchObject({ code: 'invalid_args' });
  }, 120_000);

  it('a pool too small, a hostile name already taken, an inactive network: refused before anything is created', async () => {
    const hostile = `${PREFIX} "$(id)" 'q' \`x\` ü;|&`;
    const first = await h.call('newvm.create', { hostId: HOST, spec: { ...base(hostile), customize: true } });
    expect(first.phase).toBe('customizing');
    expect(vmNames(PREFIX)).toContain(hostile);

    const netXml = `<network><name>${net}</name><bridge name='vdnvtest0'/></network>`;
    const netFile = join(pool.dir, '..', 'net.xml');
    writeFileSync(netFile, netXml);
    expect(virsh('net-define', '--file', netFile).stderr).toBe('');

    const bad: NewVmSpecInput = {
      ...base(hostile),
      storage: { kind: 'new', poolUuid: pool.uuid, sizeBytes: 1024 ** 5, format: 'qcow2' }, // 1 PiB
      network: { kind: 'network', network: net },
    };
    const plan = await h.call('newvm.plan', { hostId: HOST, spec: bad });
    expect(plan.problems.map((p) => p.field).sort()).toEqual(['name', 'network', 'storage']);
    const elsewhere = await h.call('newvm.plan', { hostId: HOST, spec: { ...base(`${PREFIX} elsewhere`), cpuset: '0,999', network: { kind: 'bridge', bridge: 'vdnope0' } } });
    expect(elsewhere.problems).toEqual([
      { field: 'network', message: 'The host has no interface “vdnope0”.' },
      { field: 'cpuset', message: expect.stringMatching(/the CPU set names 999/) },
    ]);
    // Secure Boot firmware needs SMM, which pc lacks: asked per machine type, refused there, fine on q35.
    const sb = { ...base(`${PREFIX} sb`), firmware: 'efi', secureBoot: true } as const;
    expect((await h.call('newvm.plan', { hostId: HOST, spec: { ...sb, machine: 'pc' } })).problems).toEqual([
      { field: 'firmware', message: 'The host has no Secure Boot firmware for pc (Secure Boot needs q35).' },
    ]);
    const q35 = await h.call('newvm.plan', { hostId: HOST, spec: { ...sb, machine: 'q35' } });
    expect(q35.problems).toEqual([]);
    expect(q35.xml).toContain("<feature enabled='yes' name='secure-boot'/>");
    expect(q35.xml).toContain("<smm state='on'/>");
    const before = vols();
    await expect(h.call('newvm.create', { hostId: HOST, spec: bad })).rejects.toMatchObject({ code: 'invalid_args' });
    expect(vols()).toBe(before);
    expect(vmNames(PREFIX).filter((n) => n === hostile)).toHaveLength(1);

    // "Cancel" on a customized VM removes it and the volume the wizard made for it.
    const custom = await h.call('newvm.create', {
      hostId: HOST,
      spec: { ...base(`${PREFIX} custom`), customize: true, storage: { kind: 'new', poolUuid: pool.uuid, sizeBytes: 16 * MiB, name: 'custom disk.qcow2' } },
    });
    expect(vols()).toContain('custom disk.qcow2');
    const cancelled = await h.call('newvm.cancel', { hostId: HOST, uuid: custom.uuid });
    expect(cancelled.undone).toHaveLength(2);
    expect(vols()).not.toContain('custom disk.qcow2');
    expect(vmNames(PREFIX)).not.toContain(`${PREFIX} custom`);
    await h.call('newvm.cancel', { hostId: HOST, uuid: first.uuid });
  }, 120_000);

  it('a step that fails after others ran (start with a missing ISO) undoes them in reverse and says so', async () => {
    const spec: NewVmSpecInput = {
      ...base(`${PREFIX} undo`),
      source: { kind: 'iso', iso: { type: 'path', path: '/nonexistent/x.iso' } },
      storage: { kind: 'new', poolUuid: pool.uuid, sizeBytes: 16 * MiB, name: 'undo disk.qcow2' },
    };
    const err = (await h.call('newvm.create', { hostId: HOST, spec }).then(() => ({ message: 'created', detail: '{}' }), (e: unknown) => e)) as { message: string; detail?: string };
    expect(err.message).toMatch(/virsh start failed/);
    expect(JSON.parse(err.detail!).undone).toEqual(['removed the VM “vd-test-newvm-local undo”', 'deleted the new volume “undo disk.qcow2” in “vd-test-newvm pool local”']);
    expect(vols()).not.toContain('undo disk.qcow2');
    expect(vmNames(`${PREFIX} undo`)).toEqual([]);
  }, 60_000);
});
