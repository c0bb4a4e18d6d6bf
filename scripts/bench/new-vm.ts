/**
 * Part 6: the New VM wizard over SSH to 127.0.0.1:2222. "Open → ready" = what the wizard asks
 * before its first step is usable (`newvm.capabilities` + `newvm.osList`, a cold backend each
 * round, so no OS catalogue is cached), and the OS detection of the provisioned ISO volume.
 * Reference, in the same run: the same facts read the way a script would, one `ssh host virsh …`
 * (or grep) process per question, one after another. Goals: both under 1 s.
 *
 * Usage: node dist/bench/new-vm.cjs [--quick]
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { startHarness } from '../../e2e/support/backend-harness';
import { testHost } from '../../e2e/support/test-host';
import { emit, log, median, quietHarness, r } from './lib';

const run = promisify(execFile);
const env = JSON.parse(readFileSync(process.env.VIRTDECK_TEST_ENV ?? '/var/lib/virtdeck-test/env.json', 'utf8')) as { SSH_KNOWN_HOSTS: string; TEST_ISO_POOL: string; TEST_ISO_VOLUME: string };

/** The questions the wizard's first step needs, asked as separate `ssh … virsh` processes. */
async function naiveOpen(th: ReturnType<typeof testHost>): Promise<number> {
  const ssh = (...cmd: string[]) =>
    run('ssh', ['-p', String(th.SSH_PORT), '-i', th.SSH_KEY, '-o', 'BatchMode=yes', '-o', `UserKnownHostsFile=${env.SSH_KNOWN_HOSTS}`, `${th.SSH_USER}@${th.SSH_HOST}`, ...cmd], { maxBuffer: 64 << 20 });
  const virsh = (...a: string[]) => ssh('virsh', '-c', 'qemu:///system', ...a);
  const t = performance.now();
  await virsh('capabilities');
  await virsh('domcapabilities', '--machine', 'pc');
  await virsh('domcapabilities', '--machine', 'q35');
  await virsh('pool-list', '--all', '--details');
  await virsh('net-list', '--all');
  await virsh('iface-list', '--all');
  await ssh('grep', '-rsHE', "'<os id=|<short-id>|<name>|<version>|<family>|<release-date>|<eol-date>'", '/usr/share/osinfo/os').catch(() => undefined);
  return performance.now() - t;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
  const th = testHost();
  const rounds = values.quick ? 2 : 5;
  const open: number[] = [];
  const detect: number[] = [];
  const naive: number[] = [];
  let osCount = 0;
  for (let i = 0; i < rounds; i++) {
    // A fresh backend each round: nothing of the previous round's OS catalogue is cached.
    const h = await startHarness();
    try {
      await quietHarness(h);
      const view = await h.call('hosts.save', { connection: { name: 'bench ssh', uri: `qemu+ssh://${th.SSH_USER}@${th.SSH_HOST}:${th.SSH_PORT}/system`, ssh: { auth: 'key', keyFile: th.SSH_KEY } } });
      const hostId = view.config.id;
      await h.call('hosts.connect', { hostId });
      const t = performance.now();
      const [caps, list] = await Promise.all([h.call('newvm.capabilities', { hostId }), h.call('newvm.osList', { hostId })]);
      open.push(performance.now() - t);
      osCount = list.os.length;
      const pool = caps.pools.find((p) => p.name === env.TEST_ISO_POOL);
      if (pool) {
        const d = performance.now();
        await h.call('newvm.detectOs', { hostId, media: { type: 'volume', poolUuid: pool.uuid, name: env.TEST_ISO_VOLUME } });
        detect.push(performance.now() - d);
      }
    } finally {
      h.close();
    }
    naive.push(await naiveOpen(th));
    log(`new-vm: round ${i + 1}/${rounds}`);
  }
  emit({
    bench: 'new-vm',
    where: 'ssh',
    rounds,
    osEntries: osCount,
    openMedianMs: r(median(open)),
    naiveOpenMedianMs: r(median(naive)),
    detectMedianMs: detect.length ? r(median(detect)) : null,
    goals: { openUnder1s: median(open) < 1000, detectUnder1s: detect.length > 0 && median(detect) < 1000 },
  });
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
