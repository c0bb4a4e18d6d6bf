/**
 * Live migration relayed through Virtdeck (issue 15, paths 1 and 2) between the shared test host
 * A (qemu:///system, over SSH 127.0.0.1:2222) and the private host B (127.0.0.2:2223), both
 * reached by a real Backend over SSH. A has no key or known_hosts entry for B: the source's
 * libvirtd dials the relay's socket (qemu+unix:///system?socket=…), which Virtdeck forwards over
 * its own SSH connections. Run it under `flock /tmp/vd-private-host.lock`.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MigrationOptionsInput, MigrationOutcome, MigrationProgress } from '../../../shared/model/migration';
import { startHarness, type Harness } from '../../../e2e/support/backend-harness';
import { privateVirsh, startPrivateHost, stopPrivateHost, type PrivateHost } from '../../../e2e/support/private-host';
import { testHost } from '../../../e2e/support/test-host';
import { until } from '../../../e2e/support/until';
import { connectBoth, defineOnA, lastCount, logOn, removeEverywhere, serialShell, virshA } from './testing/two-hosts';

const th = testHost();
const G1 = { name: 'vd-test-migl-one', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ff1501', mac: '52:54:00:7e:15:01' };
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
    if (b) removeEverywhere(G1, b);
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
});
