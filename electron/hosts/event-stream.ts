import { parseEventLine, type VirshEvent } from '../virsh/parse';
import type { ProcessHandle } from './transport/transport';

const DEBOUNCE_MS = 100;
const RESTART_MS = 2000;

/**
 * A virsh event watcher on the host: `virsh event --all --loop` for domains (the default parser),
 * `pool-event`/`net-event --event lifecycle --loop` with parseObjectEventLine. Events only
 * invalidate (as in cockpit-machines): a burst is collected for 100 ms and handed over once;
 * nothing is patched from event data. Restarts itself if virsh exits while the host is connected.
 */
export class EventStream<E = VirshEvent> {
  private proc?: ProcessHandle;
  private stopped = false;
  private debounce?: NodeJS.Timeout;
  private restart?: NodeJS.Timeout;
  private pending: E[] = [];
  private partial = '';

  constructor(
    private readonly spawn: () => Promise<ProcessHandle>,
    private readonly onEvents: (events: E[]) => void,
    private readonly parse: (line: string) => E | null = parseEventLine as unknown as (line: string) => E | null,
  ) {}

  start(): void {
    this.spawn().then(
      (proc) => {
        if (this.stopped) return proc.kill();
        this.proc = proc;
        proc.stdout.setEncoding('utf8');
        proc.stdout.on('data', (s: string) => this.feed(s));
        proc.stderr.resume();
        void proc.exited.then(() => {
          if (this.proc === proc) this.proc = undefined;
          if (!this.stopped) this.restart = setTimeout(() => this.start(), RESTART_MS);
        });
      },
      () => {
        if (!this.stopped) this.restart = setTimeout(() => this.start(), RESTART_MS);
      },
    );
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.debounce);
    clearTimeout(this.restart);
    this.proc?.kill();
    this.proc = undefined;
  }

  private feed(chunk: string): void {
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      const ev = this.parse(line);
      if (ev) this.pending.push(ev);
    }
    if (this.pending.length === 0) return;
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      const batch = this.pending;
      this.pending = [];
      this.onEvents(batch);
    }, DEBOUNCE_MS);
  }
}
