/**
 * Changes with no libvirt API that need root on the host (KSM's `run` switch in sysfs,
 * ksmtuned's config file) are written with `tee FILE`, the content on stdin:
 *   - the SSH (or local) user is root → `tee FILE`;
 *   - the connection opted in to sudo → `sudo -n tee FILE` (never a password, never `sh -c`:
 *     a sudoers rule can allow exactly this argv);
 *   - neither → nothing runs; the user is shown the exact command to run as root.
 */
import type { RootRights } from '../../../shared/model/tuning-memory';
import { AppError } from '../../../shared/errors';
import { commandText } from '../../../shared/api/commands';
import type { Step } from '../../libvirt/plan';
import type { HostFiles } from './host-files';

/** The reading process's real uid (grep reads /proc/self/status: itself, run as the SSH user). */
export function rightsFrom(files: HostFiles, sudoOptIn: boolean): RootRights {
  const uidLine = (files.get('/proc/self/status') ?? []).find((l) => l.startsWith('Uid:'));
  const uid = uidLine ? Number(uidLine.split(/\s+/)[1]) : null;
  return { uid: Number.isFinite(uid) ? uid : null, root: uid === 0, sudo: sudoOptIn && uid !== 0 };
}

export interface RootPlan {
  steps: Step[];
  /** Set when nothing may run: the message names the command to run as root. */
  blocked: string | null;
}

/** Writing `content` to `file` as root, however this connection can. */
export function rootWrite(rights: RootRights, file: string, content: string): RootPlan {
  if (rights.root) return { steps: [{ argv: ['tee', file], stdin: content, hostCommand: true }], blocked: null };
  if (rights.sudo) return { steps: [{ argv: ['sudo', '-n', 'tee', file], stdin: content, hostCommand: true }], blocked: null };
  const shown = { argv: ['sudo', 'tee', file], stdin: content };
  return {
    steps: [{ ...shown, hostCommand: true }],
    blocked: `Writing ${file} needs root, and this connection's user (uid ${rights.uid ?? '?'}) is not root. Run as root on the host:\n${commandText(shown)}\nor allow sudo for this connection (its settings) with a NOPASSWD sudoers rule for exactly \`tee ${file}\`.`,
  };
}

/** Throws (code 'permission', nothing run) when the plan needs root this connection does not have. */
export function assertAllowed(plan: RootPlan): Step[] {
  if (plan.blocked) throw new AppError('permission', plan.blocked);
  return plan.steps;
}

/** sudo's own refusal (no rule, or a password wanted) is a permission error with sudo's text. */
export function sudoRefused(e: unknown): AppError | null {
  const err = AppError.from(e);
  return /sudo: (a password is required|.*not allowed|.*may not run)/i.test(err.message) ? new AppError('permission', `sudo refused: ${err.message.trim()}`) : null;
}
