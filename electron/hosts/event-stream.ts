import type { ProcessHandle } from './transport/transport';

const DEBOUNCE_MS = 100;
const RESTART_MS = 2000;

/**
 * `virsh event --all --loop` on the host: any event line invalidates the domain list
 * (cockpit-machines does the same — events only invalidate, nothing is patched from them).
 * Restarts itself if virsh exits while the host is connected.
 */
export class EventStream {
  private proc?: ProcessHandle;
  private stopped = false;
  private debounce?: NodeJS.Timeout;
  private restart?: NodeJS.Timeout;

  constructor(
    private readonly spawn: () => Promise<ProcessHandle>,
    private readonly onChange: () => void,
  ) {}

  start(): void {
    this.spawn().then(
      (proc) => {
        if (this.stopped) return proc.kill();
        this.proc = proc;
        proc.stdout.setEncoding('utf8');
        proc.stdout.on('data', (s: string) => {
          if (s.includes('event ')) this.changed();
        });
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

  private changed(): void {
    clearTimeout(this.debounce);
    this.debounce = setTimeout(this.onChange, DEBOUNCE_MS);
  }
}
