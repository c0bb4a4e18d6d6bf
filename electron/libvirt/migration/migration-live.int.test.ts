/**
 * Live migration relayed through Virtdeck (issue 15, paths 1 and 2) between the shared test host
 * A (qemu:///system, over SSH 127.0.0.1:2222) and the private host B (127.0.0.2:2223), both
 * reached by a real Backend over SSH. A has no key or known_hosts entry for B: the source's
 * libvirtd dials the relay's socket (qemu+unix:///system?socket=…), which Virtdeck forwards over
 * its own SSH connections. Run it under `flock /tmp/vd-private-host.lock`.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MigrationOptionsInput, MigrationOutcome, MigrationProgress } from '../../../shared/model/migration';
import { startHarness, type Harness } from '../../../e2e/support/backend-harness';
import { guestXmlAs, privateHostPath, privateVirsh, startPrivateHost, stopPrivateHost, type PrivateHost } from '../../../e2e/support/private-host';
import { testHost } from '../../../e2e/support/test-host';
import { until } from '../../../e2e/support/until';
import { connectBoth, defineOnA, lastCount, logOn, removeEverywhere, serialShell, virshA } from './testing/two-hosts';

const th = testHost();
const G1 = { name: 'vd-test-migl-one', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ff1501', mac: '52:54:00:7e:15:01' };
const G2 = { name: 'vd-test-migl-needs', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ff1502', mac: '52:54:00:7e:15:02' };
const G3 = { name: 'vd-test-migl-disk', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ff1503', mac: '52:54:00:7e:15:03' };
const G4 = { name: 'vd-test-migl-two', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ff1504', mac: '52:54:00:7e:15:04' };
const SAME_NAME = { name: G1.name, uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ff15ff', mac: '52:54:00:7e:15:ff' };
/** Only on A: B's /var/lib/libvirt is its own. */
const A_ONLY = '/var/lib/libvirt/vd-test-migl';
const NET = 'vd-test-migl-net';
const POOL = 'vd-test-migl-pool';
const POOL_DIR = '/var/lib/libvirt/vd-test-migl-pool';
const COUNTER = `echo VDMARK-$((6*7)) > /vd-mark; (i=0; while true; do echo VDCNT-$i; i=$((i+1)); sleep 1; done) &`;

describe('live migration relayed through Virtdeck between host A and host B', () => {
  let b: PrivateHost;
  let h: Harness;
  let ids: { a: string; b: string };
  let dir: string;

  beforeAll(async () => {
    b = await startPrivateHost();
    dir = mkdtempSync(join(tmpdir(), 'vd-migl-'));
    h = await startHarness();
    h.answerPrompts(() => ({ accept: true }));
    ids = await connectBoth(h, th, b);
  }, 180_000);
  afterAll(async () => {
    h?.close();
    for (const g of [G1, G2, G3, G4, SAME_NAME]) if (b) removeEverywhere(g, b);
    virshA('net-destroy', '--network', NET);
    virshA('net-undefine', '--network', NET);
    for (const run of [virshA, ...(b ? [(...a: string[]) => privateVirsh(b, ...a)] : [])]) {
      run('vol-delete', '--pool', POOL, '--vol', 'disk.qcow2');
      run('pool-destroy', '--pool', POOL);
      run('pool-undefine', '--pool', POOL);
    }
    rmSync(A_ONLY, { recursive: true, force: true });
    rmSync(POOL_DIR, { recursive: true, force: true });
    if (b) rmSync(privateHostPath(b, POOL_DIR), { recursive: true, force: true });
    if (b) await stopPrivateHost(b);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Starts a job and waits for its end; returns the outcome, the progress seen and the relay entries. */
  async function migrate(from: string, to: string, uuid: string, options: MigrationOptionsInput, during?: (jobId: string, p: MigrationProgress[]) => Promise<void>) {
    const seen: MigrationProgress[] = [];
    const off = h.backend.onEvent((n, p) => {
      if (n === 'migration.progress') seen.push(p as MigrationProgress);
    });
    const args = { sourceHostId: from, destHostId: to, uuid, options };
    const t0 = performance.now();
    const { jobId } = await h.call('migration.start', args);
    const end = h.next('migration.finished', (o) => o.jobId === jobId, 600_000);
    if (during) await during(jobId, seen);
    const outcome = (await end) as MigrationOutcome;
    off();
    const ms = Math.round(performance.now() - t0);
    const relays = (await h.call('activity.list', {})).filter((e) => e.argv[0] === 'relay');
    return { outcome, seen: seen.filter((p) => p.jobId === jobId), ms, relays };
  }

  it('path 1: a counting guest migrates A → B and back; the count goes on without a reboot and a tmpfs marker survives', async () => {
    defineOnA(th, G1, dir);
    await until(() => logOn('A', G1.name).includes(th.GUEST_BANNER), 120_000, 'the guest banner on A');
    await serialShell(h, ids.a, G1.uuid, COUNTER, /VDCNT-2\b/);

    const args = { sourceHostId: ids.a, destHostId: ids.b, uuid: G1.uuid, options: {} };
    const report = await h.call('migration.preflight', args);
    expect(report.checks.filter((c) => !c.ok), JSON.stringify(report.checks)).toEqual([]);
    expect(report.path).toBe('relay');
    const lines = await h.call('migration.commands', args);
    const mig = lines.find((l) => l.argv.includes('migrate'))!;
    expect(mig.host).toBe('source');
    expect(mig.argv.slice(3)).toEqual(['migrate', '--live', '--p2p', '--persistent', '--undefinesource', '--domain', G1.uuid, '--desturi', 'qemu+unix:///system?socket=DIR/libvirt-RANDOM.sock', '--migrateuri', 'tcp://127.0.0.2']);

    const countOnA = lastCount(logOn('A', G1.name));
    const there = await migrate(ids.a, ids.b, G1.uuid, {});
    expect(there.outcome.error).toBeUndefined();
    expect(there.outcome.state).toBe('done');
    console.log(`A → B (path 1): ${there.ms} ms, downtime ${there.outcome.downtimeMs} ms, ${there.outcome.bytes} bytes, progress events ${there.seen.length}, relayed connections ${there.outcome.relayedConnections}`);
    expect(privateVirsh(b, 'domstate', '--domain', G1.uuid).stdout.trim()).toBe('running');
    expect(privateVirsh(b, 'dominfo', '--domain', G1.uuid).stdout).toMatch(/Persistent:\s+yes/);
    expect(virshA('dominfo', '--domain', G1.uuid).status).not.toBe(0);
    // The relay: logged per connection, and its socket and directory are gone.
    expect(there.relays.length).toBeGreaterThan(0);
    const socket = there.relays[0]!.argv[1]!;
    expect(socket).toMatch(/^\/tmp\/virtdeck-relay\.\w+\/libvirt-[0-9a-f]{24}\.sock$/);
    expect(existsSync(socket)).toBe(false);
    expect(existsSync(join(socket, '..'))).toBe(false);
    expect(there.seen.at(-1)!.phase).toBe('done');
    // What ran on A: the source dials the relay's socket; it holds no credentials or host key for B.
    const ran = (await h.call('activity.list', { hostId: ids.a })).filter((e) => e.argv.includes('migrate')).at(-1)!;
    expect(ran.argv.slice(ran.argv.indexOf('--desturi'), ran.argv.indexOf('--desturi') + 2)).toEqual(['--desturi', `qemu+unix:///system?socket=${socket}`]);
    expect(ran.outcome).toBe('ok');

    // The count goes on on B (its log starts with the destination's QEMU), with no boot banner.
    await until(() => lastCount(logOn(b, G1.name)) > countOnA + 1, 30_000, 'the count to go on on B');
    expect(logOn(b, G1.name)).not.toContain(th.GUEST_BANNER);
    await serialShell(h, ids.b, G1.uuid, 'cat /vd-mark', 'VDMARK-42');

    const countOnB = lastCount(logOn(b, G1.name));
    const back = await migrate(ids.b, ids.a, G1.uuid, {});
    expect(back.outcome.error).toBeUndefined();
    console.log(`B → A (path 1): ${back.ms} ms, downtime ${back.outcome.downtimeMs} ms, ${back.outcome.bytes} bytes`);
    expect(virshA('domstate', '--domain', G1.uuid).stdout.trim()).toBe('running');
    expect(privateVirsh(b, 'dominfo', '--domain', G1.uuid).status).not.toBe(0);
    await until(() => lastCount(logOn('A', G1.name)) > countOnB + 1, 30_000, 'the count to go on on A');
    await serialShell(h, ids.a, G1.uuid, 'cat /vd-mark', 'VDMARK-42');
  }, 600_000);

  /** G1 running on A with its counter (after the first test it is; otherwise it is made so). */
  async function g1RunningOnA(): Promise<void> {
    if (virshA('domstate', '--domain', G1.uuid).stdout.trim() === 'running') return;
    removeEverywhere(G1, b);
    defineOnA(th, G1, dir);
    await until(() => logOn('A', G1.name).includes(th.GUEST_BANNER), 120_000, 'the guest banner on A');
    await serialShell(h, ids.a, G1.uuid, COUNTER, /VDCNT-2\b/);
  }

  it('path 1 with A connected locally (qemu:///system): the relay is a socket Virtdeck listens on in a 0700 directory of its own', async () => {
    await g1RunningOnA();
    const local = (await h.call('hosts.save', { connection: { name: 'A local', uri: 'qemu:///system' } })).config.id;
    await h.call('hosts.connect', { hostId: local });
    const report = await h.call('migration.preflight', { sourceHostId: local, destHostId: ids.b, uuid: G1.uuid, options: {} });
    expect(report.relay).toMatch(/a unix socket Virtdeck listens on, on this computer/);
    const countOnA = lastCount(logOn('A', G1.name));
    let dirMode = 0;
    const there = await migrate(local, ids.b, G1.uuid, {}, async () => {
      await until(() => (h.backend.activity.list().some((e) => e.argv[0] === 'relay' && e.outcome === 'running')), 30_000, 'a relayed connection');
      const sock = h.backend.activity.list().filter((e) => e.argv[0] === 'relay').at(-1)!.argv[1]!;
      dirMode = statSync(join(sock, '..')).mode & 0o777;
    });
    expect(there.outcome.error).toBeUndefined();
    expect(dirMode).toBe(0o700);
    console.log(`local A → B (path 1): ${there.ms} ms, downtime ${there.outcome.downtimeMs} ms`);
    expect(privateVirsh(b, 'domstate', '--domain', G1.uuid).stdout.trim()).toBe('running');
    const socket = there.relays.at(-1)!.argv[1]!;
    expect(socket.startsWith(tmpdir())).toBe(true);
    expect(existsSync(join(socket, '..'))).toBe(false);
    await until(() => lastCount(logOn(b, G1.name)) > countOnA + 1, 30_000, 'the count to go on on B');
    const back = await migrate(ids.b, local, G1.uuid, {});
    expect(back.outcome.error).toBeUndefined();
    expect(virshA('domstate', '--domain', G1.uuid).stdout.trim()).toBe('running');
    await h.call('hosts.disconnect', { hostId: local });
  }, 300_000);

  it('path 4 (direct, hosts that trust each other): A → B and back over qemu+libssh with the destination key Virtdeck verified; no relay', async () => {
    await g1RunningOnA();
    const args = { sourceHostId: ids.a, destHostId: ids.b, uuid: G1.uuid, options: { path: 'direct' as const, directKeyFile: b.SSH_KEY } };
    const report = await h.call('migration.preflight', args);
    expect(report.checks.filter((c) => !c.ok), JSON.stringify(report.checks)).toEqual([]);
    expect(report.checks.find((c) => c.id === 'direct-hostkey')!.message).toContain('127.0.0.2:2223');
    const lines = await h.call('migration.commands', args);
    expect(lines.find((l) => l.argv.includes('migrate'))!.argv).toContain(`qemu+libssh://${b.SSH_USER}@127.0.0.2:2223/system?keyfile=${b.SSH_KEY}&known_hosts=DIR/known_hosts&known_hosts_verify=normal&sshauth=privkey`);
    const without = await h.call('migration.preflight', { ...args, options: { path: 'direct' } });
    expect(without.checks.find((c) => c.id === 'direct-key')).toMatchObject({ ok: false });
    const countOnA = lastCount(logOn('A', G1.name));
    const there = await migrate(ids.a, ids.b, G1.uuid, args.options);
    expect(there.outcome.error).toBeUndefined();
    expect(there.outcome.relayedConnections).toBe(0);
    console.log(`A → B (path 4, direct): ${there.ms} ms, downtime ${there.outcome.downtimeMs} ms`);
    expect(privateVirsh(b, 'domstate', '--domain', G1.uuid).stdout.trim()).toBe('running');
    await until(() => lastCount(logOn(b, G1.name)) > countOnA + 1, 30_000, 'the count to go on on B');
    const back = await migrate(ids.b, ids.a, G1.uuid, { path: 'direct', directKeyFile: th.SSH_KEY });
    expect(back.outcome.error).toBeUndefined();
    expect(virshA('domstate', '--domain', G1.uuid).stdout.trim()).toBe('running');
    // The known_hosts copies are gone from both hosts' /tmp.
    expect(spawnSync('sh', ['-c', 'ls -d /tmp/virtdeck-relay.* 2>/dev/null | xargs -r -n1 sh -c \'test -e "$0/known_hosts" && echo "$0"\''], { encoding: 'utf8' }).stdout).toBe('');
  }, 300_000);

  it('cancel mid-way with the bandwidth limited: the VM keeps running on A, nothing is left on B, the relay socket is gone', async () => {
    await g1RunningOnA();
    let raw = '';
    const r = await migrate(ids.a, ids.b, G1.uuid, { bandwidthMiBps: 1, maxDowntimeMs: 250 }, async (jobId, seen) => {
      await until(() => seen.some((p) => p.jobId === jobId && p.phase === 'memory' && (p.dataProcessed ?? 0) > 0), 60_000, 'memory progress');
      raw = virshA('domjobinfo', '--domain', G1.uuid, '--rawstats').stdout;
      expect(await h.call('migration.cancel', { jobId })).toEqual({ cancelled: true });
    });
    console.log(`domjobinfo --rawstats mid-migration (libvirt 9.0.0):\n${raw}`);
    expect(r.outcome.state).toBe('cancelled');
    expect(r.outcome.error).toMatch(/virsh migrate: .*(cancel|abort)/i);
    const p = r.seen.filter((x) => x.phase === 'memory' && x.dataTotal && x.bandwidthBps).at(-1)!;
    expect(p.dataTotal).toBeGreaterThan(100 * 1024 * 1024);
    expect(p.bandwidthBps).toBeGreaterThan(0);
    expect(p.bandwidthBps).toBeLessThan(3 * 1024 * 1024);
    expect(r.seen.at(-1)!.phase).toBe('cancelled');
    expect(virshA('domstate', '--domain', G1.uuid).stdout.trim()).toBe('running');
    expect(privateVirsh(b, 'dominfo', '--domain', G1.uuid).status).not.toBe(0);
    expect(privateVirsh(b, 'list', '--all', '--name').stdout).not.toContain(G1.name);
    const socket = r.relays.at(-1)!.argv[1]!;
    expect(existsSync(socket)).toBe(false);
    expect(existsSync(join(socket, '..'))).toBe(false);
  }, 300_000);

  it('path 2 (tunnelled): A → B and back; the count goes on; copying storage that way is refused by the pre-flight', async () => {
    await g1RunningOnA();
    const refused = await h.call('migration.preflight', { sourceHostId: ids.a, destHostId: ids.b, uuid: G1.uuid, options: { path: 'relay-tunnelled', copyStorage: 'all' } });
    expect(refused.ok).toBe(false);
    expect(refused.checks.find((c) => c.id === 'tunnelled-storage')?.message).toMatch(/cannot copy storage/);
    const countOnA = lastCount(logOn('A', G1.name));
    const there = await migrate(ids.a, ids.b, G1.uuid, { path: 'relay-tunnelled' });
    expect(there.outcome.error).toBeUndefined();
    console.log(`A → B (path 2, tunnelled): ${there.ms} ms, downtime ${there.outcome.downtimeMs} ms, ${there.outcome.bytes} bytes`);
    expect(privateVirsh(b, 'domstate', '--domain', G1.uuid).stdout.trim()).toBe('running');
    await until(() => lastCount(logOn(b, G1.name)) > countOnA + 1, 30_000, 'the count to go on on B');
    const back = await migrate(ids.b, ids.a, G1.uuid, { path: 'relay-tunnelled' });
    expect(back.outcome.error).toBeUndefined();
    console.log(`B → A (path 2, tunnelled): ${back.ms} ms, downtime ${back.outcome.downtimeMs} ms`);
    expect(virshA('domstate', '--domain', G1.uuid).stdout.trim()).toBe('running');
    expect(privateVirsh(b, 'dominfo', '--domain', G1.uuid).status).not.toBe(0);
  }, 300_000);

  it('pre-flight refusals, each with its message, and nothing moves: kernel missing on B, network missing on B, the same name on B', async () => {
    await g1RunningOnA();
    mkdirSync(A_ONLY, { recursive: true });
    copyFileSync('/var/lib/virtdeck-test/guest/vmlinuz', `${A_ONLY}/vmlinuz`);
    writeFileSync(join(dir, 'net.xml'), `<network><name>${NET}</name><bridge name='vdmiglbr0'/></network>`);
    expect(virshA('net-define', '--file', join(dir, 'net.xml')).status).toBe(0);
    expect(virshA('net-start', '--network', NET).status).toBe(0);
    defineOnA(th, G2, dir, (x) =>
      x.replace(/<kernel>[^<]+<\/kernel>/, `<kernel>${A_ONLY}/vmlinuz</kernel>`)
        .replace(/<interface type='user'>[\s\S]*?<\/interface>/, `<interface type='network'><source network='${NET}'/><mac address='${G2.mac}'/><model type='virtio'/><rom enabled='no'/></interface>`));
    const args = { sourceHostId: ids.a, destHostId: ids.b, uuid: G2.uuid, options: {} };
    const report = await h.call('migration.preflight', args);
    const failed = Object.fromEntries(report.checks.filter((c) => !c.ok).map((c) => [c.id, c.message]));
    expect(failed).toEqual({
      kernel: `The kernel ${A_ONLY}/vmlinuz does not exist on host B.`,
      [`network:${NET}`]: expect.stringMatching(new RegExp(`The network “${NET}” does not exist on host B: .*Network not found`)),
    });
    expect(report.checks.find((c) => c.id === 'kernel')!.fix).toContain('Copy');
    const run = await migrate(ids.a, ids.b, G2.uuid, {});
    expect(run.outcome.state).toBe('failed');
    expect(run.outcome.error).toMatch(/^Pre-flight: The kernel/);
    expect(run.outcome.relayedConnections).toBe(0); // refused before the relay opened
    expect(virshA('domstate', '--domain', G2.uuid).stdout.trim()).toBe('running');
    expect(privateVirsh(b, 'dominfo', '--domain', G2.uuid).status).not.toBe(0);

    // The same name on B (another UUID).
    writeFileSync(join(dir, 'same.xml'), guestXmlOfSameName());
    expect(privateVirsh(b, 'define', '--file', privateHostXml('same.xml')).status).toBe(0);
    const same = await h.call('migration.preflight', { ...args, uuid: G1.uuid });
    expect(same.checks.filter((c) => !c.ok).map((c) => [c.id, c.message])).toEqual([['name', `host B already has a VM named “${G1.name}” (UUID ${SAME_NAME.uuid}).`]]);
    const r2 = await migrate(ids.a, ids.b, G1.uuid, {});
    expect(r2.outcome.error).toMatch(/^Pre-flight: host B already has a VM named/);
    expect(virshA('domstate', '--domain', G1.uuid).stdout.trim()).toBe('running');
    expect(privateVirsh(b, 'domuuid', '--domain', G1.name).stdout.trim()).toBe(SAME_NAME.uuid);
    privateVirsh(b, 'undefine', '--domain', SAME_NAME.uuid);
  }, 300_000);

  it('a multi-selection: three jobs from A queue two at a time (the channel cap), each with its own relay, all arrive on B', async () => {
    await g1RunningOnA();
    defineOnA(th, G4, dir);
    await until(() => logOn('A', G4.name).includes(th.GUEST_BANNER), 120_000, 'the second guest banner on A');
    const ends = new Map<string, MigrationOutcome>();
    const off = h.backend.onEvent((n, p) => {
      if (n === 'migration.finished') ends.set((p as MigrationOutcome).jobId, p as MigrationOutcome);
    });
    // G2 is still on A (the refusals test) but its kernel is missing on B: that job fails its pre-flight, the others go on.
    const uuids = [G1.uuid, G4.uuid, ...(virshA('domstate', '--domain', G2.uuid).status === 0 ? [G2.uuid] : [])];
    const started = await Promise.all(uuids.map((uuid) => h.call('migration.start', { sourceHostId: ids.a, destHostId: ids.b, uuid, options: {} })));
    const jobs = await h.call('migration.jobs', {});
    expect(started.filter(({ jobId }) => jobs.find((j) => j.jobId === jobId)?.progress.message === 'queued').length).toBe(uuids.length - 2);
    await until(() => started.every(({ jobId }) => ends.has(jobId)), 180_000, 'every job to end');
    off();
    const outcome = (uuid: string) => ends.get(started[uuids.indexOf(uuid)]!.jobId)!;
    for (const g of [G1, G4]) {
      expect(outcome(g.uuid).error).toBeUndefined();
      expect(privateVirsh(b, 'domstate', '--domain', g.uuid).stdout.trim()).toBe('running');
    }
    if (uuids.includes(G2.uuid)) expect(outcome(G2.uuid).error).toMatch(/^Pre-flight: The kernel/);
    const back = await Promise.all([G1, G4].map((g) => h.call('migration.start', { sourceHostId: ids.b, destHostId: ids.a, uuid: g.uuid, options: {} })));
    await Promise.all(back.map(({ jobId }) => h.next('migration.finished', (o) => o.jobId === jobId, 180_000)));
    for (const g of [G1, G4]) expect(virshA('domstate', '--domain', g.uuid).stdout.trim()).toBe('running');
  }, 300_000);

  it('storage copy (all disks) of a guest with a qcow2 disk: the destination’s volume is identical (qemu-img compare)', async () => {
    const pool = (run: (...a: string[]) => { status: number | null; stderr: string }) => {
      expect(run('pool-define-as', '--name', POOL, '--type', 'dir', '--target', POOL_DIR).status).toBe(0);
      expect(run('pool-build', '--pool', POOL).status).toBe(0);
      expect(run('pool-start', '--pool', POOL).status).toBe(0);
    };
    pool(virshA);
    const img = `${POOL_DIR}/disk.qcow2`;
    const rawFile = join(dir, 'data.raw');
    const tail = Buffer.alloc(1 << 20);
    tail.write('vd-test-migl data');
    writeFileSync(rawFile, Buffer.concat([Buffer.alloc(4 << 20, 0x5a), tail])); // 5 MiB: libvirt pre-creates the copy with this size
    expect(spawnSync('qemu-img', ['convert', '-O', 'qcow2', rawFile, img]).status).toBe(0);
    virshA('pool-refresh', '--pool', POOL);
    defineOnA(th, G3, dir, (x) => x.replace('<controller ', `<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${img}'/><target dev='vda' bus='virtio'/></disk>\n    <controller `));
    const args = { sourceHostId: ids.a, destHostId: ids.b, uuid: G3.uuid, options: { copyStorage: 'all' as const } };
    const noPool = await h.call('migration.preflight', args);
    expect(noPool.checks.filter((c) => !c.ok).map((c) => c.id)).toEqual(['pool:vda']);
    expect(noPool.checks.find((c) => c.id === 'pool:vda')!.message).toContain(`host B has no pool “${POOL}”`);
    // The dialog offers to create the same directory pool on B: the storage request it sends.
    expect(noPool.missingPools).toEqual([{ name: POOL, path: POOL_DIR }]);
    await h.call('storage.pools.define', { hostId: ids.b, spec: { type: 'dir', name: POOL, targetPath: POOL_DIR }, build: true, start: true });
    const report = await h.call('migration.preflight', args);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    await until(() => logOn('A', G3.name).includes(th.GUEST_BANNER), 120_000, 'the disk guest banner on A');
    const r = await migrate(ids.a, ids.b, G3.uuid, { copyStorage: 'all' });
    expect(r.outcome.error).toBeUndefined();
    console.log(`A → B with storage copy: ${r.ms} ms, downtime ${r.outcome.downtimeMs} ms, ${r.outcome.bytes} bytes; phases ${[...new Set(r.seen.map((p) => p.phase))].join(',')}`);
    expect(privateVirsh(b, 'domstate', '--domain', G3.uuid).stdout.trim()).toBe('running');
    const cmp = spawnSync('qemu-img', ['compare', '-U', img, privateHostPath(b, img)], { encoding: 'utf8' });
    expect(cmp.stdout + cmp.stderr).toContain('Images are identical');
    expect(cmp.status).toBe(0);
  }, 300_000);

  const guestXmlOfSameName = () => guestXmlAs(th, SAME_NAME);
  /** A file of this test's temp dir as B sees it (/tmp is shared with B's namespace). */
  const privateHostXml = (f: string) => join(dir, f);
});
