/**
 * Part 7: the host page's Tuning tab (memory) refresh, `tuning.memory`, locally and over SSH to
 * 127.0.0.1:2222: KSM's sysfs files, ksmtuned's config and the QEMU processes it counts,
 * hugepages per size and node, and each VM's hugepage fit. Compared with the naive way over SSH:
 * one `ssh … cat FILE` per file the tab shows (plus one `ps`), as a script would.
 * Goal: the refresh under 1 s over SSH.
 *
 * Usage: node dist/bench/tuning.cjs [--quick]
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { ConnectionInput } from '../../shared/model/host';
import { startHarness, type Harness } from '../../e2e/support/backend-harness';
import { TEST_HOST_ENV, testHost, type TestHost } from '../../e2e/support/test-host';
import { emit, log, median, percentile, quietHarness, r } from './lib';

/** The files the tab shows, as a naive reader would list them on this (the same) host. */
function shownFiles(): string[] {
  const ksm = readdirSync('/sys/kernel/mm/ksm').map((f) => `/sys/kernel/mm/ksm/${f}`);
  const huge = readdirSync('/sys/kernel/mm/hugepages').flatMap((d) => ['nr_hugepages', 'free_hugepages', 'resv_hugepages', 'surplus_hugepages'].map((f) => `/sys/kernel/mm/hugepages/${d}/${f}`));
  const nodes = readdirSync('/sys/devices/system/node').filter((n) => /^node\d+$/.test(n));
  const perNode = nodes.flatMap((n) => readdirSync(`/sys/devices/system/node/${n}/hugepages`).flatMap((d) => ['nr_hugepages', 'free_hugepages', 'surplus_hugepages'].map((f) => `/sys/devices/system/node/${n}/hugepages/${d}/${f}`)));
  return [...ksm, ...huge, ...perNode, '/sys/kernel/mm/transparent_hugepage/enabled', '/proc/meminfo', '/proc/mounts', '/etc/ksmtuned.conf'];
}

/** One ssh process per file, in sequence. */
function naiveOverSsh(th: TestHost & { SSH_KNOWN_HOSTS: string }, files: readonly string[]): number {
  const t = performance.now();
  const ssh = (cmd: string[]) =>
    spawnSync('ssh', ['-p', String(th.SSH_PORT), '-i', th.SSH_KEY, '-o', `UserKnownHostsFile=${th.SSH_KNOWN_HOSTS}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-o', 'IdentityAgent=none', `${th.SSH_USER}@${th.SSH_HOST}`, ...cmd], { encoding: 'utf8' });
  for (const f of files) ssh(['cat', f]);
  ssh(['ps', '-e', '-o', 'pid=,rss=,comm=,args=']);
  return performance.now() - t;
}

async function measure(h: Harness, conn: ConnectionInput, where: 'local' | 'ssh', runs: number): Promise<number> {
  const hostId = (await h.call('hosts.save', { connection: conn })).config.id;
  await h.call('hosts.connect', { hostId });
  await h.call('tuning.memory', { hostId }); // warm-up (JIT, first channel)
  const times: number[] = [];
  let vms = 0;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const m = await h.call('tuning.memory', { hostId });
    times.push(performance.now() - t);
    if (!m.ksm.available) throw new Error('no KSM read');
  }
  vms = (await h.backend.hosts.servicesOf(hostId).inventory.refresh()).length;
  emit({ bench: 'tuning', uri: conn.uri, where, runs, vms, refreshMedianMs: r(median(times)), refreshP90Ms: r(percentile(times, 90)), goals: { refreshUnder1s: median(times) < 1000 } });
  await h.call('hosts.disconnect', { hostId });
  return median(times);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
  const known = (JSON.parse(readFileSync(TEST_HOST_ENV, 'utf8')) as { SSH_KNOWN_HOSTS: string }).SSH_KNOWN_HOSTS;
  const th = { ...testHost(), SSH_KNOWN_HOSTS: known };
  const at = `${th.SSH_USER}@${th.SSH_HOST}:${th.SSH_PORT}`;
  const h = await startHarness();
  h.answerPrompts(() => ({ accept: true }));
  try {
    await quietHarness(h);
    const runs = values.quick ? 5 : 15;
    await measure(h, { name: 'qemu local', uri: 'qemu:///system' }, 'local', runs);
    const viaApp = await measure(h, { name: 'qemu ssh', uri: `qemu+ssh://${at}/system`, ssh: { auth: 'key', keyFile: th.SSH_KEY } }, 'ssh', runs);
    const files = shownFiles();
    const naive = [naiveOverSsh(th, files), naiveOverSsh(th, files), naiveOverSsh(th, files)];
    emit({ bench: 'tuning-naive', where: 'ssh', how: 'one ssh process per file, in sequence', files: files.length + 1, medianMs: r(median(naive)), timesSlowerThanVirtdeck: r(median(naive) / viaApp) });
  } finally {
    h.close();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    log(`tuning failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  },
);
