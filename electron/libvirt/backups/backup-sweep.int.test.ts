/**
 * Backups never leave unlisted files: a backend killed (SIGKILL) mid-backup leaves a manifest
 * written 'running' first, so a fresh backend lists the backup (running while libvirt's job
 * outlives the app, interrupted once nobody writes it), finishes it when QEMU's job completes,
 * and deletes it with nothing left (also a shut-off VM's vol-create-from cut off). And the
 * backups of a VM deleted since stay reachable in the host-wide list: restored as a new VM there.
 * Real host (libvirt 9.0, QEMU 7.2 TCG) over SSH as the non-root test user; own guests and pool.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectOverSsh, startHarness, type Harness } from '../../../e2e/support/backend-harness';
import { testHost } from '../../../e2e/support/test-host';
import { until } from '../../../e2e/support/until';
import { hasPattern, makeBackupGuests, virsh, type BackupGuestIds, type BackupGuests } from './testing/backup-guests';

const IDS: BackupGuestIds = {
  clone: { name: 'vd-test-bsweep', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ffbc01', mac: '52:54:00:7e:bc:01' },
  big: { name: 'vd-test-bsweep-big', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ffbc02', mac: '52:54:00:7e:bc:02' },
  pool: 'vd-test-bsweep-pool',
  restoredPrefix: 'vd-test-bsweep-restored',
};
const root = join(__dirname, '..', '..', '..');

/** The child backend bundled as it is now (as web-app.ts bundles the server). */
async function buildChild(): Promise<string> {
  const { build } = await import('esbuild');
  const dir = join(root, 'dist', 'test-web');
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, `backup-child-${process.pid}.cjs`);
  // Every package stays external but unixcrypt: ESM-only, a CJS bundle cannot require() it.
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
  const external = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((n) => n !== 'unixcrypt').flatMap((n) => [n, `${n}/*`]);
  await build({ entryPoints: [join(__dirname, 'testing/backup-child.ts')], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', external, logLevel: 'warning' });
  return outfile;
}

/** Starts a backup of `uuid` in a child backend and SIGKILLs it once QEMU's job copies. */
async function killMidBackup(bundle: string, uuid: string, ready: (out: string) => boolean = (out) => /progress \{[^\n]*"phase":"copying"/.test(out)): Promise<string> {
  const child = spawn(process.execPath, [bundle, uuid, IDS.pool], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  let gone = false;
  const exited = new Promise((r) => child.once('exit', () => ((gone = true), r(null))));
  try {
    await until(() => gone || ready(out) || /^(failed|finished)/m.test(out), 120_000, 'the backup copying in the child');
    // At once: on this host QEMU copies the 2 GiB in about a second, and the tests need the job alive.
    expect(gone).toBe(false);
    expect(out).not.toMatch(/^(failed|finished)/m);
  } catch (e) {
    throw new Error(`${(e as Error).message}\nchild output:\n${out.slice(-3000)}`);
  } finally {
    child.kill('SIGKILL');
    await exited;
    const home = /^home (.+)$/m.exec(out)?.[1];
    if (home) rmSync(home, { recursive: true, force: true });
  }
  return out;
}

const jobActive = (uuid: string) => /Backup/.test(virsh('domjobinfo', '--domain', uuid).stdout);

describe('backups cut off by a killed app, and backups of deleted VMs', () => {
  const th = testHost();
  let h: Harness;
  let hostId: string;
  let g: BackupGuests;
  let bundle = '';

  beforeAll(async () => {
    g = makeBackupGuests(th, { ids: IDS });
    expect(virsh('start', '--domain', IDS.big.uuid).status).toBe(0);
    bundle = await buildChild();
    h = await startHarness();
    h.answerPrompts(() => ({ accept: true }));
    hostId = await connectOverSsh(h, th);
  }, 180_000);
  afterAll(() => {
    h?.close();
    g?.cleanup();
    if (bundle) rmSync(bundle, { force: true });
  });

  it('lists a backup whose app was killed mid-copy as running while libvirt still writes it; deleting it aborts the job and leaves nothing', async () => {
    await killMidBackup(bundle, IDS.big.uuid);
    // `h`, connected before, is the fresh backend: it never saw this backup start.
    const big = { hostId, uuid: IDS.big.uuid };
    const before = jobActive(IDS.big.uuid);
    const [b] = await h.call('backups.list', big);
    const after = jobActive(IDS.big.uuid);
    expect(b).toBeDefined();
    // QEMU's job outlived the app: the manifest says running and libvirt still writes the file
    // (or, when the job ended meanwhile, nobody does: interrupted).
    const stillRunning = b!.status === 'running';
    console.log(`[backup-sweep] after SIGKILL the libvirt job ${before ? 'still ran' : 'had ended'} (listed ${b!.status})`);
    if (before === after) expect(stillRunning).toBe(before);
    expect(b).toMatchObject({ state: 'running', method: 'backup-begin' });
    expect(b!.disks.map((d) => existsSync(d.path))).toEqual([true]);
    const all = await h.call('backups.listHost', { hostId });
    expect(all.pools.map((p) => p.name)).toContain(IDS.pool);
    expect(all.backups.find((x) => x.id === b!.id && x.pool === IDS.pool)).toMatchObject({ vmDefined: true, status: b!.status });
    await expect(h.call('backups.restoreAsNew', { ...big, pool: IDS.pool, id: b!.id, name: `${IDS.restoredPrefix} x`, targetPool: IDS.pool })).rejects.toThrow(/cannot be restored/);
    const shown = await h.call('commands.preview', { name: 'backups.delete', args: { ...big, pool: IDS.pool, id: b!.id } });
    if (stillRunning) expect(shown.commands[0]!.argv.slice(3)).toEqual(['domjobabort', '--domain', IDS.big.uuid]);
    const r = await h.call('backups.delete', { ...big, pool: IDS.pool, id: b!.id });
    expect(r.removed).toEqual([b!.disks[0]!.path, b!.manifestVolume]);
    expect(jobActive(IDS.big.uuid)).toBe(false);
    expect(readdirSync(g.dir).filter((f) => f.startsWith(IDS.big.name) || f.startsWith('vdbackup.'))).toEqual([]);
    expect(await h.call('backups.list', big)).toEqual([]);
  }, 240_000);

  it('finishes a cut-off backup from a fresh backend: follows the orphaned libvirt job to completion, then it is complete and whole', async () => {
    await killMidBackup(bundle, IDS.big.uuid);
    const big = { hostId, uuid: IDS.big.uuid };
    const [b] = await h.call('backups.list', big);
    expect(b).toMatchObject({ status: 'running' });
    const shown = await h.call('commands.preview', { name: 'backups.finish', args: { ...big, pool: IDS.pool, id: b!.id } });
    expect(shown.commands.map((c) => c.argv.slice(3, 8))).toEqual([['vol-upload', '--pool', IDS.pool, '--vol', b!.manifestVolume]]);
    const t0 = Date.now();
    const done = await h.call('backups.finish', { ...big, pool: IDS.pool, id: b!.id });
    console.log(`[backup-sweep] the orphaned 2 GiB backup job was followed to its end in ${Date.now() - t0} ms`);
    expect(done).toMatchObject({ id: b!.id, state: 'complete', status: 'complete' });
    const [again] = await h.call('backups.list', big);
    expect(again).toMatchObject({ id: b!.id, state: 'complete', status: 'complete' });
    expect(hasPattern(b!.disks[0]!.path, 0xab, '0', '1M') && hasPattern(b!.disks[0]!.path, 0xab, '2047M', '1M')).toBe(true);
    await expect(h.call('backups.finish', { ...big, pool: IDS.pool, id: b!.id })).rejects.toThrow(/is complete: only a backup whose libvirt job still runs/);
    await h.call('backups.delete', { ...big, pool: IDS.pool, id: b!.id });
    expect(readdirSync(g.dir).filter((f) => f.startsWith(IDS.big.name) || f.startsWith('vdbackup.'))).toEqual([]);
  }, 400_000);

  it('lists a cut-off backup whose libvirt job ended as interrupted: not restorable, deletable', async () => {
    await killMidBackup(bundle, IDS.big.uuid);
    // The job ends without the app (here: aborted as a failing job would end), nobody writes 'complete'.
    virsh('domjobabort', '--domain', IDS.big.uuid);
    await until(() => !jobActive(IDS.big.uuid), 60_000, 'the orphaned job gone');
    const big = { hostId, uuid: IDS.big.uuid };
    const [b] = await h.call('backups.list', big);
    expect(b).toMatchObject({ state: 'running', status: 'interrupted' });
    await expect(h.call('backups.restoreAsNew', { ...big, pool: IDS.pool, id: b!.id, name: `${IDS.restoredPrefix} y`, targetPool: IDS.pool })).rejects.toThrow(/incomplete \(interrupted/);
    const shown = await h.call('commands.preview', { name: 'backups.delete', args: { ...big, pool: IDS.pool, id: b!.id } });
    expect(shown.commands.map((c) => c.argv[3])).toEqual(['vol-delete', 'vol-delete']);
    await h.call('backups.delete', { ...big, pool: IDS.pool, id: b!.id });
    expect(readdirSync(g.dir).filter((f) => f.startsWith(IDS.big.name) || f.startsWith('vdbackup.'))).toEqual([]);
  }, 240_000);

  it('a shut-off VM’s backup cut off mid-copy (vol-create-from) is listed interrupted and deletable; nothing is left', async () => {
    virsh('destroy', '--domain', IDS.big.uuid);
    // Killed once the target volume exists (libvirt is copying into it).
    await killMidBackup(bundle, IDS.big.uuid, () => readdirSync(g.dir).some((f) => f.startsWith(`${IDS.big.name}.backup-`)));
    const big = { hostId, uuid: IDS.big.uuid };
    const [b] = await h.call('backups.list', big);
    expect(b).toMatchObject({ method: 'vol-copy', state: 'running', status: 'interrupted' });
    // libvirtd may still fill the volume its client left (9.0): the delete says so until the copy ends.
    let left = '';
    await until(
      () =>
        h.call('backups.delete', { ...big, pool: IDS.pool, id: b!.id }).then(
          () => true,
          (e: Error) => ((left = e.message), false),
        ),
      120_000,
      `the interrupted copy deleted (${left})`,
    );
    if (left) {
      console.log(`[backup-sweep] delete retried: ${left}`);
      expect(left).toMatch(/libvirt is still copying into .* delete the backup again once it ends/);
    }
    expect(readdirSync(g.dir).filter((f) => f.startsWith(IDS.big.name + '.') || f.startsWith('vdbackup.'))).toEqual([]);
  }, 240_000);

  it('restores a backup of a VM deleted since as a new VM from the host-wide list, then deletes it', async () => {
    // Data written into the shut-off disk, then backed up by copying the volume.
    expect(spawnSync('qemu-io', ['-f', 'qcow2', '-c', 'write -P 0x5a 0 1M', g.disk]).status).toBe(0);
    const vm = { hostId, uuid: IDS.clone.uuid };
    const made = await h.call('backups.create', { ...vm, pool: IDS.pool });
    expect(made).toMatchObject({ state: 'complete', status: 'complete', method: 'vol-copy' });
    expect(virsh('undefine', '--domain', IDS.clone.uuid).status).toBe(0);

    const listed = (await h.call('backups.listHost', { hostId })).backups.filter((b) => b.vm.uuid === IDS.clone.uuid);
    expect(listed.map((b) => [b.id, b.vm.name, b.vmDefined, b.status])).toEqual([[made.id, IDS.clone.name, false, 'complete']]);
    const name = `${IDS.restoredPrefix} 1`;
    const r = await h.call('backups.restoreAsNew', { ...vm, pool: IDS.pool, id: made.id, name, targetPool: IDS.pool });
    expect(r.uuid).not.toBe(IDS.clone.uuid);
    const disk = join(g.dir, `${IDS.restoredPrefix}_1.vdb.qcow2`);
    expect(virsh('dumpxml', '--domain', r.uuid).stdout).toContain(disk);
    expect(hasPattern(disk, 0x5a, '0', '1M')).toBe(true);

    const del = await h.call('backups.delete', { ...vm, pool: IDS.pool, id: made.id });
    expect(del.removed).toContain(made.disks[0]!.path);
    expect((await h.call('backups.listHost', { hostId })).backups.filter((b) => b.vm.uuid === IDS.clone.uuid)).toEqual([]);
    expect(readdirSync(g.dir).filter((f) => f.startsWith('vdbackup.'))).toEqual([]);
  }, 180_000);
});
