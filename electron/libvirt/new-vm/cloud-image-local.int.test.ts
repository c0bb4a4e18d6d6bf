/**
 * New VM from a cloud image on the real local host (qemu:///system, TCG): the seed Virtdeck
 * builds is read by the guest's kernel from an IDE CD-ROM, the guest prints its host name and
 * instance-id, the first boot ends through user-data's power_state, and the final configuration
 * boots without the seed, whose volume is gone. Bad user-data is refused before anything exists.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../../e2e/support/backend-harness';
import { cloudSpec, createAndBootCloudVm, imageInfo, KEY, makeCloudPool, MiB, CLOUD_IMAGE_VOLUME, type CloudPool } from './testing/cloud-flows';
import { newVmEnv, removeVms, virsh, vmNames, type NewVmEnv } from './testing/new-vm-env';

const HOST = 'local-system';
const PREFIX = 'vd-test-cloudinit-local';

describe('New VM from a cloud image on the local host', () => {
  const env = newVmEnv() as NewVmEnv & { STATE_DIR: string };
  let h: Harness;
  let pool: CloudPool;

  beforeAll(async () => {
    removeVms(PREFIX);
    pool = makeCloudPool(env, 'local');
    h = await startHarness();
    await h.call('hosts.connect', { hostId: HOST });
  });
  afterAll(() => {
    h?.close(); // first: the phase tracker must not restart what cleanup stops
    removeVms(PREFIX);
    pool?.remove();
  });

  it('linked overlay + seed on IDE (pc): the guest prints the seed’s hostname and instance-id; after the first boot the seed is gone and the final configuration boots', async () => {
    const name = `${PREFIX} “one” $(id)`;
    const spec = cloudSpec(name, pool, {
      linked: true,
      machine: 'pc',
      sizeBytes: 64 * MiB,
      cloudInit: {
        userName: 'alice',
        password: 'correct horse battery',
        sshKeys: [KEY],
        hostname: 'cloud-one',
        packages: ['nginx'],
        userData: '#cloud-config\n# ends the first boot, as a real image would after its setup\npower_state:\n  mode: reboot\n',
      },
    });
    const plan = await h.call('newvm.plan', { hostId: HOST, spec });
    expect(plan.problems).toEqual([]);
    // What the seed holds, as shown: the fields merged into the editor's document, the hash hidden.
    expect(plan.seed).toMatchObject({ volume: `${name}-cidata.iso`, schemaChecked: expect.any(String), networkConfig: null });
    expect(plan.seed!.userData).toMatch(/^#cloud-config\n# ends the first boot/);
    expect(plan.seed!.userData).toContain('hostname: cloud-one');
    expect(plan.seed!.userData).toContain(KEY);
    expect(plan.seed!.userData).not.toContain('correct horse');
    expect(plan.seed!.metaData).toBe(`instance-id: iid-${plan.uuid}\nlocal-hostname: cloud-one\n`);
    // The same user-data passes the host's cloud-init 22.4 (plain file, run here as the test's own check).
    const dir = mkdtempSync(join(tmpdir(), 'vd-ud-'));
    try {
      const f = join(dir, 'user-data');
      writeFileSync(f, plan.seed!.userData);
      const r = spawnSync('cloud-init', ['schema', '--config-file', f], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // The exact lines "Show command" shows: overlay, seed volume, its upload (no password anywhere), define, start, define final.
    expect(plan.commands.map((c) => c.argv.slice(3, 4)[0])).toEqual(['vol-create-as', 'vol-create-as', 'vol-upload', 'define', 'start', 'define']);
    expect(plan.commands[0]!.argv).toEqual(expect.arrayContaining(['--backing-vol', join(pool.dir, CLOUD_IMAGE_VOLUME), '--backing-vol-format', 'qcow2']));
    expect(plan.commands[2]!.stdinFile).toMatch(/cloud-init seed \(ISO9660, label cidata, \d+ bytes\) built by Virtdeck/);
    expect(JSON.stringify(plan)).not.toContain('correct horse');
    expect(plan.finalXml).not.toContain('ua-virtdeck-cidata');
    expect(plan.finalXml).not.toContain("device='cdrom'");
    expect(plan.virtInstall).toContain('--cloud-init user-data=user-data,meta-data=meta-data');

    const { uuid } = await createAndBootCloudVm(h, HOST, env, pool, spec, 'VIRTDECK-CLOUD seed hostname=cloud-one instance-id=IID user=alice keys=1 header=#cloud-config on sr0', 'local, IDE seed');
    // The disk is an overlay on the image, grown to the size asked for; the image is counted as in use.
    const disk = imageInfo(join(pool.dir, `${name}.qcow2`));
    expect(disk['virtual-size']).toBe(64 * MiB);
    expect(disk['backing-filename']).toBe(join(pool.dir, CLOUD_IMAGE_VOLUME));
    const vols = await h.call('storage.volumes.list', { hostId: HOST, poolUuid: pool.uuid });
    expect(vols.find((v) => v.name === CLOUD_IMAGE_VOLUME)?.usedBy.map((u) => u.uuid)).toEqual([uuid]);
    // Nothing of the password in plain text in the activity log; the schema check's stdin is there with the hash hidden.
    const log = JSON.stringify(await h.call('activity.list', {}));
    expect(log).not.toContain('correct horse');
    expect(log).toContain('cloud-init');
  }, 420_000);

  it('bad user-data is refused before anything is created: not YAML, no header, refused by the host’s cloud-init schema', async () => {
    const base = (userData: string) => cloudSpec(`${PREFIX} bad`, pool, { linked: true, machine: 'pc', sizeBytes: 64 * MiB, cloudInit: { hostname: 'bad', userData } });
    const before = pool.vols();
    const cases: [string, RegExp][] = [
      ['#cloud-config\nruncmd: 5\n', /The host’s cloud-init refuses the user-data: .*runcmd: 5 is not of type 'array'/],
      ['#cloud-config\nusers: [\n', /user-data is not valid YAML/],
      ['hostname: x\n', /must begin with the line “#cloud-config”/],
    ];
    for (const [userData, message] of cases) {
      const plan = await h.call('newvm.plan', { hostId: HOST, spec: base(userData) });
      expect(plan.problems).toEqual([{ field: 'cloudInit', message: expect.stringMatching(message) }]);
      await expect(h.call('newvm.create', { hostId: HOST, spec: base(userData) })).rejects.toMatchObject({ code: 'invalid_args', message: expect.stringMatching(message) });
    }
    expect(pool.vols()).toEqual(before);
    expect(vmNames(`${PREFIX} bad`)).toEqual([]);
    // A disk smaller than the image, or no new disk: refused too.
    const small = await h.call('newvm.plan', { hostId: HOST, spec: cloudSpec(`${PREFIX} small`, pool, { linked: true, machine: 'pc', sizeBytes: 8 * MiB, cloudInit: {} }) });
    expect(small.problems.map((p) => p.field)).toEqual(['storage']);
  }, 120_000);

  it('a full copy (not linked), customized first: the seed volume holds user-data with a $6$ hash of the password that openssl verifies; cancel removes disk and seed', async () => {
    const name = `${PREFIX} copy`;
    const spec = { ...cloudSpec(name, pool, { linked: false, machine: 'q35', sizeBytes: 48 * MiB, cloudInit: { userName: 'bob', password: 'pw ü $(id)', hostname: 'copy' } }), customize: true };
    const created = await h.call('newvm.create', { hostId: HOST, spec });
    expect(created.phase).toBe('customizing');
    const disk = imageInfo(join(pool.dir, `${name}.qcow2`));
    expect(disk['virtual-size']).toBe(48 * MiB);
    expect(disk['backing-filename']).toBeUndefined();
    const seedFile = join(pool.dir, `${name}-cidata.iso`);
    expect(spawnSync('blkid', ['-p', '-o', 'value', '-s', 'LABEL', seedFile], { encoding: 'utf8' }).stdout.trim()).toBe('cidata');
    const out = mkdtempSync(join(tmpdir(), 'vd-seed-'));
    const ex = spawnSync('xorriso', ['-osirrox', 'on', '-indev', seedFile, '-extract', '/user-data', join(out, 'user-data')], { encoding: 'utf8' });
    expect(ex.status, ex.stderr).toBe(0);
    const userData = readFileSync(join(out, 'user-data'), 'utf8');
    rmSync(out, { recursive: true, force: true });
    const hash = /passwd: (\$6\$[^$]+\$\S+)/.exec(userData)?.[1];
    expect(hash).toBeDefined();
    const salt = hash!.split('$')[2]!;
    expect(spawnSync('openssl', ['passwd', '-6', '-salt', salt, '-stdin'], { input: 'pw ü $(id)', encoding: 'utf8' }).stdout.trim()).toBe(hash);
    expect(userData).not.toContain('pw ü');
    // q35: the seed sits on virtio-scsi (the test kernel has no AHCI for a SATA CD-ROM).
    expect(virsh('dumpxml', '--domain', created.uuid, '--inactive').stdout).toMatch(/<target dev='sda' bus='scsi'\/>/);
    const cancelled = await h.call('newvm.cancel', { hostId: HOST, uuid: created.uuid });
    expect(cancelled.undone).toHaveLength(3);
    expect(pool.vols()).not.toContain(`${name}.qcow2`);
    expect(pool.vols()).not.toContain(`${name}-cidata.iso`);
    expect(pool.vols()).toContain(CLOUD_IMAGE_VOLUME);
  }, 120_000);
});
