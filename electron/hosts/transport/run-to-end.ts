import { AppError } from '../../../shared/errors';
import type { SpawnOptions, Transport } from './transport';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Written to the program's stdin, which is then closed (XML for define --validate, …). */
  stdin?: string | Buffer;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** How errors name the command (default: argv[0] and argv[1]); never the env wrapper. */
  label?: string;
  /** Channel lane and waiting (see ChannelLimiter). */
  spawn?: Omit<SpawnOptions, 'pty' | 'signal'>;
}

/** Runs a program on its own channel/process to completion and collects its output. */
export async function runToEnd(transport: Transport, argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const proc = await transport.spawn(argv, { ...opts.spawn, ...(opts.signal ? { signal: opts.signal } : {}) });
  const label = opts.label ?? argv.slice(0, 2).join(' ');
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  proc.stdout.on('data', (b: Buffer) => out.push(b));
  proc.stderr.on('data', (b: Buffer) => err.push(b));
  proc.stdin.on('error', () => {}); // EPIPE when the program exits before reading everything
  proc.stdin.end(opts.stdin ?? '');
  let timer: NodeJS.Timeout | undefined;
  let aborted: AppError | undefined;
  const stop = (e: AppError) => {
    aborted = e;
    proc.kill();
  };
  if (opts.timeoutMs) timer = setTimeout(() => stop(new AppError('timeout', `${label} did not finish within ${(opts.timeoutMs ?? 0) / 1000} s and was stopped`)), opts.timeoutMs);
  const onAbort = () => stop(new AppError('cancelled', 'cancelled'));
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const exit = await proc.exited;
    if (aborted) throw aborted;
    if (exit.lost) throw new AppError('disconnected', 'the connection to the host dropped while the command ran');
    return { code: exit.code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
  }
}
