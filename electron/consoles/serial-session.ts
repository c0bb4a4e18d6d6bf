/**
 * One `virsh console` attached through a pty (virsh refuses to run without a controlling TTY):
 * an SSH exec channel with a pty on remote hosts, node-pty locally. Lifecycle: start, write,
 * resize, destroy. Destroy detaches with Ctrl+] so libvirt releases the console at once and
 * virt-manager or `virsh console` can attach afterwards.
 * https://libvirt.org/manpages/virsh.html#console
 */
import { AppError } from '../../shared/errors';
import type { ClosedReason } from '../../shared/model/console';
import type { HostConnection } from '../hosts/host-connection';
import { virshArgv } from '../hosts/host-connection';
import type { ProcessHandle } from '../hosts/transport/transport';
import type { ConsoleLink } from './byte-channel';

/** virsh's default escape character, Ctrl+] (0x1d): a clean detach. */
export const DETACH = Buffer.from([0x1d]);
/** virsh prints this line, then puts its tty in raw mode with TCSAFLUSH: input sent earlier is discarded. */
const READY = /Escape character is[^\n]*\n/;
const RAW_MODE_GRACE_MS = 300;
const START_TIMEOUT_MS = 15_000;

export interface SerialOptions {
  uuid: string;
  devname?: string;
  rows: number;
  cols: number;
}

export function serialArgv(o: Pick<SerialOptions, 'uuid' | 'devname'>): string[] {
  // --force takes the console over from another client instead of failing with "busy".
  return ['virsh', 'console', o.uuid, '--force', ...(o.devname ? ['--devname', o.devname] : [])];
}

export class SerialSession {
  private proc?: ProcessHandle;
  private destroying = false;
  /** Resolves once virsh has exited: why, in the renderer's terms. */
  readonly ended: Promise<{ reason: ClosedReason; message?: string }>;
  private resolveEnded!: (v: { reason: ClosedReason; message?: string }) => void;

  constructor(
    private readonly host: HostConnection,
    private readonly opts: SerialOptions,
  ) {
    this.ended = new Promise((r) => (this.resolveEnded = r));
  }

  get link(): ConsoleLink {
    if (!this.proc) throw new AppError('internal', 'serial session not started');
    return { output: this.proc.stdout, input: this.proc.stdin };
  }

  /**
   * Starts virsh and waits for its "Escape character is ^]" line, so errors (domain not
   * running, no such device) come back as virsh's own message. Output seen so far is replayed.
   */
  async start(): Promise<void> {
    // Right after a VM starts, libvirt may not have its console pty yet: virsh prints its
    // banner, then "PTY device is not yet assigned" and exits. Try again for a few seconds.
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.startOnce();
      } catch (e) {
        if (attempt >= 12 || !/not yet assigned/i.test(AppError.from(e).message)) throw e;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  private async startOnce(): Promise<void> {
    const proc = await this.host.open(serialArgv(this.opts), { pty: { rows: this.opts.rows, cols: this.opts.cols, term: 'xterm-256color' } });
    proc.stdin.on('error', () => {}); // EPIO/EPIPE after virsh exited: the exit path reports it
    let seen = '';
    const head: Buffer[] = [];
    const onData = (b: Buffer) => {
      head.push(b);
      seen += b.toString('utf8');
    };
    proc.stdout.on('data', onData);
    let exitedEarly: AppError | undefined;
    void proc.exited.then((exit) => (exitedEarly = new AppError('virsh', virshMessage(seen) ?? `virsh console exited (${exit.code ?? exit.signal ?? 'lost'})`)));
    const deadline = Date.now() + START_TIMEOUT_MS;
    try {
      // The banner, then a grace period in which virsh either takes the tty raw or fails.
      while (!READY.test(seen) && !exitedEarly) {
        if (Date.now() > deadline) throw new AppError('timeout', `virsh console did not attach within ${START_TIMEOUT_MS / 1000} s`);
        await new Promise((r) => setTimeout(r, 20));
      }
      if (!exitedEarly) await new Promise((r) => setTimeout(r, RAW_MODE_GRACE_MS));
      if (exitedEarly || /^error: /m.test(seen.replace(/\r/g, ''))) throw exitedEarly ?? new AppError('virsh', virshMessage(seen) ?? 'virsh console failed');
    } catch (e) {
      proc.kill();
      throw e;
    }
    proc.stdout.off('data', onData);
    proc.stdout.pause();
    this.proc = proc;
    // What virsh printed so far is the terminal's first output: put it back in front of the stream.
    proc.stdout.unshift(Buffer.concat(head));
    void proc.exited.then((exit) => {
      if (exit.lost) this.resolveEnded({ reason: 'host-disconnected', message: 'The connection to the host dropped.' });
      else if (this.destroying) this.resolveEnded({ reason: 'closed' });
      else this.resolveEnded({ reason: 'detached', message: 'virsh console ended (detached, the VM stopped, or another client took the console over).' });
    });
  }

  write(data: Uint8Array): void {
    if (!this.destroying) this.proc?.stdin.write(data);
  }

  resize(rows: number, cols: number): void {
    this.proc?.resize?.(rows, cols);
  }

  /** Detaches (Ctrl+]) and makes sure virsh is gone shortly after, even if the pty is stuck. */
  destroy(): void {
    const proc = this.proc;
    if (!proc || this.destroying) return;
    this.destroying = true;
    proc.stdout.resume(); // a paused reader must not keep virsh blocked on output
    proc.stdin.write(DETACH);
    const timer = setTimeout(() => proc.kill(), 2000);
    void proc.exited.then(() => clearTimeout(timer));
  }
}

/** virsh's "error: …" lines (ANSI-free) from a pty's output. */
function virshMessage(out: string): string | undefined {
  const lines = out
    .replace(/\r/g, '')
    .split('\n')
    .filter((l) => /^error: /.test(l))
    .map((l) => l.replace(/^error: /, ''));
  return lines.length ? lines.join(' — ') : undefined;
}
