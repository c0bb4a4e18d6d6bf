import { randomBytes } from 'node:crypto';
import { AppError } from '../../shared/errors';
import type { ProcessHandle } from '../hosts/transport/transport';
import { virshCommandLine } from './quote';
import { virshFailure } from './virsh-error';

export interface VirshOutput {
  stdout: string;
  /** Non-error stderr text (virsh warnings). */
  warnings: string;
}

interface Frame {
  n: number;
  line: string;
  written: boolean;
  argv: readonly string[];
  echoLines: number;
  timeoutMs: number;
  stdout?: string;
  stderr?: string;
  timer?: NodeJS.Timeout;
  resolve(out: VirshOutput): void;
  reject(err: AppError): void;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Commands that run a libvirt job. virsh's job watcher reads stdin while they run (for Ctrl-C)
 * when stdin is a terminal; virsh 9 leaves a pipe alone (checked on a real save: see
 * session.int.test.ts), but older or patched builds polled it, and a line read there is lost.
 * So, defensively, they are written alone and nothing follows until they finish.
 */
const STDIN_READING = new Set(['save', 'managedsave', 'restore', 'dump', 'migrate', 'blockcommit', 'blockcopy', 'blockpull', 'snapshot-create', 'snapshot-create-as', 'backup-begin']);

/**
 * One long-lived interactive `virsh -q -c URI` per connection: a command costs ~0.3 ms here
 * instead of ~13 ms for a new process (or ~135 ms for a new SSH exec channel).
 *
 * Interactive virsh never reports per-command status, so each command is followed by two
 * `echo` markers carrying a per-session nonce and a sequence number: one on stdout and one on
 * stderr (`echo --err`). Everything on stderr before the stderr marker belongs to that command.
 * With stdin not a tty virsh still echoes `virsh # <line>` on stdout; those echo lines are cut.
 * Commands are pipelined: written at once, matched in order.
 */
export class VirshSession {
  private proc?: ProcessHandle;
  private starting?: Promise<ProcessHandle>;
  private readonly nonce = randomBytes(9).toString('hex');
  private seq = 0;
  private readonly frames: Frame[] = [];
  private out = '';
  private err = '';
  private closed = false;

  constructor(private readonly startProcess: () => Promise<ProcessHandle>) {}

  get pending(): number {
    return this.frames.length;
  }

  run(argv: readonly string[], opts: { timeoutMs?: number } = {}): Promise<VirshOutput> {
    if (this.closed) return Promise.reject(new AppError('disconnected', 'the virsh session is closed'));
    // Quote first: a name virsh cannot take fails here, before anything is written.
    let line: string;
    try {
      line = virshCommandLine(argv);
    } catch (e) {
      return Promise.reject(new AppError('invalid_args', e instanceof Error ? e.message : String(e)));
    }
    return new Promise<VirshOutput>((resolve, reject) => {
      const frame: Frame = {
        n: ++this.seq,
        line,
        written: false,
        argv,
        echoLines: 1 + (line.match(/\n/g)?.length ?? 0),
        timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        resolve,
        reject,
      };
      this.frames.push(frame);
      if (this.frames.length === 1) this.armTimer(frame);
      this.ensureProcess().then(
        () => this.pump(),
        (e: unknown) => this.failAll(AppError.from(e)),
      );
    });
  }

  /** Writes waiting frames in order: pipelined, except around commands that read stdin. */
  private pump(): void {
    const proc = this.proc;
    if (!proc) return;
    for (const [i, f] of this.frames.entries()) {
      if (f.written) {
        if (STDIN_READING.has(f.argv[0] ?? '')) return; // wait for it to finish
        continue;
      }
      if (STDIN_READING.has(f.argv[0] ?? '') && i > 0) return; // only once everything before it is done
      f.written = true;
      proc.stdin.write(`${f.line}\necho --split @@,${this.nonce},${f.n},O\necho --err --split @@,${this.nonce},${f.n},E\n`);
      if (STDIN_READING.has(f.argv[0] ?? '')) return;
    }
  }

  close(): void {
    this.closed = true;
    this.failAll(new AppError('disconnected', 'the virsh session was closed'));
    this.proc?.stdin.end();
    this.proc?.kill();
    this.proc = undefined;
  }

  private ensureProcess(): Promise<ProcessHandle> {
    if (this.proc) return Promise.resolve(this.proc);
    this.starting ??= this.startProcess().then((proc) => {
      this.starting = undefined;
      if (this.closed) {
        proc.kill();
        throw new AppError('disconnected', 'the virsh session was closed');
      }
      this.attach(proc);
      return proc;
    }, (e: unknown) => {
      this.starting = undefined;
      throw e;
    });
    return this.starting;
  }

  private attach(proc: ProcessHandle): void {
    this.proc = proc;
    this.out = '';
    this.err = '';
    proc.stdout.setEncoding('utf8');
    proc.stderr.setEncoding('utf8');
    // Output counts only while this process is the session's: a virsh killed after a timeout
    // can still flush late output, which must not be read as the next command's.
    proc.stdout.on('data', (s: string) => {
      if (this.proc !== proc) return;
      this.out += s;
      this.scan();
    });
    proc.stderr.on('data', (s: string) => {
      if (this.proc !== proc) return;
      this.err += s;
      this.scan();
    });
    proc.stdin.on('error', () => {}); // the exit handler reports the failure
    void proc.exited.then((exit) => {
      if (this.proc !== proc) return;
      this.proc = undefined;
      // virsh exits at once when it cannot connect (socket permissions, no daemon): its own
      // error text says why, so that becomes the typed error the UI shows.
      const why = exit.lost
        ? new AppError('disconnected', 'the connection to the host dropped while virsh was running')
        : (virshFailure(this.err) ?? new AppError('disconnected', `virsh exited unexpectedly (code ${exit.code ?? exit.signal ?? '?'}): ${this.err.trim().slice(-500)}`));
      this.failAll(why);
    });
  }

  /** Matches markers for the oldest frames; resolves each once both its markers have arrived. */
  private scan(): void {
    for (;;) {
      const head = this.frames[0];
      if (!head) return;
      if (head.stdout === undefined) {
        const marker = `@@\n${this.nonce}\n${head.n}\nO\n`;
        const at = this.out.indexOf(marker);
        if (at >= 0) {
          head.stdout = stripEcho(this.out.slice(0, at), this.nonce, head.n, head.echoLines);
          this.out = this.out.slice(at + marker.length);
        }
      }
      if (head.stderr === undefined) {
        const marker = `error: @@\n${this.nonce}\n${head.n}\nE\n`;
        const at = this.err.indexOf(marker);
        if (at >= 0) {
          head.stderr = this.err.slice(0, at).replace(/^\n+/, '');
          this.err = this.err.slice(at + marker.length);
        }
      }
      if (head.stdout === undefined || head.stderr === undefined) return;
      this.frames.shift();
      clearTimeout(head.timer);
      const next = this.frames[0];
      if (next) this.armTimer(next);
      this.pump();
      const failure = virshFailure(head.stderr);
      if (failure) head.reject(failure);
      else head.resolve({ stdout: head.stdout, warnings: head.stderr.trim() });
    }
  }

  private armTimer(frame: Frame): void {
    frame.timer = setTimeout(() => {
      // The stream position is unknown after a timeout: restart virsh rather than guess.
      const proc = this.proc;
      this.proc = undefined;
      this.failAll(new AppError('timeout', `virsh ${frame.argv[0] ?? ''} did not answer within ${frame.timeoutMs / 1000} s`), frame);
      proc?.kill();
    }, frame.timeoutMs);
  }

  private failAll(err: AppError, first?: Frame): void {
    const frames = this.frames.splice(0);
    for (const f of frames) {
      clearTimeout(f.timer);
      f.reject(f === first || !first ? err : new AppError('disconnected', 'virsh was restarted after an earlier command timed out'));
    }
  }
}

/**
 * Cuts the `virsh # …` echo lines around a command's output: the echo of the previous frame's
 * stderr marker, the echo of the command itself, and the echo of this frame's stdout marker.
 */
function stripEcho(segment: string, nonce: string, n: number, echoLines: number): string {
  let s = segment;
  const prevErrEcho = `virsh # echo --err --split @@,${nonce},${n - 1},E\n`;
  if (s.startsWith(prevErrEcho)) s = s.slice(prevErrEcho.length);
  // The command's echo spans one line per LF inside its (quoted) arguments.
  if (s.startsWith('virsh # ')) {
    let cut = 0;
    for (let i = 0; i < echoLines; i++) {
      const nl = s.indexOf('\n', cut);
      cut = nl < 0 ? s.length : nl + 1;
    }
    s = s.slice(cut);
  }
  const ownEcho = `virsh # echo --split @@,${nonce},${n},O\n`;
  if (s.endsWith(ownEcho)) s = s.slice(0, -ownEcho.length);
  return s;
}
