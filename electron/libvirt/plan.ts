/**
 * The commands an action runs, as data. Each mutating request is split into a planner (what
 * to run, built from the request's own arguments) and its execution (running exactly those
 * steps). `commands.preview` calls the same planner, so what the user is shown first and what
 * then runs cannot drift apart.
 */
import { redactSecrets } from '../../shared/redact-secrets';
import type { CommandLine, CommandPreview } from '../../shared/api/commands';
import type { HostConnection } from '../hosts/host-connection';

export interface Step {
  /** virsh's argv after `virsh -c URI` (or, with `hostCommand`, the whole command). */
  argv: string[];
  /**
   * argv is a whole command on the host, not virsh's arguments: the few things libvirt has no
   * API for (a sysfs write through `tee`, `sudo -n tee` for a non-root user; curl/wget and
   * sha256sum fetching an install tree). Fixed argv, never `sh -c`.
   */
  hostCommand?: boolean;
  /** Text fed on stdin (argv names /dev/stdin): runs on its own process/channel. */
  stdin?: string;
  /** Long jobs (vol-wipe, vol-clone of a big image…) run on their own channel too. */
  long?: boolean;
  /** For the preview of streamed transfers: the local file on stdin / receiving stdout. */
  stdinFile?: string;
  stdoutFile?: string;
}

const LONG_TIMEOUT_MS = 6 * 60 * 60_000;

/** Runs one step; returns its stdout. Errors carry virsh's own message. */
export async function runStep(host: HostConnection, step: Step): Promise<string> {
  if (step.stdinFile !== undefined || step.stdoutFile !== undefined) throw new Error('streamed steps run through the transfer manager');
  const opts = step.stdin !== undefined ? { stdin: step.stdin, timeoutMs: step.long ? LONG_TIMEOUT_MS : 120_000 } : step.long ? { job: true, timeoutMs: LONG_TIMEOUT_MS } : { timeoutMs: 120_000 };
  return (await host.run(step.hostCommand ? step.argv : ['virsh', ...step.argv], opts)).stdout;
}

/** Runs steps in order, stopping at the first failure (later steps depend on earlier ones). */
export async function runSteps(host: HostConnection, steps: readonly Step[]): Promise<string[]> {
  const outs: string[] = [];
  for (const step of steps) outs.push(await runStep(host, step));
  return outs;
}

/** The steps as command lines on the host: `virsh -c URI …`, exactly as the activity log records them. */
export function commandLines(host: HostConnection, steps: readonly Step[]): CommandLine[] {
  return steps.map((s) => ({
    argv: s.hostCommand ? [...s.argv] : ['virsh', '-c', host.virshUri, ...s.argv],
    ...(s.stdin !== undefined ? { stdin: s.stdin } : {}),
    ...(s.stdinFile !== undefined ? { stdinFile: s.stdinFile } : {}),
    ...(s.stdoutFile !== undefined ? { stdoutFile: s.stdoutFile } : {}),
  }));
}

/** What "Show command" displays: the lines that run, with secrets in stdin XML hidden. */
export function preview(host: HostConnection, steps: readonly Step[]): CommandPreview {
  const commands = commandLines(host, steps).map((c) => (c.stdin === undefined ? c : { ...c, stdin: redactSecrets(c.stdin) }));
  return { hostName: host.config.name, remote: host.uri.remote, commands };
}
