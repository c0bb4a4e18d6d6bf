/**
 * Part 7: live migration of one 128 MiB TCG copy of the test guest between host A (the shared
 * test host) and the private host B (127.0.0.2:2223), both on this machine, several rounds each:
 *   - Virtdeck, path 1 (relay, data direct) and path 2 (relay, tunnelled), both hosts over SSH;
 *   - plain `virsh migrate --live` run by hand (client-driven, both daemons' sockets local to virsh).
 * Per round: wall time as the user waits (request → finished), and libvirt's own figures from
 * `domjobinfo --completed --rawstats` on the destination: time_elapsed, downtime, data, throughput.
 * Run under `flock /tmp/vd-private-host.lock` (the private host is one instance).
 *
 * Usage: node dist/bench/migrate.cjs [--rounds N]
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs, promisify } from 'node:util';
import { startHarness } from '../../e2e/support/backend-harness';
import { privateLocalUri, startPrivateHost, stopPrivateHost } from '../../e2e/support/private-host';
import { testHost } from '../../e2e/support/test-host';
import { connectBoth, defineOnA, logOn, removeEverywhere } from '../../electron/libvirt/migration/testing/two-hosts';
import { parseJobStats } from '../../electron/virsh/parse/jobinfo';
import { emit, log, median, quietHarness, r, sleep } from './lib';

const run = promisify(execFile);
const G = { name: 'vd-bench-migrate', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ff15b1', mac: '52:54:00:7e:15:b1' };

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' } } });
  const rounds = Number(values.rounds);
  const th = testHost();
  const b = await startPrivateHost();
  const dir = mkdtempSync(join(tmpdir(), 'vd-bench-migrate-'));
  const uriA = 'qemu:///system';
  const uriB = privateLocalUri(b);
  const completed = async (uri: string) => parseJobStats((await run('virsh', ['-c', uri, 'domjobinfo', '--domain', G.uuid, '--completed', '--rawstats'])).stdout).fields;
  const h = await startHarness();
  quietHarness(h);
  h.answerPrompts(() => ({ accept: true }));
  try {
    defineOnA(th, G, dir);
    for (let t0 = Date.now(); !logOn('A', G.name).includes(th.GUEST_BANNER); await sleep(500)) if (Date.now() - t0 > 180_000) throw new Error('the guest did not boot');
    const ids = await connectBoth(h, th, b);
    const results: Record<string, Array<{ wallMs: number; libvirtMs: number; downtimeMs: number; mibps: number }>> = {};
    const record = (how: string, wallMs: number, f: Record<string, number>) => {
      const libvirtMs = f['time_elapsed'] ?? Number.NaN;
      const mibps = (f['data_processed'] ?? 0) / (1 << 20) / (libvirtMs / 1000);
      (results[how] ??= []).push({ wallMs, libvirtMs, downtimeMs: f['downtime'] ?? Number.NaN, mibps });
      emit({ part: 'migrate', how, wallMs: r(wallMs), libvirtMs, downtimeMs: f['downtime'], dataBytes: f['data_processed'], throughputMiBps: r(mibps) });
    };
    const viaVirtdeck = async (from: string, to: string, path: 'relay' | 'relay-tunnelled') => {
      const t = performance.now();
      const { jobId } = await h.call('migration.start', { sourceHostId: from, destHostId: to, uuid: G.uuid, options: { path } });
      const o = await h.next('migration.finished', (x) => x.jobId === jobId, 300_000);
      if (o.state !== 'done') throw new Error(`Virtdeck ${path}: ${o.error}`);
      return performance.now() - t;
    };
    const byHand = async (src: string, dst: string) => {
      const t = performance.now();
      await run('virsh', ['-c', src, 'migrate', '--live', '--persistent', '--undefinesource', '--domain', G.uuid, '--desturi', dst]);
      return performance.now() - t;
    };
    for (let i = 0; i < rounds; i++) {
      log(`round ${i + 1}/${rounds}`);
      for (const path of ['relay', 'relay-tunnelled'] as const) {
        record(`virtdeck-${path} A→B`, await viaVirtdeck(ids.a, ids.b, path), await completed(uriB));
        record(`virtdeck-${path} B→A`, await viaVirtdeck(ids.b, ids.a, path), await completed(uriA));
      }
      record('virsh-by-hand A→B', await byHand(uriA, uriB), await completed(uriB));
      record('virsh-by-hand B→A', await byHand(uriB, uriA), await completed(uriA));
    }
    for (const [how, xs] of Object.entries(results))
      emit({ part: 'migrate', summary: how, rounds: xs.length, wallMsMedian: r(median(xs.map((x) => x.wallMs))), libvirtMsMedian: r(median(xs.map((x) => x.libvirtMs))), downtimeMsMedian: r(median(xs.map((x) => x.downtimeMs))), throughputMiBpsMedian: r(median(xs.map((x) => x.mibps))) });
  } finally {
    h.close();
    removeEverywhere(G, b);
    await stopPrivateHost(b);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    log(`migrate failed: ${String(e)}`);
    process.exit(1);
  },
);
