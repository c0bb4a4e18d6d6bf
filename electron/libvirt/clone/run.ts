/**
 * Runs a clone plan as a transaction: each step in order; when one fails, what the earlier
 * steps made is removed in reverse order (and a volume the failed step may have left half
 * written), and the error says what failed and what was cleaned up. Copies report progress
 * from the new volume's allocation (`vol-info --bytes`) while they run.
 */
import { AppError } from '../../../shared/errors';
import type { HostConnection } from '../../hosts/host-connection';
import { undoAll } from '../undo';
import type { CloneStep } from './plan';

const LONG_TIMEOUT_MS = 6 * 60 * 60_000;
const POLL_MS = 500;

export type OnProgress = (p: { target: string; done: number; total: number }) => void;

async function allocationOf(host: HostConnection, poolUuid: string, name: string): Promise<number | null> {
  const r = await host.run(['virsh', 'vol-info', '--bytes', '--pool', poolUuid, '--vol', name], { allowFailure: true });
  if (r.code !== 0) return null;
  const m = /^Allocation:\s+(\d+)/m.exec(r.stdout);
  return m ? Number(m[1]) : null;
}

async function runOne(host: HostConnection, step: CloneStep, onProgress: OnProgress): Promise<void> {
  const opts = { ...(step.stdin !== undefined ? { stdin: step.stdin } : {}), ...(step.long ? { job: true, timeoutMs: LONG_TIMEOUT_MS } : { timeoutMs: 120_000 }) };
  const run = host.run(['virsh', ...step.argv], opts);
  const p = step.progress;
  if (!p) return void (await run);
  let finished = false;
  let wake = () => {};
  // The poll sleeps between reads; the copy's end wakes it, so the clone never waits for a tick.
  const poll = (async () => {
    while (!finished) {
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, POLL_MS);
      });
      if (finished) break;
      const done = await allocationOf(host, p.poolUuid, p.name).catch(() => null);
      if (done !== null && !finished) onProgress({ target: p.target, done: Math.min(done, p.total), total: p.total });
    }
  })();
  try {
    await run;
    onProgress({ target: p.target, done: p.total, total: p.total });
  } finally {
    finished = true;
    wake();
    await poll;
  }
}

export async function runClonePlan(host: HostConnection, steps: readonly CloneStep[], onProgress: OnProgress = () => {}): Promise<void> {
  const made: CloneStep[] = [];
  for (const step of steps) {
    try {
      await runOne(host, step, onProgress);
      if (step.undo) made.push(step);
    } catch (e) {
      const err = AppError.from(e);
      // A failed copy may leave its target behind (libvirt removes it in most cases, not all);
      // a target that was there before ("already exists"/"in use") is someone else's file.
      if (step.undo && step.progress && !/already exists|already in use/i.test(err.message)) {
        const exists = await allocationOf(host, step.progress.poolUuid, step.progress.name);
        if (exists !== null) made.push({ ...step, made: `the partial ${step.made}` });
      }
      const { removed, left } = await undoAll(host, [...made].reverse().map((s) => ({ what: s.made!, step: s.undo! })));
      const told = [
        `Cloning failed at \`virsh ${step.argv[0]}\`: ${err.message}`,
        removed.length > 0 ? `Cleaned up: ${removed.join('; ')}.` : 'Nothing had been made yet, so nothing was left behind.',
        ...(left.length > 0 ? [`Could NOT remove: ${left.join('; ')} — remove these by hand.`] : []),
      ];
      throw new AppError(err.code === 'cancelled' ? 'cancelled' : err.code === 'virsh' ? 'virsh' : err.code, told.join('\n'), err.detail);
    }
  }
}
