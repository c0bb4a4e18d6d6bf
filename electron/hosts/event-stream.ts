import { parseEventLine, type VirshEvent } from '../virsh/parse';
import type { ProcessHandle } from './transport/transport';

const DEBOUNCE_MS = 100;
const RESTART_MS = 2000;
/**
 * A watcher that dies within this time after starting is failing, not interrupted (e.g.
 * `net-event` on a host whose libvirt has no network driver): its restarts back off up to
 * MAX_RESTART_MS instead of opening a channel every two seconds forever (at most a minute, so a
 * restarted libvirtd is watched again soon).
 */
const SHORT_LIVED_MS = 10_000;
const MAX_RESTART_MS = 60_000;
/**
 * Events that happened while no watcher ran are lost: a restarted watcher, once it has had time
 * to register with libvirtd (~0.2 s measured, more on a loaded host), asks for one full refetch.
 */
export const RESYNC_AFTER_RESTART_MS = 1500;

/**
 * A virsh event watcher on the host: `virsh event --all --loop` for domains (the default parser),
 * `pool-event`/`net-event --event lifecycle --loop` with parseObjectEventLine. Events only
 * invalidate (as in cockpit-machines): a burst is collected for 100 ms and handed over once;
 * nothing is patched from event data. Restarts itself if virsh exits while the host is connected,
 * and then hands over an empty batch: "anything may have changed".
 */
export class EventStream<E = VirshEvent> {
  private proc?: ProcessHandle;
  private stopped = false;
  private debounce?: NodeJS.Timeout;
  private restart?: NodeJS.Timeout;
  private pending: E[] = [];
  private restartDelay = RESTART_MS;
  private resync?: NodeJS.Timeout;
  private started = false;

  constructor(
    private readonly spawn: () => Promise<ProcessHandle>,
    private readonly onEvents: (events: E[]) => void,
    private readonly parse: (line: string) => E | null = parseEventLine as unknown as (line: string) => E | null,
    /** The watcher exited (e.g. its libvirtd went away): the connection may want to check the host. */
    private readonly onExit: () => void = () => {},
  ) {}

  start(): void {
    const startedAt = Date.now();
    const restart = this.started;
    this.started = true;
    this.spawn().then(
      (proc) => {
        if (this.stopped) return proc.kill();
        this.proc = proc;
        proc.stdout.setEncoding('utf8');
        // The unfinished last line belongs to this process only: a restarted watcher starts
        // with an empty one, and output a replaced process still flushes is not read at all.
        let partial = '';
        proc.stdout.on('data', (s: string) => {
          if (this.proc !== proc) return;
          partial = this.feed(partial + s);
        });
        proc.stderr.resume();
        if (restart) {
          this.resync = setTimeout(() => {
            if (this.proc === proc && !this.stopped) this.onEvents([]);
          }, RESYNC_AFTER_RESTART_MS);
        }
        void proc.exited.then(() => {
          if (this.proc === proc) this.proc = undefined;
          clearTimeout(this.resync);
          this.scheduleRestart(Date.now() - startedAt < SHORT_LIVED_MS);
          if (!this.stopped) this.onExit();
        });
      },
      () => this.scheduleRestart(true),
    );
  }

  /** The delay before the next start: back to 2 s after a long run, doubling after each quick failure. */
  get nextRestartMs(): number {
    return this.restartDelay;
  }

  private scheduleRestart(failedFast: boolean): void {
    if (this.stopped) return;
    const delay = failedFast ? this.restartDelay : RESTART_MS;
    this.restartDelay = failedFast ? Math.min(this.restartDelay * 2, MAX_RESTART_MS) : RESTART_MS;
    this.restart = setTimeout(() => {
      this.restart = undefined;
      this.start();
    }, delay);
  }

  /**
   * The host answers again (its libvirtd was restarted): a watcher waiting out its backoff
   * starts now, and the backoff starts over. Its restart asks for a refetch as usual.
   */
  kick(): void {
    if (this.stopped || !this.restart) return;
    clearTimeout(this.restart);
    this.restart = undefined;
    this.restartDelay = RESTART_MS;
    this.start();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.debounce);
    clearTimeout(this.restart);
    clearTimeout(this.resync);
    this.proc?.kill();
    this.proc = undefined;
  }

  /**
   * Parses the complete lines of `text` and returns the unfinished rest. Lines may end in CRLF
   * (a pty adds the CR): one CR before the LF is dropped.
   */
  private feed(text: string): string {
    const lines = text.split('\n');
    const rest = lines.pop() ?? '';
    for (const line of lines) {
      const ev = this.parse(line.endsWith('\r') ? line.slice(0, -1) : line);
      if (ev) this.pending.push(ev);
    }
    if (this.pending.length === 0) return rest;
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      const batch = this.pending;
      this.pending = [];
      this.onEvents(batch);
    }, DEBOUNCE_MS);
    return rest;
  }
}
