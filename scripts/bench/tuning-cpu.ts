/**
 * Part 7: the Tuning tab's CPU map and advisor (refresh = `tuning.cpuMap` + `tuning.advisor`,
 * as the tab loads them), locally and over SSH to 127.0.0.1:2222, with whatever VMs the host has.
 * Reference, in the same run: the same facts read the way a script would, one `ssh host virsh …`
 * process per question (capabilities, freepages, the KSM file, then one dumpxml per VM).
 * Goal: the refresh under 1 s over SSH.
 *
 * Usage: node dist/bench/tuning-cpu.cjs [--quick]
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs, promisify } from 'node:util';
import type { ConnectionInput } from '../../shared/model/host';
import { startHarness } from '../../e2e/support/backend-harness';
import { testHost } from '../../e2e/support/test-host';
import { emit, log, median, percentile, quietHarness, r } from './lib';

const exec = promisify(execFile);
const env = JSON.parse(readFileSync(process.env.VIRTDECK_TEST_ENV ?? '/var/lib/virtdeck-test/env.json', 'utf8')) as { SSH_KNOWN_HOSTS: string };

async function plainScript(th: ReturnType<typeof testHost>): Promise<{ ms: number; vms: number }> {
  const ssh = (...cmd: string[]) =>
    exec('ssh', ['-p', String(th.SSH_PORT), '-i', th.SSH_KEY, '-o', 'BatchMode=yes', '-o', `UserKnownHostsFile=${env.SSH_KNOWN_HOSTS}`, `${th.SSH_USER}@${th.SSH_HOST}`, ...cmd], { maxBuffer: 64 << 20 });
  const virsh = (...a: string[]) => ssh('virsh', '-c', 'qemu:///system', ...a);
  const t = performance.now();
  await virsh('capabilities');
  await virsh('freepages', '--all');
  await ssh('cat', '/sys/kernel/mm/ksm/run');
  const uuids = (await virsh('list', '--all', '--uuid')).stdout.split('\n').filter((s) => s.trim() !== '');
  for (const u of uuids) await virsh('dumpxml', '--inactive', '--domain', u);
  return { ms: performance.now() - t, vms: uuids.length };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
  const rounds = values.quick ? 3 : 9;
  const th = testHost();
  const h = await startHarness();
  h.answerPrompts(() => ({ accept: true }));
  try {
    await quietHarness(h);
    for (const [conn, where] of [
      [{ name: 'qemu local', uri: 'qemu:///system' }, 'local'],
      [{ name: 'qemu ssh', uri: `qemu+ssh://${th.SSH_USER}@${th.SSH_HOST}:${th.SSH_PORT}/system`, ssh: { auth: 'key', keyFile: th.SSH_KEY } }, 'ssh'],
    ] as Array<[ConnectionInput, 'local' | 'ssh']>) {
      log(`tuning-cpu: ${conn.uri}`);
      const hostId = (await h.call('hosts.save', { connection: conn })).config.id;
      await h.call('hosts.connect', { hostId });
      const times: number[] = [];
      let vms = 0;
      for (let i = 0; i < rounds + 1; i++) {
        const t = performance.now();
        const [map] = await Promise.all([h.call('tuning.cpuMap', { hostId }), h.call('tuning.advisor', { hostId })]);
        if (i > 0) times.push(performance.now() - t); // the first round reads the osinfo catalogue
        vms = map.vms.length;
      }
      const plain = where === 'ssh' ? await plainScript(th) : null;
      emit({
        bench: 'tuning-cpu',
        uri: conn.uri,
        where,
        vms,
        refreshMedianMs: r(median(times)),
        refreshP90Ms: r(percentile(times, 90)),
        ...(plain ? { plainSshVirshMs: r(plain.ms), plainVms: plain.vms } : {}),
        goals: { refreshUnder1s: median(times) < 1000 },
      });
      await h.call('hosts.disconnect', { hostId });
    }
  } finally {
    h.close();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
