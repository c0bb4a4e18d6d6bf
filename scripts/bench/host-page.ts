/**
 * Part 5: the host page on qemu:///system, locally and over SSH to 127.0.0.1:2222. The sampler's
 * backend CPU per tick (parsing one frame of the four /proc files and emitting the sample) and
 * the readiness check's wall time (one probe command, domcapabilities, virt-host-validate).
 * Goals: under 5 ms per tick, readiness under 1 s over SSH.
 *
 * Usage: node dist/bench/host-page.cjs [--quick]
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { ConnectionInput } from '../../shared/model/host';
import { startHarness, type Harness } from '../../e2e/support/backend-harness';
import { testHost } from '../../e2e/support/test-host';
import { emit, log, median, percentile, quietHarness, r, sleep } from './lib';

async function measure(h: Harness, conn: ConnectionInput, where: 'local' | 'ssh', ticks: number): Promise<void> {
  const hostId = (await h.call('hosts.save', { connection: conn })).config.id;
  await h.call('hosts.connect', { hostId });
  // Only the sampler runs for this host: no stats poller or address watcher in the whole-process figure.
  h.backend.hosts.servicesOf(hostId).stop();
  const client = { id: 'bench' };
  await h.backend.handle('hostpage.watch', { hostId }, client);
  const sampler = h.backend.samplers.samplerOf(hostId)!;
  while (sampler.cost.ticks < 5) await sleep(100); // warm-up: the first frames pay for JIT compilation
  // The whole process (stream reading, SSH decryption, parsing, emitting) over `ticks` ticks.
  const from = { ticks: sampler.cost.ticks, cpu: process.cpuUsage() };
  while (sampler.cost.ticks < from.ticks + ticks) await sleep(200);
  const used = process.cpuUsage(from.cpu);
  const processMsPerTick = (used.user + used.system) / 1000 / (sampler.cost.ticks - from.ticks);
  const perTickMs = sampler.cost.micros / sampler.cost.ticks / 1000;
  const windowMs = (sampler.cost.ticks - from.ticks) * 1000;
  await h.backend.handle('hostpage.unwatch', { hostId }, client);
  // The same process over the same time without the sampler: what the figure above owes to it.
  const idleFrom = process.cpuUsage();
  await sleep(windowMs);
  const idle = process.cpuUsage(idleFrom);
  const idleMsPerTick = (idle.user + idle.system) / 1000 / (windowMs / 1000);
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t = performance.now();
    await h.call('hostpage.readiness', { hostId });
    times.push(performance.now() - t);
  }
  emit({
    bench: 'host-page',
    uri: conn.uri,
    where,
    samplerTicks: sampler.cost.ticks,
    samplerCpuMsPerTick: r(perTickMs),
    processCpuMsPerTick: r(processMsPerTick),
    idleProcessCpuMsPerSecond: r(idleMsPerTick),
    readinessMedianMs: r(median(times)),
    readinessP90Ms: r(percentile(times, 90)),
    goals: { tickUnder5ms: processMsPerTick - idleMsPerTick < 5, readinessUnder1s: median(times) < 1000 },
  });
  await h.call('hosts.disconnect', { hostId });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
  const th = testHost();
  const at = `${th.SSH_USER}@${th.SSH_HOST}:${th.SSH_PORT}`;
  const h = await startHarness();
  h.answerPrompts(() => ({ accept: true }));
  try {
    await quietHarness(h);
    const ticks = values.quick ? 10 : 30;
    for (const [conn, where] of [
      [{ name: 'qemu local', uri: 'qemu:///system' }, 'local'],
      [{ name: 'qemu ssh', uri: `qemu+ssh://${at}/system`, ssh: { auth: 'key', keyFile: th.SSH_KEY } }, 'ssh'],
    ] as Array<[ConnectionInput, 'local' | 'ssh']>) {
      log(`host-page: ${conn.uri}`);
      await measure(h, conn, where, ticks);
    }
  } finally {
    h.close();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    log(`host-page failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  },
);
