/**
 * Part 1: a Backend against a libvirt test-driver host with N domains (half running), versus
 * the naive way (one `virsh -c URI …` process per VM per call).
 *
 * Wall times on a shared 2-core machine are inflated by whatever else runs, so CPU time is
 * reported next to them: the backend's own (process.cpuUsage), its long-lived virsh session's
 * (/proc), and the naive processes' (cutime+cstime of reaped children).
 *
 * Usage: node dist/bench/test-driver-scale.cjs --vms 1000
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { StatsTick } from '../../shared/model/stats';
import { startHarness } from '../../e2e/support/backend-harness';
import { virshArgv } from '../../electron/hosts/host-connection';
import { FAST_GROUPS, SLOW_GROUPS } from '../../electron/libvirt/stats-poller';
import {
  CORES,
  childCpuMs,
  countCommands,
  cpuMs,
  emit,
  firstTick,
  log,
  median,
  peakRssMB,
  percentile,
  pool,
  quietHarness,
  r,
  reapedChildrenCpuMs,
  run,
  sleep,
  writeTestNodeXml,
} from './lib';

const TICKS = 30;
const WARMUP = 3;
/** Wall-time budget per naive phase; beyond it the naive time is extrapolated (see pool()). */
const NAIVE_BUDGET_MS = 12_000;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { vms: { type: 'string', default: '1000' } } });
  const n = Number(values.vms);
  const dir = mkdtempSync(join(tmpdir(), 'virtdeck-bench-'));
  const file = join(dir, `node-${n}.xml`);
  const { running, names } = writeTestNodeXml(file, n);
  const uri = `test://${file}`;
  const h = await startHarness();
  try {
    await quietHarness(h);
    const commands = countCommands(h);

    // ---- connect → first list with stats, as the UI does it -------------------------------
    let hostId: string | undefined;
    const tick1 = firstTick(h, () => hostId);
    // Sizes the test driver cannot give in bulk arrive in the background; the backend then
    // says domains.changed (the first one for this host, nothing else changes here).
    let sizedAt: number | undefined;
    h.backend.onEvent((name, p) => {
      if (name === 'domains.changed' && (p as { hostId: string }).hostId === hostId) sizedAt ??= performance.now();
    });
    commands.reset();
    const cpu0 = cpuMs();
    const t0 = performance.now();
    hostId = (await h.call('hosts.save', { connection: { name: `bench ${n}`, uri, autoconnect: false } })).config.id;
    await h.call('hosts.connect', { hostId });
    const tConnected = performance.now();
    const virsh0 = childCpuMs('virsh'); // the session process exists from here on
    const list = await h.call('domains.list', { hostId });
    const tListed = performance.now();
    const tTick = await tick1;
    const connectToFirstListMs = Math.max(tListed, tTick) - t0;
    const connectCpuMs = cpuMs() - cpu0;
    const connectVirshCpuMs = childCpuMs('virsh') - virsh0;
    const firstListCommands = commands.snapshot();
    if (list.length !== n) throw new Error(`listed ${list.length} domains, expected ${n}`);
    const unsizedInFirstList = list.filter((d) => d.vcpus === null).length;
    for (let waited = 0; unsizedInFirstList > 0 && sizedAt === undefined && waited < 60_000; waited += 20) await sleep(20);
    const allSizedMs = unsizedInFirstList > 0 ? (sizedAt ?? Number.NaN) - t0 : connectToFirstListMs;
    const services = h.backend.hosts.servicesOf(hostId);
    // Let the start-up work settle (the address watcher's first pass, started by the first
    // tick), time two more passes, then stop the timers so that only what we drive runs.
    await services.addresses.refresh();
    const addr: number[] = [];
    for (let i = 0; i < 2; i++) {
      const t = performance.now();
      await services.addresses.refresh();
      addr.push(performance.now() - t);
    }
    services.stats.stop();
    services.addresses.stop();

    // A later list (sizing cached): what every domains.changed refetch costs.
    const warm: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await h.call('domains.list', { hostId });
      warm.push(performance.now() - t);
    }

    // ---- ticks ----------------------------------------------------------------------------
    for (let i = 0; i < WARMUP; i++) await services.stats.tick();
    const times: number[] = [];
    let last: StatsTick | undefined;
    const c0 = cpuMs();
    const v0 = childCpuMs('virsh');
    for (let i = 0; i < TICKS; i++) {
      const t = performance.now();
      last = await services.stats.tick();
      times.push(performance.now() - t);
    }
    const backendCpuMsPerTick = (cpuMs() - c0) / TICKS;
    const virshCpuMsPerTick = (childCpuMs('virsh') - v0) / TICKS;
    if (!last) throw new Error('tick failed');

    // What one tick costs on the way to a browser-mode UI: JSON per client, zod in a renderer
    // (the renderer runs zod jitless: its CSP forbids eval).
    const frame = JSON.stringify({ t: 'evt', name: 'stats.tick', payload: last });
    const ser: number[] = [];
    const zod: number[] = [];
    const zodJitless: number[] = [];
    for (let i = 0; i < 20; i++) {
      let t = performance.now();
      const s = JSON.stringify({ t: 'evt', name: 'stats.tick', payload: last });
      ser.push(performance.now() - t);
      const parsed = JSON.parse(s) as { payload: unknown };
      t = performance.now();
      StatsTick.safeParse(parsed.payload);
      zod.push(performance.now() - t);
      t = performance.now();
      StatsTick.safeParse(parsed.payload, { jitless: true });
      zodJitless.push(performance.now() - t);
    }
    const rss = peakRssMB();

    // ---- naive: one virsh process per VM per call ------------------------------------------
    const virsh = (...a: string[]) => run(virshArgv(uri, ...a));
    let k0 = reapedChildrenCpuMs();
    const tn0 = performance.now();
    const naiveNames = (await virsh('list', '--all', '--name')).split('\n').filter((l) => l.trim());
    const listProcMs = performance.now() - tn0;
    const listProcCpu = reapedChildrenCpuMs() - k0;
    k0 = reapedChildrenCpuMs();
    const perVm = await pool(
      naiveNames.length,
      CORES,
      async (i) => {
        await virsh('dominfo', naiveNames[i]!);
        await virsh('domstats', '--raw', naiveNames[i]!);
      },
      NAIVE_BUDGET_MS,
    );
    const naiveListMs = listProcMs + perVm.ms;
    const naiveListCpuMs = listProcCpu + ((reapedChildrenCpuMs() - k0) * perVm.total) / Math.max(1, perVm.done);
    const runningNames = names.filter((_, i) => i % 2 === 0);
    const naiveTicks: number[] = [];
    const naiveTickCpu: number[] = [];
    let tickExtrapolated = false;
    let tickSampled = 0;
    for (let k = 0; k < 3 && !tickExtrapolated; k++) {
      k0 = reapedChildrenCpuMs();
      const p = await pool(
        runningNames.length,
        CORES,
        // The groups of the poller's fullest tick (on the test driver every group gives only state.*).
        (i) => virsh('domstats', '--raw', '--nowait', ...FAST_GROUPS, ...SLOW_GROUPS, runningNames[i]!),
        NAIVE_BUDGET_MS,
      );
      naiveTicks.push(p.ms);
      naiveTickCpu.push(((reapedChildrenCpuMs() - k0) * p.total) / Math.max(1, p.done));
      tickExtrapolated ||= p.extrapolated;
      tickSampled = p.done;
    }
    const naiveTickMs = median(naiveTicks);
    const tickMs = median(times);

    emit({
      bench: 'test-driver-scale',
      vms: n,
      running,
      connectToFirstListMs: r(connectToFirstListMs),
      connectMs: r(tConnected - t0),
      firstListMs: r(tListed - tConnected),
      firstTickAfterConnectMs: r(tTick - tConnected),
      connectCpuMs: r(connectCpuMs),
      connectVirshCpuMs: r(connectVirshCpuMs),
      firstListCommands,
      unsizedInFirstList,
      allSizedMs: r(allSizedMs),
      warmListMs: r(median(warm)),
      // If the first list did not wait for per-VM sizing/addresses: connect + a cached list + a tick.
      projectedFirstListWithoutPerVmMs: r(tConnected - t0 + median(warm) + median(times)),
      addressRefreshMs: r(median(addr)),
      tickMs: r(tickMs),
      tickP95Ms: r(percentile(times, 95)),
      backendCpuMsPerTick: r(backendCpuMsPerTick),
      virshSessionCpuMsPerTick: r(virshCpuMsPerTick),
      ticks: TICKS,
      samplesPerTick: last.n,
      tickJsonBytes: frame.length,
      tickStringifyMs: r(median(ser)),
      tickZodParseMs: r(median(zod)),
      tickZodJitlessParseMs: r(median(zodJitless)),
      peakRssMB: r(rss),
      naiveListMs: r(naiveListMs),
      naiveListCpuMs: r(naiveListCpuMs),
      naiveTickMs: r(naiveTickMs),
      naiveTickCpuMs: r(median(naiveTickCpu)),
      naiveConcurrency: CORES,
      naiveExtrapolated: perVm.extrapolated || tickExtrapolated,
      naiveSampledVms: { list: perVm.done, tick: tickSampled },
      listSpeedup: r(naiveListMs / connectToFirstListMs),
      tickSpeedup: r(naiveTickMs / tickMs),
      tickCpuRatio: r(median(naiveTickCpu) / (backendCpuMsPerTick + virshCpuMsPerTick)),
      goals: {
        listUnder1s: connectToFirstListMs < 1000,
        tickCpuUnder50ms: backendCpuMsPerTick < 50,
        rssUnder200MB: rss < 200,
        naive10xSlower: naiveListMs / connectToFirstListMs >= 10 && naiveTickMs / tickMs >= 10,
      },
    });
  } finally {
    h.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    log(`test-driver-scale failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  },
);
