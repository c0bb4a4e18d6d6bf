import type { ActivityEntry } from '../../shared/model/activity';
import { redactSecrets } from '../../shared/redact-secrets';

const KEEP = 2000;

/**
 * Every command the backend runs, newest last, in memory only. Entries are recorded when the
 * command starts and completed in place, so a hanging command is visible as 'running'.
 * Secrets in stdin (graphics passwords) are hidden.
 */
export class ActivityLog {
  private readonly entries: ActivityEntry[] = [];
  private seq = 0;

  constructor(private readonly onComplete: (e: ActivityEntry) => void = () => {}) {}

  start(hostId: string, argv: readonly string[], stdin?: string): (error?: unknown) => void {
    const entry: ActivityEntry = { seq: ++this.seq, at: Date.now(), hostId, argv: [...argv], outcome: 'running' };
    // The log is shown in the UI: a graphics password in define's XML is not.
    if (stdin !== undefined) entry.stdin = redactSecrets(stdin);
    this.entries.push(entry);
    if (this.entries.length > KEEP) this.entries.splice(0, this.entries.length - KEEP);
    const t0 = performance.now();
    return (error?: unknown) => {
      entry.durationMs = Math.round((performance.now() - t0) * 100) / 100;
      if (error === undefined) entry.outcome = 'ok';
      else {
        entry.outcome = 'error';
        entry.error = error instanceof Error ? error.message : String(error);
      }
      this.onComplete(entry);
    };
  }

  list(afterSeq = 0, hostId?: string): ActivityEntry[] {
    return this.entries.filter((e) => e.seq > afterSeq && (hostId === undefined || e.hostId === hostId));
  }
}
