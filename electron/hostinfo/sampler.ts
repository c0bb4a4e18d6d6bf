import type { HostSample } from '../../shared/model/hostinfo';
import type { HostConnection } from '../hosts/host-connection';
import type { ProcessHandle } from '../hosts/transport/transport';
import { parseTick, ratesBetween, SAMPLER_FILES, type ProcReading } from './proc-parse';

/**
 * The program the sampler runs on the host: a constant loop that prints the four files once per
 * tick, each after an "@@name" line, then "@@end". The interval (seconds) arrives as "$1" and is
 * only ever an argument of sleep. It runs connection-bound (CommandRunner.open), so it ends when
 * our end of its pipe or channel closes, for whatever reason.
 */
export const SAMPLER_SCRIPT =
  `while :; do for f in ${SAMPLER_FILES.join(' ')}; do echo "@@$f"; cat "/proc/$f"; done; echo @@end; sleep "$1" || exit; done`;

const FRAME_END = '@@end\n';
const MAX_BACKOFF_MS = 30_000;
/** A frame is a few KiB; more than this without an end marker means the output is not ours. */
const MAX_PENDING = 1 << 20;

/**
 * A host's live CPU, memory, network and disk figures while someone looks at its page. The long-
 * lived virsh session cannot read /proc, and `virsh nodecpustats --percent` would block it for a
 * second, so the figures come from a program on its own channel. Lifecycle: start() once,
 * stop() once; a program that dies while wanted is started again, more slowly each time.
 */
export class HostSampler {
  private proc?: ProcessHandle;
  private stopped = false;
  private started = false;
  private failures = 0;
  private retry?: NodeJS.Timeout;
  private prev?: { reading: ProcReading; at: number };
  /** Backend CPU (µs, user + system) spent turning frames into samples, and how many frames. */
  readonly cost = { micros: 0, ticks: 0 };

  constructor(
    private readonly host: HostConnection,
    private readonly intervalMs: number,
    private readonly emit: (sample: HostSample) => void,
    private readonly onProblem: (message: string | null) => void,
  ) {}

  start(): void {
    if (this.started) throw new Error('HostSampler.start: already started');
    this.started = true;
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    this.end(this.proc);
    this.proc = undefined;
  }

  private end(proc: ProcessHandle | undefined): void {
    if (!proc) return;
    // EOF on its stdin ends it on the host (connection-bound); kill() closes the channel too.
    proc.stdin.end();
    proc.kill();
  }

  private async run(): Promise<void> {
    let proc: ProcessHandle;
    try {
      proc = await this.host.open(['sh', '-c', SAMPLER_SCRIPT, 'sh', String(this.intervalMs / 1000)]);
    } catch (e) {
      return this.failed(e instanceof Error ? e.message : String(e));
    }
    // Stopped while the channel was opening: the attempt's program must not stay.
    if (this.stopped) return this.end(proc);
    this.proc = proc;
    this.prev = undefined;
    proc.stdin.on('error', () => {});
    let pending = '';
    let stderr = '';
    proc.stderr.on('data', (b: Buffer) => (stderr = (stderr + b.toString('utf8')).slice(-2000)));
    proc.stdout.on('data', (b: Buffer) => {
      pending += b.toString('utf8');
      let end: number;
      while ((end = pending.indexOf(FRAME_END)) >= 0) {
        this.frame(pending.slice(0, end));
        pending = pending.slice(end + FRAME_END.length);
      }
      if (pending.length > MAX_PENDING) pending = '';
    });
    const exit = await proc.exited;
    if (this.stopped || this.proc !== proc) return;
    this.proc = undefined;
    this.failed(`the host sampler ended (${exit.lost ? 'connection lost' : `exit ${exit.code}`})${stderr.trim() ? `: ${stderr.trim()}` : ''}`);
  }

  private frame(text: string): void {
    const t0 = process.cpuUsage();
    const at = Date.now();
    let reading: ProcReading;
    try {
      reading = parseTick(text);
    } catch (e) {
      this.onProblem(`The host's figures could not be read: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    const rates = ratesBetween(this.prev?.reading, reading, this.prev ? (at - this.prev.at) / 1000 : 0);
    this.prev = { reading, at };
    if (this.failures > 0) this.onProblem(null);
    this.failures = 0;
    this.emit({ hostId: this.host.id, at, ...rates });
    const d = process.cpuUsage(t0);
    this.cost.micros += d.user + d.system;
    this.cost.ticks++;
  }

  private failed(message: string): void {
    if (this.stopped) return;
    if (this.failures === 0) this.onProblem(`Live host figures are not updating: ${message}`);
    this.failures++;
    const delay = Math.min(1000 * 2 ** Math.min(this.failures, 5), MAX_BACKOFF_MS);
    this.retry = setTimeout(() => void this.run(), delay);
  }
}
