/**
 * The migration job's options that the first round left untested (issue 15), through the real
 * Backend's `migration.start` between the shared host A and the private host B, both over SSH:
 *  - the offline move as a job (path 'offline'): progress copy → define → verify → done, the end
 *    event, the VM changing host by events, and a cancel mid-copy that leaves A intact and B empty;
 *  - `--copy-storage-inc` onto an image made on B first;
 *  - the temporary (non-persistent) move, with the max downtime set while the job runs.
 * Run only as: flock /tmp/vd-private-host.lock npx vitest run --project integration <this file>
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MigrationOptionsInput, MigrationOutcome, MigrationProgress } from '../../../shared/model/migration';
import { startHarness, type Harness } from '../../../e2e/support/backend-harness';
import { privateHostPath, privateVirsh, startPrivateHost, stopPrivateHost, type PrivateHost } from '../../../e2e/support/private-host';
import { testHost } from '../../../e2e/support/test-host';
import { until } from '../../../e2e/support/until';
import { connectBoth, defineOnA, logOn, removeEverywhere, virshA } from './testing/two-hosts';

const th = testHost();
const OFF = { name: 'vd-test-migt-off', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ff1601', mac: '52:54:00:7e:16:01' };
const INC = { name: 'vd-test-migt-inc', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ff1602', mac: '52:54:00:7e:16:02' };
const TMP = { name: 'vd-test-migt-tmp', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ff1603', mac: '52:54:00:7e:16:03' };
/** Under /var/lib/libvirt, which B has apart from A: the same path is a different file on each. */
const POOL = 'vd-test-migt-pool';
const POOL_DIR = '/var/lib/libvirt/vd-test-migt-pool';
const OFF_MIB = 160;
/** OFF boots with UEFI variables too: the move copies them after its disk. */
const OFF_NVRAM = `/var/lib/libvirt/qemu/nvram/${OFF.name}_VARS.fd`;
const withNvram = (x: string) =>
  x.replace('</type>', `</type>\n    <loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.fd</loader>\n    <nvram template='/usr/share/OVMF/OVMF_VARS_4M.fd'>${OFF_NVRAM}</nvram>`);

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const withDisk = (file: string, format: string) => (x: string) =>
  x.replace('<controller ', `<disk type='file' device='disk'><driver name='qemu' type='${format}'/><source file='${file}'/><target dev='vda' bus='virtio'/></disk>\n    <controller `);
const ok = (r: { status: number | null; stderr: string }, what: string) => {
  if (r.status !== 0) throw new Error(`${what}: ${r.stderr}`);
};

describe('migration job options between host A and host B', () => {
  let b: PrivateHost;
  let h: Harness;
  let ids: { a: string; b: string };
  let dir: string;
  const onB = (...a: string[]) => privateVirsh(b, ...a);

  beforeAll(async () => {
    b = await startPrivateHost();
    dir = mkdtempSync(join(tmpdir(), 'vd-migt-'));
    h = await startHarness();
    h.answerPrompts(() => ({ accept: true }));
    ids = await connectBoth(h, th, b);
    for (const g of [OFF, INC, TMP]) removeEverywhere(g, b);
    ok(virshA('pool-define-as', '--name', POOL, '--type', 'dir', '--target', POOL_DIR), 'pool-define-as on A');
    ok(virshA('pool-build', '--pool', POOL), 'pool-build on A');
    ok(virshA('pool-start', '--pool', POOL), 'pool-start on A');
  }, 180_000);

  afterAll(async () => {
    h?.close();
    for (const g of [OFF, INC, TMP]) if (b) removeEverywhere(g, b);
    for (const run of [virshA, ...(b ? [onB] : [])]) {
      for (const v of ['off.raw', 'inc.qcow2', 'base.qcow2']) run('vol-delete', '--pool', POOL, '--vol', v);
      run('pool-destroy', '--pool', POOL);
      run('pool-undefine', '--pool', POOL);
    }
    rmSync(POOL_DIR, { recursive: true, force: true });
    rmSync(OFF_NVRAM, { force: true });
    if (b) rmSync(privateHostPath(b, POOL_DIR), { recursive: true, force: true });
    if (b) await stopPrivateHost(b);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The pool on B as the dialog creates it (storage.pools.define), unless it is there already. */
  async function poolOnB(): Promise<void> {
    if (onB('pool-info', '--pool', POOL).status === 0) return;
    await h.call('storage.pools.define', { hostId: ids.b, spec: { type: 'dir', name: POOL, targetPath: POOL_DIR }, build: true, start: true });
  }

  /** Starts a job, runs `during` while it goes, waits for `migration.finished`. */
  async function migrate(from: string, to: string, uuid: string, options: MigrationOptionsInput, during?: (jobId: string, p: MigrationProgress[]) => Promise<void>) {
    const seen: MigrationProgress[] = [];
    const changed: Array<{ hostId: string; cause: string; at: number }> = [];
    const off = h.backend.onEvent((n, p) => {
      if (n === 'migration.progress') seen.push(p as MigrationProgress);
      if (n === 'domains.changed') changed.push({ ...(p as { hostId: string; cause: string }), at: performance.now() });
    });
    const t0 = performance.now();
    const { jobId } = await h.call('migration.start', { sourceHostId: from, destHostId: to, uuid, options });
    const end = h.next('migration.finished', (o) => o.jobId === jobId, 600_000);
    if (during) await during(jobId, seen);
    const outcome = (await end) as MigrationOutcome;
    const ms = Math.round(performance.now() - t0);
    return { outcome, seen: () => seen.filter((p) => p.jobId === jobId), changed, ms, stop: off };
  }

  const listed = async (hostId: string) => (await h.call('domains.list', { hostId })).map((d) => d.uuid);

  it('offline move through migration.start: missing pool offered, cancel mid-copy leaves A intact and B empty, then copy → define → verify → done and the VM changes host by events', async () => {
    const disk = `${POOL_DIR}/off.raw`;
    spawnSync('dd', ['if=/dev/urandom', `of=${disk}`, 'bs=1M', `count=${OFF_MIB}`, 'status=none']);
    ok(virshA('pool-refresh', '--pool', POOL), 'pool-refresh');
    copyFileSync('/usr/share/OVMF/OVMF_VARS_4M.fd', OFF_NVRAM);
    defineOnA(th, OFF, dir, (x) => withNvram(withDisk(disk, 'raw')(x)), false);
    const before = sha256(disk);
    const args = { sourceHostId: ids.a, destHostId: ids.b, uuid: OFF.uuid, options: { path: 'offline' as const } };

    const missing = await h.call('migration.preflight', args);
    expect(missing.ok).toBe(false);
    expect(missing.path).toBe('offline');
    expect(missing.missingPools).toEqual([{ name: POOL, path: POOL_DIR }]);
    await poolOnB();
    const report = await h.call('migration.preflight', args);
    expect(report.checks.filter((c) => !c.ok), JSON.stringify(report.checks)).toEqual([]);
    expect(report.missingPools).toBeUndefined();

    // Cancelled during its pre-flight: it ends before anything moves.
    const early = await migrate(ids.a, ids.b, OFF.uuid, { path: 'offline' }, async (jobId) => {
      expect(await h.call('migration.cancel', { jobId })).toEqual({ cancelled: true });
    });
    early.stop();
    expect(early.outcome.state).toBe('cancelled');
    expect(early.outcome.error).toMatch(/cancelled before anything moved|cancelled while copying disk vda/);
    console.log(`offline job cancelled at once: ${early.outcome.error}`);
    expect(virshA('domstate', '--domain', OFF.uuid).stdout.trim()).toBe('shut off');
    expect(onB('dominfo', '--domain', OFF.uuid).status).not.toBe(0);

    // Cancel once some MiB went through: A keeps the VM and its disk as they were, B has neither.
    const cancelled = await migrate(ids.a, ids.b, OFF.uuid, { path: 'offline' }, async (jobId) => {
      // On the event itself, not a 200 ms poll: the whole copy takes about a second here.
      await h.next('migration.progress', (p) => p.jobId === jobId && p.phase === 'copy' && (p.dataProcessed ?? 0) > 8 * 2 ** 20, 120_000);
      expect(await h.call('migration.cancel', { jobId })).toEqual({ cancelled: true });
    });
    cancelled.stop();
    expect(cancelled.outcome.state).toBe('cancelled');
    expect(cancelled.outcome.error).toMatch(/cancelled while copying disk vda/);
    expect(cancelled.seen().at(-1)!.phase).toBe('cancelled');
    expect(virshA('domstate', '--domain', OFF.uuid).stdout.trim()).toBe('shut off');
    expect(sha256(disk)).toBe(before);
    expect(onB('dominfo', '--domain', OFF.uuid).status).not.toBe(0);
    await until(() => !onB('vol-list', '--pool', POOL).stdout.includes('off.raw'), 30_000, 'no partial volume on B');

    const moved = await migrate(ids.a, ids.b, OFF.uuid, { path: 'offline' });
    const seen = moved.seen();
    expect(moved.outcome.error).toBeUndefined();
    expect(moved.outcome).toMatchObject({ state: 'done', name: OFF.name, bytes: OFF_MIB * 2 ** 20 });
    const copy = seen.filter((p) => p.phase === 'copy');
    expect(copy.length).toBeGreaterThan(0);
    expect(copy.filter((p) => p.disk === 'vda').at(-1)).toMatchObject({ dataProcessed: OFF_MIB * 2 ** 20, dataTotal: OFF_MIB * 2 ** 20 });
    // The NVRAM's step keeps the disks' figures: the dialog's bar stays full instead of falling back to empty.
    expect(copy.at(-1)).toMatchObject({ disk: 'nvram', dataProcessed: OFF_MIB * 2 ** 20, dataTotal: OFF_MIB * 2 ** 20 });
    expect(sha256(privateHostPath(b, OFF_NVRAM))).toBe(sha256('/usr/share/OVMF/OVMF_VARS_4M.fd'));
    // The phases in order (each once the previous is over).
    const order = [...new Set(seen.map((p) => p.phase))];
    expect(order.filter((p) => ['copy', 'define', 'verify', 'done'].includes(p))).toEqual(['copy', 'define', 'verify', 'done']);
    expect(order.indexOf('copy')).toBeLessThan(order.indexOf('define'));
    console.log(`offline job A → B: ${moved.ms} ms for ${OFF_MIB} MiB, ${copy.length} copy progress events, phases ${order.join(',')}`);
    expect(onB('domstate', '--domain', OFF.uuid).stdout.trim()).toBe('shut off');
    expect(onB('dominfo', '--domain', OFF.uuid).stdout).toMatch(/Persistent:\s+yes/);
    expect(virshA('dominfo', '--domain', OFF.uuid).status).not.toBe(0);
    expect(sha256(privateHostPath(b, disk))).toBe(before);
    // By events: libvirt's define on B and undefine on A each raise a domains.changed from the host's event stream.
    await until(() => moved.changed.some((c) => c.hostId === ids.b && c.cause === 'event') && moved.changed.some((c) => c.hostId === ids.a && c.cause === 'event'), 30_000, 'lifecycle events from both hosts');
    moved.stop();
    expect(await listed(ids.b)).toContain(OFF.uuid);
    expect(await listed(ids.a)).not.toContain(OFF.uuid);
    const logged = h.backend.activity.list().filter((e) => e.argv[0] === 'migration').at(-1)!;
    expect(logged.argv.slice(0, 3)).toEqual(['migration', 'done', OFF.name]);
  }, 600_000);

  it('--copy-storage-inc onto an overlay made first on B over the same base: only the top layer travels, the disks are identical (qemu-img compare)', async () => {
    await poolOnB();
    // The base is on both hosts (as a shared template would be); the VM's overlay on A holds 1 MiB of its own.
    const base = `${POOL_DIR}/base.qcow2`;
    const img = `${POOL_DIR}/inc.qcow2`;
    const qi = (...a: string[]) => ok(spawnSync('qemu-img', a, { encoding: 'utf8' }), `qemu-img ${a.join(' ')}`);
    const qio = (file: string, cmd: string) => ok(spawnSync('qemu-io', ['-f', 'qcow2', '-c', cmd, file], { encoding: 'utf8' }), `qemu-io ${cmd}`);
    qi('create', '-q', '-f', 'qcow2', base, '8M');
    qio(base, 'write -P 0x3c 0 4M');
    copyFileSync(base, privateHostPath(b, base));
    qi('create', '-q', '-f', 'qcow2', '-b', base, '-F', 'qcow2', img);
    qio(img, 'write -P 0xc5 4M 1M');
    ok(virshA('pool-refresh', '--pool', POOL), 'pool-refresh');
    ok(onB('pool-refresh', '--pool', POOL), 'pool-refresh on B');
    defineOnA(th, INC, dir, withDisk(img, 'qcow2'));
    const args = { sourceHostId: ids.a, destHostId: ids.b, uuid: INC.uuid, options: { copyStorage: 'inc' as const } };
    const none = await h.call('migration.preflight', args);
    expect(none.ok, JSON.stringify(none.checks)).toBe(false);
    expect(none.checks.find((c) => c.id === 'pool:vda')).toMatchObject({ ok: false, message: expect.stringContaining('made there first') });
    // The overlay made first on B: same path, an empty qcow2 over the same base.
    ok(onB('vol-create-as', '--pool', POOL, '--name', 'inc.qcow2', '--capacity', '8M', '--format', 'qcow2', '--backing-vol', base, '--backing-vol-format', 'qcow2'), 'vol-create-as on B');
    const report = await h.call('migration.preflight', args);
    expect(report.checks.filter((c) => !c.ok), JSON.stringify(report.checks)).toEqual([]);
    const lines = await h.call('migration.commands', args);
    expect(lines.find((l) => l.argv.includes('migrate'))!.argv).toContain('--copy-storage-inc');
    await until(() => logOn('A', INC.name).includes(th.GUEST_BANNER), 120_000, 'the guest banner on A');
    const r = await migrate(ids.a, ids.b, INC.uuid, { copyStorage: 'inc' });
    r.stop();
    expect(r.outcome.error).toBeUndefined();
    console.log(`A → B --copy-storage-inc: ${r.ms} ms, downtime ${r.outcome.downtimeMs} ms; phases ${[...new Set(r.seen().map((p) => p.phase))].join(',')}`);
    expect(onB('domstate', '--domain', INC.uuid).stdout.trim()).toBe('running');
    expect(virshA('dominfo', '--domain', INC.uuid).status).not.toBe(0);
    const cmp = spawnSync('qemu-img', ['compare', '-U', img, privateHostPath(b, img)], { encoding: 'utf8' });
    expect(cmp.stdout + cmp.stderr).toContain('Images are identical');
    expect(cmp.status).toBe(0);
    // Incremental: B's overlay keeps its base and holds only the top layer (1 MiB), not the base's 4 MiB.
    const info = JSON.parse(spawnSync('qemu-img', ['info', '-U', '--output=json', privateHostPath(b, img)], { encoding: 'utf8' }).stdout) as { 'backing-filename'?: string; 'actual-size': number };
    console.log(`B's overlay after --copy-storage-inc: ${info['actual-size']} bytes allocated, backing ${info['backing-filename']}`);
    expect(info['backing-filename']).toBe(base);
    expect(info['actual-size']).toBeLessThan(3 * 2 ** 20);
  }, 600_000);

  it('temporary move with a max downtime: libvirt reports the downtime set while the job runs; the VM runs on B as transient and A keeps its definition', async () => {
    defineOnA(th, TMP, dir);
    await until(() => logOn('A', TMP.name).includes(th.GUEST_BANNER), 120_000, 'the guest banner on A');
    const options = { persistent: false, maxDowntimeMs: 321, bandwidthMiBps: 6 };
    const lines = await h.call('migration.commands', { sourceHostId: ids.a, destHostId: ids.b, uuid: TMP.uuid, options });
    const mig = lines.find((l) => l.argv.includes('migrate'))!.argv;
    expect(mig).not.toContain('--persistent');
    expect(mig).not.toContain('--undefinesource');
    expect(lines.some((l) => l.argv.slice(3).join(' ') === `migrate-setmaxdowntime --domain ${TMP.uuid} --downtime 321`)).toBe(true);
    let reported = '';
    const r = await migrate(ids.a, ids.b, TMP.uuid, options, async (jobId, seen) => {
      // What libvirt reports on the source while the job runs (the value is the job's, gone after it).
      await until(() => {
        const g = virshA('migrate-getmaxdowntime', '--domain', TMP.uuid);
        if (g.status === 0) reported = g.stdout.trim();
        return reported === '321' || seen.some((p) => p.jobId === jobId && ['done', 'failed', 'cancelled'].includes(p.phase));
      }, 120_000, 'the max downtime on the source');
    });
    r.stop();
    expect(r.outcome.error).toBeUndefined();
    expect(reported).toBe('321');
    const set = h.backend.activity.list().filter((e) => e.argv.includes('migrate-setmaxdowntime')).at(-1);
    expect(set?.outcome).toBe('ok');
    console.log(`A → B temporary: ${r.ms} ms, downtime ${r.outcome.downtimeMs} ms; setmaxdowntime logged: ${set ? set.argv.join(' ') : 'no'}`);
    expect(onB('domstate', '--domain', TMP.uuid).stdout.trim()).toBe('running');
    expect(onB('dominfo', '--domain', TMP.uuid).stdout).toMatch(/Persistent:\s+no/);
    expect(virshA('domstate', '--domain', TMP.uuid).stdout.trim()).toBe('shut off');
    expect(virshA('dominfo', '--domain', TMP.uuid).stdout).toMatch(/Persistent:\s+yes/);
    // A transient VM leaves B when it stops; A's definition is what remains.
    ok(onB('destroy', '--domain', TMP.uuid), 'destroy on B');
    expect(onB('dominfo', '--domain', TMP.uuid).status).not.toBe(0);
  }, 600_000);
});
