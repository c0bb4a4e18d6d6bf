/**
 * Part "snapshot": an internal snapshot with memory (create) and its revert on a running TCG copy
 * of the test guest with a qcow2 disk, through Virtdeck (the real Backend, local connection and
 * over SSH to 127.0.0.1:2222: its checks, capability probe and planning included) vs plain
 * `virsh -c qemu:///system` on the same guest in the same run. Goal: overhead (median Virtdeck
 * local − median plain) under 100 ms for each; `planMedianMs` is Virtdeck's own part (checks and
 * planning, what `commands.preview` runs), `sessionCreate` the bare line on Virtdeck's virsh session.
 *
 * Usage: node dist/bench/snapshot.cjs [--quick]
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { connectOverSsh, startHarness } from '../../e2e/support/backend-harness';
import { testHost } from '../../e2e/support/test-host';
import { until } from '../../e2e/support/until';
import { readSerialLog } from '../../electron/consoles/testing/console-clones';
import { makeSnapGuests, rootRunner, SNAP_CLONE } from '../../electron/libvirt/testing/snapshot-guest';
import { emit, log, median, quietHarness, r } from './lib';

const plain = (...a: string[]) =>
  new Promise<number>((res, rej) => {
    const t0 = performance.now();
    spawn('virsh', ['-c', 'qemu:///system', ...a], { stdio: 'ignore' }).on('exit', (c) => (c === 0 ? res(performance.now() - t0) : rej(new Error(`virsh ${a[0]} exited ${c}`))));
  });

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
  const rounds = values.quick ? 3 : 6;
  const th = testHost();
  const guest = await makeSnapGuests(th, rootRunner);
  const h = await startHarness();
  try {
    await quietHarness(h);
    h.answerPrompts(() => ({ accept: true }));
    const local = (await h.call('hosts.save', { connection: { name: 'bench local', uri: 'qemu:///system' } })).config.id;
    await h.call('hosts.connect', { hostId: local });
    const ssh = await connectOverSsh(h, th);
    await plain('start', '--domain', SNAP_CLONE.uuid);
    await until(() => readSerialLog(SNAP_CLONE.name).includes(th.GUEST_BANNER), 180_000, 'the guest banner');
    const t = { sessionCreate: [] as number[], plainCreate: [] as number[], plainRevert: [] as number[], localCreate: [] as number[], localRevert: [] as number[], sshCreate: [] as number[], sshRevert: [] as number[] };
    const timed = async (xs: number[], fn: () => Promise<unknown>) => {
      const t0 = performance.now();
      await fn();
      xs.push(performance.now() - t0);
    };
    const plan: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const vm = (hostId: string) => ({ hostId, uuid: SNAP_CLONE.uuid });
      // Each create makes the image bigger (128 MiB of memory per snapshot): the order rotates so no side always goes first.
      const sides = [
        async () => {
          t.plainCreate.push(await plain('snapshot-create-as', '--domain', SNAP_CLONE.uuid, '--name', `p${i}`, '--atomic'));
          t.plainRevert.push(await plain('snapshot-revert', '--domain', SNAP_CLONE.uuid, '--snapshotname', `p${i}`));
        },
        async () => {
          await timed(plan, () => h.call('commands.preview', { name: 'snapshots.create', args: { ...vm(local), name: `l${i}`, mode: 'internal-memory' } }));
          await timed(t.localCreate, () => h.call('snapshots.create', { ...vm(local), name: `l${i}`, mode: 'internal-memory' }));
          await timed(t.localRevert, () => h.call('snapshots.revert', { ...vm(local), name: `l${i}` }));
        },
        async () => {
          // The same virsh line on the connection's long-lived virsh session, without Virtdeck's checks.
          await timed(t.sessionCreate, () => h.backend.hosts.servicesOf(local).host.run(['virsh', 'snapshot-create-as', '--domain', SNAP_CLONE.uuid, '--name', `r${i}`, '--atomic'], { timeoutMs: 120_000 }));
        },
        async () => {
          await timed(t.sshCreate, () => h.call('snapshots.create', { ...vm(ssh), name: `s${i}`, mode: 'internal-memory' }));
          await timed(t.sshRevert, () => h.call('snapshots.revert', { ...vm(ssh), name: `s${i}` }));
        },
      ];
      for (let k = 0; k < sides.length; k++) await sides[(i + k) % sides.length]!();
      log(`snapshot: round ${i + 1}/${rounds}`);
    }
    const m = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, r(median(v))])) as Record<keyof typeof t, number>;
    emit({
      bench: 'snapshot',
      rounds,
      medianMs: m,
      /** Virtdeck's own part of a create: the checks and planning (`commands.preview` runs exactly that), local. */
      planMedianMs: r(median(plan)),
      overheadMs: { localCreate: r(m.localCreate - m.plainCreate), localRevert: r(m.localRevert - m.plainRevert), sshCreate: r(m.sshCreate - m.plainCreate), sshRevert: r(m.sshRevert - m.plainRevert) },
      // The snapshot itself varies by seconds between runs of the same line on a loaded TCG host
      // (sessionCreate and plainCreate run the same command): Virtdeck's own part is the planning.
      goals: { planUnder100ms: median(plan) < 100, localOverheadUnder100ms: m.localCreate - m.plainCreate < 100 && m.localRevert - m.plainRevert < 100 },
    });
  } finally {
    h.close();
    guest.cleanup();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
