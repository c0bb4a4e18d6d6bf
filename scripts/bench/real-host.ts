/**
 * Part 3: the stats path on the REAL local host (qemu:///system) over SSH with N running idle
 * TCG guests `vd-bench-NN` (32 MiB, 1 vCPU, no disk/NIC/graphics: SeaBIOS finds nothing to boot
 * and idles). The Backend connects over SSH as the test user; the naive way runs one new SSH exec
 * channel with `virsh domstats UUID` per VM per tick through the same ssh2 connection.
 *
 * Every vd-bench-* guest is destroyed and undefined at the end, also on SIGINT/SIGTERM.
 * Usage: node dist/bench/real-host.cjs --guests 50
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { StatsTick } from '../../shared/model/stats';
import { FAST_GROUPS, SLOW_EVERY, SLOW_GROUPS } from '../../electron/libvirt/stats-poller';
import { startHarness, type Harness } from '../../e2e/support/backend-harness';
import { sshUri, testHost } from '../../e2e/support/test-host';
import { virshArgv, type HostConnection } from '../../electron/hosts/host-connection';
import { runToEnd } from '../../electron/hosts/transport/run-to-end';
import type { Transport } from '../../electron/hosts/transport/transport';
import { cpuMs, emit, firstTick, log, median, peakRssMB, pool, quietHarness, r, run, sleep } from './lib';

const PREFIX = 'vd-bench-';
const TICKS = 25;
/** Naive ticks of each kind: fast (CPU + NICs) and slow (also memory and disks), like the poller's. */
const NAIVE_TICKS = 2;
const ALL_GROUPS = [...FAST_GROUPS, ...SLOW_GROUPS];
/** Naive channels in flight (the app's own limit is 8 of sshd's MaxSessions 10, 2 taken by the session and the event stream). */
const NAIVE_CHANNELS = 4;

function virshLocal(args: string[], input?: string) {
  return spawnSync('virsh', ['-c', 'qemu:///system', ...args], { encoding: 'utf8', input, env: { ...process.env, LC_ALL: 'C.UTF-8' } });
}

/** Destroys and undefines every vd-bench-* domain (synchronous: also safe in signal handlers). */
function cleanup(): number {
  const list = virshLocal(['list', '--all', '--name']);
  const names = list.stdout.split('\n').map((s) => s.trim()).filter((s) => /^vd-bench-[\w-]+$/.test(s)); // safe in sh -c below
  if (names.length === 0) return 0;
  // A destroy waits ~1.5 s for QEMU to go: 8 at a time. Errors (already off) are harmless.
  spawnSync('xargs', ['-P', '8', '-I', '{}', 'sh', '-c', 'virsh -c qemu:///system destroy {} ; virsh -c qemu:///system undefine --nvram {}'], {
    input: `${names.join('\n')}\n`,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  const left = virshLocal(['list', '--all', '--name']).stdout.split('\n').filter((s) => s.trim().startsWith(PREFIX));
  for (const n of left) {
    virshLocal(['destroy', n.trim()]);
    virshLocal(['undefine', '--nvram', n.trim()]);
  }
  return names.length;
}

function guestXml(name: string): string {
  return `<domain type='qemu'>
  <name>${name}</name>
  <memory unit='MiB'>32</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices></devices>
</domain>
`;
}

function transportOf(host: HostConnection): Transport {
  const t = (host as unknown as { transport?: Transport }).transport;
  if (!t) throw new Error('host has no transport');
  return t;
}

async function measure(h: Harness, guests: number, startAllMs: number): Promise<void> {
  const th = testHost();
  await quietHarness(h);
  let hostId: string | undefined;
  const tick1 = firstTick(h, () => hostId);
  const t0 = performance.now();
  hostId = (await h.call('hosts.save', { connection: { name: 'bench ssh', uri: sshUri(th), ssh: { auth: 'key', keyFile: th.SSH_KEY } } })).config.id;
  await h.call('hosts.connect', { hostId });
  const tConnected = performance.now();
  const list = await h.call('domains.list', { hostId });
  const tListed = performance.now();
  const tTick = await tick1;
  const bench = list.filter((d) => d.name.startsWith(PREFIX));
  if (bench.length !== guests || bench.some((d) => d.state !== 'running')) throw new Error(`expected ${guests} running ${PREFIX}* guests, listed ${bench.length}`);
  const services = h.backend.hosts.servicesOf(hostId);
  await services.addresses.refresh();
  services.stats.stop();
  services.addresses.stop();

  for (let i = 0; i < 3; i++) await services.stats.tick();
  const fastTimes: number[] = [];
  const slowTimes: number[] = [];
  let last: StatsTick | undefined;
  const c0 = cpuMs();
  for (let i = 0; i < TICKS; i++) {
    const slow = services.stats.nextArgv().includes(SLOW_GROUPS[0]);
    const t = performance.now();
    last = await services.stats.tick();
    (slow ? slowTimes : fastTimes).push(performance.now() - t);
  }
  const backendCpuMsPerTick = (cpuMs() - c0) / TICKS;
  if (!last) throw new Error('tick failed');
  const samples = services.stats.lastSamples;
  const benchSamples = samples.filter((s) => bench.some((d) => d.uuid === s.uuid));
  const rss = peakRssMB();

  // Which stats group costs the host the time: each alone, on the same session.
  const host0 = h.backend.hosts.get(hostId);
  const tickGroupMs: Record<string, number> = {};
  for (const g of [...ALL_GROUPS, '--vcpu', '--state']) {
    const ts: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      await host0.run(['virsh', 'domstats', '--raw', '--list-active', '--nowait', g]);
      ts.push(performance.now() - t);
    }
    tickGroupMs[g.slice(2)] = r(median(ts));
  }

  // Naive: one new exec channel + new virsh per VM per tick, on the same ssh2 connection, asking
  // the same groups as the poller's fast and slow ticks. The transport caps channels at 8 per
  // connection (sshd MaxSessions 10) and queues the rest.
  const host = h.backend.hosts.get(hostId);
  const transport = transportOf(host);
  let channelRetries = 0;
  const naiveTick = async (groups: readonly string[]) => {
    const c = cpuMs();
    const t = performance.now();
    await pool(bench.length, NAIVE_CHANNELS, async (i) => {
      const argv = virshArgv(host.virshUri, 'domstats', '--raw', '--nowait', ...groups, bench[i]!.uuid);
      for (let attempt = 0; ; attempt++) {
        try {
          const o = await runToEnd(transport, argv, { timeoutMs: 60_000 });
          if (o.code !== 0) throw new Error(`naive domstats failed: ${o.stderr}`);
          return;
        } catch (e) {
          // sshd frees a session slot a little after the channel closed (see README): retry.
          if ((e as { code?: string }).code !== 'channel_refused' || attempt >= 5) throw e;
          channelRetries++;
          await sleep(100);
        }
      }
    });
    return { ms: performance.now() - t, cpu: cpuMs() - c };
  };
  const naiveFast: Array<{ ms: number; cpu: number }> = [];
  const naiveSlow: Array<{ ms: number; cpu: number }> = [];
  for (let k = 0; k < NAIVE_TICKS; k++) {
    naiveFast.push(await naiveTick(FAST_GROUPS));
    naiveSlow.push(await naiveTick(ALL_GROUPS));
  }
  // One cycle of SLOW_EVERY ticks (SLOW_EVERY − 1 fast, 1 slow), per tick.
  const cycle = (fast: number, slow: number) => ((SLOW_EVERY - 1) * fast + slow) / SLOW_EVERY;
  const fastMs = median(fastTimes);
  const slowMs = median(slowTimes);
  const tickMs = cycle(fastMs, slowMs);
  const naiveFastMs = median(naiveFast.map((x) => x.ms));
  const naiveSlowMs = median(naiveSlow.map((x) => x.ms));
  const naiveTickMs = cycle(naiveFastMs, naiveSlowMs);
  const naiveCpuMsPerTick = cycle(median(naiveFast.map((x) => x.cpu)), median(naiveSlow.map((x) => x.cpu)));
  const allTimes = [...fastTimes, ...slowTimes];

  emit({
    bench: 'real-host-ssh',
    uri: sshUri(th),
    guests,
    domainsListed: list.length,
    startAllGuestsMs: r(startAllMs),
    connectToFirstListMs: r(Math.max(tListed, tTick) - t0),
    connectMs: r(tConnected - t0),
    firstListMs: r(tListed - tConnected),
    tickMs: r(tickMs),
    tickFastMs: r(fastMs),
    tickSlowMs: r(slowMs),
    tickP95Ms: r([...allTimes].sort((a, b) => a - b)[Math.ceil(allTimes.length * 0.95) - 1]!),
    tickGroups: { fast: FAST_GROUPS, slowEvery: SLOW_EVERY, slow: SLOW_GROUPS },
    tickGroupMs,
    backendCpuMsPerTick: r(backendCpuMsPerTick),
    ticks: TICKS,
    samplesPerTick: last.n,
    samplesWithCpuPct: benchSamples.filter((s) => s.cpuPct !== null).length,
    samplesWithMem: benchSamples.filter((s) => s.memUsedKiB !== null).length,
    meanGuestCpuPct: r(benchSamples.reduce((a, s) => a + (s.cpuPct ?? 0), 0) / Math.max(1, benchSamples.length)),
    tickJsonBytes: JSON.stringify({ t: 'evt', name: 'stats.tick', payload: last }).length,
    peakRssMB: r(rss),
    naiveTickMs: r(naiveTickMs),
    naiveTickFastMs: r(naiveFastMs),
    naiveTickSlowMs: r(naiveSlowMs),
    naiveBackendCpuMsPerTick: r(naiveCpuMsPerTick),
    naiveKind: `one new SSH exec channel + \`virsh domstats UUID\` per VM, same ssh2 connection, ${NAIVE_CHANNELS} at once`,
    naiveChannelRetries: channelRetries,
    tickSpeedup: r(naiveTickMs / tickMs),
    tickSpeedupFast: r(naiveFastMs / fastMs),
    tickSpeedupSlow: r(naiveSlowMs / slowMs),
    cpuSpeedup: r(naiveCpuMsPerTick / backendCpuMsPerTick),
    goals: { tickCpuUnder50ms: backendCpuMsPerTick < 50, rssUnder200MB: rss < 200, naive10xSlower: naiveTickMs / tickMs >= 10 },
  });
}

let interrupted = false;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { guests: { type: 'string', default: '50' } } });
  const guests = Number(values.guests);
  let h: Harness | undefined;
  let cleaned = false;
  const finish = () => {
    if (cleaned) return;
    cleaned = true;
    h?.close();
    const n = cleanup();
    log(`real-host: removed ${n} ${PREFIX}* guests`);
  };
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      interrupted = true;
      log(`real-host: ${sig}, cleaning up`);
      finish();
      process.exit(130);
    });
  }
  const dir = mkdtempSync(join(tmpdir(), 'virtdeck-bench-guests-'));
  try {
    cleanup(); // leftovers of an interrupted run
    const names = Array.from({ length: guests }, (_, i) => `${PREFIX}${String(i + 1).padStart(2, '0')}`);
    const script: string[] = [];
    for (const n of names) {
      const f = join(dir, `${n}.xml`);
      writeFileSync(f, guestXml(n));
      script.push(`define ${f}`);
    }
    const def = virshLocal(['-q'], `${script.join('\n')}\n`);
    if (def.status !== 0) throw new Error(`define failed: ${def.stderr}`);
    // Start one after another (2 cores: each TCG start costs ~1 s of CPU while SeaBIOS runs).
    const t0 = performance.now();
    for (const n of names) {
      if (interrupted) return;
      await run(['virsh', '-c', 'qemu:///system', 'start', n]); // async: a signal is handled between starts
    }
    const startAllMs = performance.now() - t0;
    log(`real-host: ${guests} guests started in ${Math.round(startAllMs)} ms; letting SeaBIOS settle`);
    await sleep(5000);
    h = await startHarness();
    await measure(h, guests, startAllMs);
  } finally {
    finish();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    log(`real-host failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  },
);
