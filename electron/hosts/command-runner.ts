import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { AppError } from '../../shared/errors';
import type { ActivityLog } from '../core/activity-log';
import { VirshSession } from '../virsh/session';
import { virshFailure } from '../virsh/virsh-error';
import { boundToConnection } from './transport/connection-bound';
import { runToEnd } from './transport/run-to-end';
import type { ProcessHandle, PtyOptions, SpawnOptions, Transport } from './transport/transport';
import { runStreaming, withLocalPipes } from './stream-exec';

/** How long a command may take on a test:/// host, whose fake VMs answer at once. */
const TEST_DRIVER_TIMEOUT_MS = 15_000;
const EXEC_TIMEOUT_MS = 120_000;

/**
 * How virsh is started on the host: untranslated messages (the parsers read them) and no user
 * readline bindings (they would change how the session's input lines are read).
 */
const VIRSH_ENV = ['env', 'LC_ALL=C.UTF-8', 'INPUTRC=/dev/null'];
export function virshArgv(uri: string, ...rest: string[]): string[] {
  return [...VIRSH_ENV, 'virsh', '-c', uri, ...rest];
}

/** The environment variable that carries the connection's tag into everything it starts. */
export const CONNECTION_ENV = 'VIRTDECK_CONNECTION';

export interface CommandOptions {
  /** Data for the program's stdin (XML for `define /dev/stdin`): the command gets its own channel. */
  stdin?: string;
  /** Bulk data streamed with backpressure (`vol-upload --file /dev/stdin`, `vol-download`). */
  stream?: { stdin?: Readable; stdout?: Writable };
  /** A libvirt job that may run for long (save, restore, migrate): its own channel, never the shared session. */
  job?: boolean;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** A non-zero exit is returned instead of thrown (the exit code is the answer: 127 = not installed). */
  allowFailure?: boolean;
}

export interface CommandResult {
  code: number | null;
  stdout: string;
  /** virsh's warnings on success; the program's stderr otherwise. */
  stderr: string;
}

export interface RunnerDeps {
  transport: Transport;
  hostId: string;
  /** The URI virsh is given on the machine where it runs. */
  virshUri: string;
  /** libvirt's test driver keeps its fake host inside one virsh process: every virsh command goes to the session. */
  testDriver: boolean;
  activity: ActivityLog;
  /** Tags connection-bound programs (see connection-bound.ts). */
  tag: string;
  onChannelWait(waiting: boolean, message: string): void;
}

/**
 * The one way a connection runs anything on its host. `run(['virsh', …])` or
 * `run(['qemu-img', …])`; the runner picks the channel from what the command needs:
 *   - a plain virsh command → the long-lived virsh session (~0.3 ms, pipelined);
 *   - data on stdin, a job, or another program → its own process / SSH exec channel;
 *   - a stream → its own channel with backpressure;
 *   - the test driver → always the session (another virsh would see another fake host).
 * `open()` starts long-lived programs (event watchers, consoles). Every command is recorded in
 * the activity log, named as the user would type it (never with the env wrapper).
 */
export class CommandRunner {
  private readonly session: VirshSession;
  private closed = false;

  constructor(private readonly deps: RunnerDeps) {
    this.session = new VirshSession(() => deps.transport.spawn(this.fullArgv(['virsh', '-q']), this.spawnOptions('long')));
  }

  get transportKind(): Transport['kind'] {
    return this.deps.transport.kind;
  }

  async run(argv: readonly string[], opts: CommandOptions = {}): Promise<CommandResult> {
    if (this.closed) throw new AppError('disconnected', 'the connection is closed');
    const [program, ...rest] = argv;
    if (!program) throw new AppError('internal', 'empty command');
    const shown = program === 'virsh' ? ['virsh', '-c', this.deps.virshUri, ...rest] : [...argv];
    const done = this.deps.activity.start(this.deps.hostId, shown, opts.stdin);
    try {
      const res = program === 'virsh' ? await this.runVirsh(rest, shown, opts) : await this.runOther(argv, shown, opts);
      done(res.code === 0 ? undefined : new Error(res.stderr.trim() || `exited with ${res.code}`));
      return res;
    } catch (e) {
      done(e);
      throw e;
    }
  }

  /**
   * A long-lived program. With a pty (virsh console) sshd or the kernel hangs it up when its
   * channel or our end closes; without one it runs connection-bound, so it cannot outlive us.
   */
  open(argv: readonly string[], opts: { pty?: PtyOptions } = {}): Promise<ProcessHandle> {
    if (this.closed) return Promise.reject(new AppError('disconnected', 'the connection is closed'));
    const full = this.fullArgv(argv);
    const spawn = { ...this.spawnOptions('long'), ...(opts.pty ? { pty: opts.pty } : {}) };
    return this.deps.transport.spawn(opts.pty ? full : boundToConnection(full, this.deps.tag), spawn);
  }

  close(): void {
    this.closed = true;
    this.session.close();
  }

  /**
   * argv as run on the host: through `env`, with untranslated messages, and with the
   * connection's tag in the environment (so what a connection started can be found, also by
   * the tests that check nothing outlives it).
   */
  private fullArgv(argv: readonly string[]): string[] {
    const [program, ...rest] = argv;
    const tag = `${CONNECTION_ENV}=${this.deps.tag}`;
    if (program !== 'virsh') return ['env', 'LC_ALL=C.UTF-8', tag, ...argv];
    const [env, ...vars] = VIRSH_ENV;
    return [env!, ...vars, tag, 'virsh', '-c', this.deps.virshUri, ...rest];
  }

  private spawnOptions(lane: 'short' | 'long'): SpawnOptions {
    return { lane, onWait: (waiting, message) => this.deps.onChannelWait(waiting, message) };
  }

  private async runVirsh(args: readonly string[], shown: string[], opts: CommandOptions): Promise<CommandResult> {
    if (this.deps.testDriver) {
      if (opts.stream) throw new AppError('unsupported', "libvirt's test driver cannot stream volume data; use a real host");
      return this.onTestDriver(args, opts).catch((e: unknown) => answerOrThrow(e, opts));
    }
    if (opts.stdin === undefined && !opts.stream && !opts.job) {
      try {
        const out = await this.session.run(args, opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {});
        return { code: 0, stdout: out.stdout, stderr: out.warnings };
      } catch (e) {
        return answerOrThrow(e, opts);
      }
    }
    const res = await this.runOwnChannel(this.fullArgv(['virsh', ...args]), shown, opts);
    if (res.code !== 0 && !opts.allowFailure) throw virshFailure(res.stderr) ?? new AppError('virsh', res.stderr.trim() || `virsh exited with ${res.code}`);
    return res;
  }

  private async runOther(argv: readonly string[], shown: string[], opts: CommandOptions): Promise<CommandResult> {
    const res = await this.runOwnChannel(this.fullArgv(argv), shown, opts);
    if (res.code !== 0 && !opts.allowFailure)
      throw new AppError(res.code === 127 ? 'not_found' : 'internal', res.code === 127 ? `${argv[0]} is not installed on the host` : `${shown.join(' ')} failed: ${res.stderr.trim() || `exit ${res.code}`}`);
    return res;
  }

  private async runOwnChannel(full: string[], shown: string[], opts: CommandOptions): Promise<CommandResult> {
    const { transport } = this.deps;
    const label = shown[0] === 'virsh' ? `virsh ${shown[3] ?? ''}`.trim() : shown.slice(0, 2).join(' ');
    if (opts.stream) {
      const res = await runStreaming(transport, full, { ...opts.stream, ...(opts.signal ? { signal: opts.signal } : {}), spawn: this.spawnOptions('long') });
      return { code: res.code, stdout: '', stderr: res.stderr };
    }
    // Locally /dev/stdin must be a pipe for virsh to open it (see stream-exec.ts).
    const run = opts.stdin !== undefined && transport.kind === 'local' ? withLocalPipes(full, { stdin: true }) : full;
    return runToEnd(transport, run, {
      ...(opts.stdin !== undefined ? { stdin: opts.stdin } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      timeoutMs: opts.timeoutMs ?? EXEC_TIMEOUT_MS,
      label,
      spawn: this.spawnOptions(opts.job ? 'long' : 'short'),
    });
  }

  /** The test driver: stdin goes through a private temp file; jobs get a short leash. */
  private async onTestDriver(args: readonly string[], opts: CommandOptions): Promise<CommandResult> {
    // The fake host answers at once, so a long job timeout (a real save may take an hour) only
    // means a hang here: virsh 9's job watcher (save, managedsave) can miss a job that ends
    // before it starts waiting, and then never returns. Cap it and say what happened.
    const timeoutMs = Math.min(opts.timeoutMs ?? TEST_DRIVER_TIMEOUT_MS, TEST_DRIVER_TIMEOUT_MS);
    let dir: string | undefined;
    try {
      let argv = args;
      if (opts.stdin !== undefined) {
        dir = await mkdtemp(join(tmpdir(), 'virtdeck-'));
        const file = join(dir, 'stdin');
        await writeFile(file, opts.stdin, { mode: 0o600 });
        argv = args.map((a) => (a === '/dev/stdin' ? file : a));
      }
      const out = await this.session.run(argv, { timeoutMs });
      return { code: 0, stdout: out.stdout, stderr: out.warnings };
    } catch (e) {
      if (e instanceof AppError && e.code === 'timeout')
        throw new AppError(
          'timeout',
          `virsh ${args[0] ?? ''} did not return on the test driver (virsh's job watcher can miss a job that finishes at once). virsh was restarted, which resets the test driver's fake host.`,
        );
      throw e;
    } finally {
      if (dir) await rm(dir, { recursive: true, force: true });
    }
  }
}

/**
 * The session reports a failed virsh command by throwing virsh's error. With `allowFailure` the
 * caller wants it as an answer instead (code 1, virsh's message as stderr), as from its own
 * channel; a broken session (timeout, gone) is thrown either way.
 */
function answerOrThrow(e: unknown, opts: CommandOptions): CommandResult {
  const err = AppError.from(e);
  if (!opts.allowFailure || err.code === 'disconnected' || err.code === 'timeout' || err.code === 'cancelled' || err.code === 'invalid_args') throw err;
  return { code: 1, stdout: '', stderr: err.message };
}
