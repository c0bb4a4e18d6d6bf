/**
 * New VM over SSH (qemu+ssh to the test host's sshd, non-root user in group libvirt): the same
 * backend boots an ISO as a UEFI CD-ROM on q35 and an imported disk, each to the guest's banner.
 */
import { spawnSync } from 'node:child_process';
import { chownSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewVmSpecInput } from '../../../shared/model/newvm';
import { connectOverSsh, startHarness, type Harness } from '../../../e2e/support/backend-harness';
import { testHost } from '../../../e2e/support/test-host';
import { makeTestPool, newVmEnv, removeVms, serialConsole, virsh, vmNames, type TestPool } from './testing/new-vm-env';

const PREFIX = 'vd-test-newvm-ssh';
const MiB = 1024 * 1024;

describe('New VM over SSH (qemu+ssh to 127.0.0.1)', () => {
  const env = newVmEnv();
  let h: Harness;
  let id: string;
  let pool: TestPool;

  // An OS only the SSH user's own osinfo folder (~/.config/osinfo) knows, as libosinfo reads it.
  const th = testHost();
  const userHome = spawnSync('getent', ['passwd', th.SSH_USER], { encoding: 'utf8' }).stdout.split(':')[5]!;
  const userDb = join(userHome, '.config', 'osinfo');

  beforeAll(async () => {
    removeVms(PREFIX);
    const dir = join(userDb, 'os', 'virtdeck.test');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'vdtestos-1.xml'),
      `<?xml version="1.0" encoding="UTF-8"?>\n<libosinfo version="0.0.1">\n  <os id="http://virtdeck.test/vdtestos/1">\n    <short-id>vdtestos1</short-id>\n    <name>Virtdeck Test OS 1</name>\n    <version>1</version>\n    <family>linux</family>\n    <distro>vdtestos</distro>\n    <release-date>2026-01-01</release-date>\n  </os>\n</libosinfo>\n`,
    );
    const uid = Number(spawnSync('id', ['-u', th.SSH_USER], { encoding: 'utf8' }).stdout);
    for (const p of [join(userHome, '.config'), userDb, join(userDb, 'os'), dir, join(dir, 'vdtestos-1.xml')]) chownSync(p, uid, uid);
    pool = makeTestPool(env, 'ssh');
    h = await startHarness();
    h.answerPrompts(() => ({ accept: true }));
    id = await connectOverSsh(h, testHost());
  });
  afterAll(() => {
    rmSync(userDb, { recursive: true, force: true });
    h?.close();
    removeVms(PREFIX);
    pool?.remove();
  });

  it('the wizard opens fast over SSH: capabilities, OS list and defaults', async () => {
    const t0 = Date.now();
    const [caps, list] = await Promise.all([h.call('newvm.capabilities', { hostId: id }), h.call('newvm.osList', { hostId: id })]);
    const ms = Date.now() - t0;
    console.log(`wizard open → ready over SSH (capabilities, domcapabilities ×2, pools, networks, OS list of ${list.os.length}): ${ms} ms`);
    expect(caps.pools.some((p) => p.uuid === pool.uuid)).toBe(true);
    expect(list.os.length).toBeGreaterThan(100);
    expect(list.os.find((o) => o.id === 'vdtestos1')).toMatchObject({ name: 'Virtdeck Test OS 1' });
    const t1 = Date.now();
    const again = await h.call('newvm.osList', { hostId: id });
    console.log(`OS list again (cached per host and db version): ${Date.now() - t1} ms`);
    expect(again.os.length).toBe(list.os.length);
    const t2 = Date.now();
    const det = await h.call('newvm.detectOs', { hostId: id, media: { type: 'volume', poolUuid: pool.uuid, name: 'known.iso' } });
    console.log(`OS detection of an ISO volume over SSH: ${Date.now() - t2} ms`);
    expect(det.osId).toBe('debian11');
  }, 60_000);

  it('an ISO volume as a UEFI CD-ROM on q35 (Secure Boot off, virtio-scsi) with a new qcow2 disk boots to the banner; hostile name', async () => {
    const name = `${PREFIX} "$(id)" ü 'iso'`;
    const spec: NewVmSpecInput = {
      name,
      source: { kind: 'iso', iso: { type: 'volume', poolUuid: pool.uuid, name: 'test install.iso' } },
      osId: 'debian12', // not in the db: debian11's defaults, virtio everywhere, q35
      memoryMiB: 256,
      vcpus: 1,
      storage: { kind: 'new', poolUuid: pool.uuid, sizeBytes: 64 * MiB, format: 'qcow2' },
      network: { kind: 'user' },
      domainType: 'qemu',
      firmware: 'efi',
      secureBoot: false,
    };
    const plan = await h.call('newvm.plan', { hostId: id, spec });
    expect(plan.problems).toEqual([]);
    expect(plan.osNote).toMatch(/debian11/);
    expect(plan.xml).toContain("<feature enabled='no' name='secure-boot'/>");
    expect(plan.xml).toMatch(/<target dev='sda' bus='scsi'\/>/);
    expect(plan.xml).toContain("model='virtio-scsi'");
    expect(plan.xml).toContain("<tpm model='tpm-crb'>");
    expect(plan.commands[0]!.argv.slice(3)).toEqual(['vol-create-as', '--pool', pool.uuid, '--name', `${name}.qcow2`, '--capacity', String(64 * MiB), '--format', 'qcow2', '--allocation', '0']);
    expect(plan.virtInstall).toContain('--osinfo debian11');
    const created = await h.call('newvm.create', { hostId: id, spec: { ...spec, uuid: plan.uuid } });
    const con = serialConsole(created.uuid);
    try {
      console.log(`ISO as UEFI CD-ROM over SSH to banner: ${await con.until(env.GUEST_BANNER, 180_000)} ms`);
    } finally {
      con.close();
    }
    const inactive = virsh('dumpxml', '--domain', created.uuid, '--inactive').stdout;
    expect(inactive).not.toContain('test install.iso'); // ejected in the final configuration
    expect(inactive).toContain('<boot dev=\'hd\'/>');
    expect(vmNames(PREFIX)).toContain(name);
  }, 300_000);

  it('direct kernel boot over SSH: kernel and initrd from pool volumes boot to the banner', async () => {
    const spec: NewVmSpecInput = {
      name: `${PREFIX} kernel`,
      source: { kind: 'kernel', kernel: { type: 'volume', poolUuid: pool.uuid, name: 'vmlinuz' }, initrd: { type: 'volume', poolUuid: pool.uuid, name: 'initrd.img' }, cmdline: 'console=ttyS0 console=tty1 quiet loglevel=3' },
      osId: 'generic',
      memoryMiB: 128,
      vcpus: 1,
      storage: { kind: 'none' },
      network: { kind: 'none' },
      domainType: 'qemu',
      machine: 'pc',
    };
    const plan = await h.call('newvm.plan', { hostId: id, spec });
    expect(plan.problems).toEqual([]);
    expect(plan.xml).toMatch(/<kernel>[^<]*vmlinuz<\/kernel>/);
    expect(plan.xml).toMatch(/<initrd>[^<]*initrd\.img<\/initrd>/);
    const created = await h.call('newvm.create', { hostId: id, spec: { ...spec, uuid: plan.uuid } });
    const con = serialConsole(created.uuid);
    try {
      console.log(`kernel boot over SSH to banner: ${await con.until(env.GUEST_BANNER, 120_000)} ms`);
    } finally {
      con.close();
    }
    expect(vmNames(PREFIX)).toContain(spec.name);
  }, 240_000);

  it('the test image imported as a raw disk (user-chosen format) boots to the banner with BIOS on pc', async () => {
    const spec: NewVmSpecInput = {
      name: `${PREFIX} import`,
      source: { kind: 'import', disk: { type: 'volume', poolUuid: pool.uuid, name: 'disk image.img' }, format: 'raw' },
      osId: 'generic',
      memoryMiB: 128,
      vcpus: 1,
      storage: { kind: 'none' },
      network: { kind: 'none' },
      domainType: 'qemu',
    };
    const plan = await h.call('newvm.plan', { hostId: id, spec });
    expect(plan.problems).toEqual([]);
    expect(plan.finalXml).toBeNull(); // no install phase
    expect(plan.xml).toMatch(/<target dev='hda' bus='ide'\/>/);
    const created = await h.call('newvm.create', { hostId: id, spec: { ...spec, uuid: plan.uuid } });
    expect(created.phase).toBe('done');
    const con = serialConsole(created.uuid);
    try {
      console.log(`imported disk over SSH to banner: ${await con.until(env.GUEST_BANNER, 120_000)} ms`);
    } finally {
      con.close();
    }
  }, 200_000);

  it('a qcow2 image whose backing file lies outside every pool is refused', async () => {
    const evil = `${pool.dir}/evil.qcow2`;
    const made = spawnSync('qemu-img', ['create', '-f', 'qcow2', '-F', 'raw', '-b', '/etc/hostname', evil], { encoding: 'utf8' });
    expect(made.status).toBe(0);
    virsh('pool-refresh', '--pool', pool.uuid);
    const spec: NewVmSpecInput = {
      name: `${PREFIX} evil`,
      source: { kind: 'import', disk: { type: 'volume', poolUuid: pool.uuid, name: 'evil.qcow2' }, format: 'qcow2' },
      memoryMiB: 128,
      vcpus: 1,
      storage: { kind: 'none' },
      network: { kind: 'none' },
      domainType: 'qemu',
    };
    const plan = await h.call('newvm.plan', { hostId: id, spec });
    expect(plan.problems).toEqual([{ field: 'source', message: expect.stringMatching(/backing file outside the host’s storage pools \(\/etc\/hostname\)/) }]);
    // The same file imported as raw has no backing chain: allowed (the guest sees the bytes only).
    const raw = await h.call('newvm.plan', { hostId: id, spec: { ...spec, source: { ...spec.source, format: 'raw' } as NewVmSpecInput['source'] } });
    expect(raw.problems).toEqual([]);
  }, 60_000);
});
