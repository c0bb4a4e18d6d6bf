/**
 * Undoing what a failed multi-step action made (clones, backups): the undo steps newest first,
 * each retried for a while, because libvirt refuses to delete a volume an aborted copy or backup
 * job still holds for a moment. Something already gone counts as undone. Every step is tried
 * even when an earlier one fails; the caller says what is left for the user to remove.
 */
import type { HostConnection } from '../hosts/host-connection';
import type { Step } from './plan';

export interface Undo {
  /** Shown to the user: "volume “x” in pool p". */
  what: string;
  step: Step;
}

const GONE = /not found|no storage vol|no domain checkpoint|does not exist|failed to get domain/i;

/** Runs `undo` in the order given (callers keep it newest first). */
export async function undoAll(host: HostConnection, undo: readonly Undo[], opts: { attempts?: number; waitMs?: number } = {}): Promise<{ removed: string[]; left: string[] }> {
  const removed: string[] = [];
  const left: string[] = [];
  for (const u of undo) {
    let why = '';
    for (let i = 0; i < (opts.attempts ?? 20); i++) {
      const r = await host.run(['virsh', ...u.step.argv], { allowFailure: true, timeoutMs: 60_000 }).catch((e: Error) => ({ code: 1, stderr: e.message }));
      if (r.code === 0 || GONE.test(r.stderr)) {
        why = '';
        break;
      }
      why = r.stderr.trim() || `exit ${r.code}`;
      if (i + 1 < (opts.attempts ?? 20)) await new Promise((res) => setTimeout(res, opts.waitMs ?? 500));
    }
    (why ? left : removed).push(why ? `${u.what} (${why})` : u.what);
  }
  return { removed, left };
}
