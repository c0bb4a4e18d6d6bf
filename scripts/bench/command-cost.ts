/**
 * Part 2: what one virsh command costs on the long-lived session versus a new process (locally)
 * or a new SSH exec channel running a new virsh (over SSH to the test host's sshd on
 * 127.0.0.1:2222, through the host's one ssh2 connection). Medians per command.
 *
 * Usage: node dist/bench/command-cost.cjs [--quick]
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { ConnectionInput } from '../../shared/model/host';
import { startHarness, type Harness } from '../../e2e/support/backend-harness';
import { testHost } from '../../e2e/support/test-host';
import { virshArgv, type HostConnection } from '../../electron/hosts/host-connection';
import { runToEnd } from '../../electron/hosts/transport/run-to-end';
import type { Transport } from '../../electron/hosts/transport/transport';
import { emit, log, median, quietHarness, r } from './lib';

const COMMANDS: Array<{ label: string; argv: string[] }> = [
  { label: 'list --all --name', argv: ['list', '--all', '--name'] },
  { label: 'domstats --raw', argv: ['domstats', '--raw'] },
];

/** The host's transport (child processes locally, the ssh2 connection remotely); private in the app. */
function transportOf(host: HostConnection): Transport {
  const t = (host as unknown as { transport?: Transport }).transport;
  if (!t) throw new Error('host has no transport');
  return t;
}

async function measure(h: Harness, conn: ConnectionInput, where: 'local' | 'ssh', quick: boolean): Promise<void> {
  const hostId = (await h.call('hosts.save', { connection: conn })).config.id;
  const tc = performance.now();
  await h.call('hosts.connect', { hostId });
  const connectMs = performance.now() - tc;
  // Only our commands on the session: stop the poller and the address watcher of this host.
  h.backend.hosts.servicesOf(hostId).stop();
  const host = h.backend.hosts.get(hostId);
  const transport = transportOf(host);
  const sessionRuns = quick ? 20 : 60;
  const freshRuns = quick ? 5 : where === 'ssh' ? 15 : 20;
  for (const cmd of COMMANDS) {
    for (let i = 0; i < 5; i++) await host.run(['virsh', ...cmd.argv]); // warm-up
    const session: number[] = [];
    let bytes = 0;
    for (let i = 0; i < sessionRuns; i++) {
      const t = performance.now();
      bytes = (await host.run(['virsh', ...cmd.argv])).stdout.length;
      session.push(performance.now() - t);
    }
    const fresh: number[] = [];
    for (let i = 0; i < freshRuns; i++) {
      const t = performance.now();
      const res = await runToEnd(transport, virshArgv(host.virshUri, ...cmd.argv), { timeoutMs: 30_000 });
      fresh.push(performance.now() - t);
      if (res.code !== 0) throw new Error(`virsh ${cmd.label} failed: ${res.stderr}`);
    }
    emit({
      bench: 'command-cost',
      uri: conn.uri,
      where,
      command: cmd.label,
      sessionMs: r(median(session)),
      newProcessMs: r(median(fresh)),
      newProcessKind: where === 'ssh' ? 'new SSH exec channel + new virsh' : 'new local virsh process',
      ratio: r(median(fresh) / median(session)),
      outputBytes: bytes,
      runs: { session: sessionRuns, newProcess: freshRuns },
      connectMs: r(connectMs),
    });
  }
  await h.call('hosts.disconnect', { hostId });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
  const th = testHost();
  const ssh = { auth: 'key' as const, keyFile: th.SSH_KEY };
  const at = `${th.SSH_USER}@${th.SSH_HOST}:${th.SSH_PORT}`;
  const targets: Array<[ConnectionInput, 'local' | 'ssh']> = [
    [{ name: 'test local', uri: 'test:///default' }, 'local'],
    [{ name: 'qemu local', uri: 'qemu:///system' }, 'local'],
    [{ name: 'test ssh', uri: `test+ssh://${at}/default`, ssh }, 'ssh'],
    [{ name: 'qemu ssh', uri: `qemu+ssh://${at}/system`, ssh }, 'ssh'],
  ];
  const h = await startHarness();
  try {
    await quietHarness(h);
    for (const [conn, where] of targets) {
      log(`command-cost: ${conn.uri}`);
      await measure(h, conn, where, values.quick);
    }
  } finally {
    h.close();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    log(`command-cost failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  },
);
