/**
 * Streaming a program's stdin/stdout (vol-upload / vol-download of gigabytes) through the
 * host's transport, with backpressure, cancel and a clear outcome.
 *
 * virsh opens `--file /dev/stdin` / `/dev/stdout` with open(2). Over SSH those are pipes and
 * that works; Node gives local children a socketpair instead, and open(2) on a socket fails
 * (ENXIO). Locally the program is therefore started behind a constant /bin/sh script that puts
 * a real pipe (through `cat`) between us and it. The script never sees user data as code: the
 * program's argv arrives as "$@".
 */
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../../shared/errors';
import type { SpawnOptions, Transport } from './transport/transport';

/** `cat | prog…`: a pipe on the program's stdin; the pipeline's status is the program's. */
const PIPE_STDIN = 'cat | "$@"';
/**
 * `prog… | cat` keeping the program's exit status (no pipefail in dash): the status travels on
 * fd 3 into $(…), the data on fd 4 to the real stdout.
 */
const PIPE_STDOUT = 'exec 4>&1; s=$( { { "$@" 3>&- 4>&-; echo $? >&3; } | cat >&4; } 3>&1 ); exit "${s:-1}"';

/** The argv to run locally so that /dev/stdin and/or /dev/stdout are pipes. */
export function withLocalPipes(argv: readonly string[], pipes: { stdin?: boolean; stdout?: boolean }): string[] {
  if (pipes.stdin && pipes.stdout) throw new Error('withLocalPipes: one direction at a time');
  if (pipes.stdin) return ['sh', '-c', PIPE_STDIN, 'sh', ...argv];
  if (pipes.stdout) return ['sh', '-c', PIPE_STDOUT, 'sh', ...argv];
  return [...argv];
}

/** Stream errors that only mean "the other end went away". */
const CONSEQUENTIAL = new Set(['ERR_STREAM_PREMATURE_CLOSE', 'EPIPE', 'ECONNRESET', 'ERR_STREAM_DESTROYED', 'ERR_STREAM_WRITE_AFTER_END']);

export interface StreamOptions {
  /** Piped into the program's stdin (then closed); otherwise stdin is closed at once. */
  stdin?: Readable;
  /** Receives the program's stdout, with backpressure. */
  stdout?: Writable;
  signal?: AbortSignal;
  /** Channel lane and waiting (see ChannelLimiter). */
  spawn?: Omit<SpawnOptions, 'pty' | 'signal'>;
}

export interface StreamResult {
  code: number | null;
  stderr: string;
}

/**
 * Runs argv with streamed stdin/stdout. Resolves once the program exited AND the streams are
 * done; rejects with 'cancelled' on abort, 'disconnected' when the transport dropped, or the
 * local stream's own error (e.g. ENOSPC writing stdout to a file).
 */
export async function runStreaming(transport: Transport, argv: readonly string[], opts: StreamOptions): Promise<StreamResult> {
  if (opts.signal?.aborted) throw new AppError('cancelled', 'cancelled');
  const local = transport.kind === 'local';
  const proc = await transport.spawn(local ? withLocalPipes(argv, { stdin: !!opts.stdin, stdout: !!opts.stdout }) : argv, {
    ...opts.spawn,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const err: Buffer[] = [];
  proc.stderr.on('data', (b: Buffer) => err.push(b));
  let cancelled = false;
  let streamError: unknown;
  const stop = () => {
    cancelled = true;
    // Closing our ends makes the host side see EOF/EPIPE; kill() ends the process or channel.
    // (Locally kill() reaches the wrapper's whole process group: sh, cat and the program.)
    opts.stdin?.destroy();
    if (opts.stdout) proc.stdout.destroy();
    proc.kill();
  };
  opts.signal?.addEventListener('abort', stop, { once: true });
  proc.stdin.on('error', () => {}); // EPIPE when the program stops reading (failure path)
  // A failure of OUR side (reading the local file, writing it: ENOSPC) is what to report; the
  // breakage it then causes on the program's side, or the program's exit causes on ours, is not.
  let localError: unknown;
  const onLocalError = (e: NodeJS.ErrnoException) => {
    if (!CONSEQUENTIAL.has(e.code ?? '')) localError ??= e;
  };
  opts.stdin?.on('error', onLocalError);
  opts.stdout?.on('error', onLocalError);
  const flows: Promise<void>[] = [];
  if (opts.stdin) {
    flows.push(
      pipeline(opts.stdin, proc.stdin).catch((e: unknown) => {
        if (!cancelled) streamError ??= e;
        proc.kill();
      }),
    );
  } else proc.stdin.end();
  if (opts.stdout) {
    flows.push(
      pipeline(proc.stdout, opts.stdout).catch((e: unknown) => {
        if (!cancelled) streamError ??= e;
        proc.kill();
      }),
    );
  } else proc.stdout.resume();
  try {
    const exit = await proc.exited;
    await Promise.all(flows);
    if (cancelled) throw new AppError('cancelled', 'cancelled');
    if (exit.lost) throw new AppError('disconnected', 'the connection to the host dropped during the transfer');
    if (localError) throw localError;
    const result = { code: exit.code, stderr: Buffer.concat(err).toString('utf8') };
    // A failing program explains itself on stderr (virsh's "No space left on device"…).
    if (exit.code !== 0) return result;
    if (streamError) throw streamError;
    return result;
  } finally {
    opts.signal?.removeEventListener('abort', stop);
  }
}
