import { AppError } from '../../../shared/errors';
import type { Transport } from './transport';

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
}

/** Runs a program on its own channel/process to completion and collects its output. */
export async function runToEnd(transport: Transport, argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const proc = await transport.spawn(argv);
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
  if (opts.timeoutMs) timer = setTimeout(() => stop(new AppError('timeout', `${argv[0]} ${argv[1] ?? ''} timed out after ${opts.timeoutMs} ms`)), opts.timeoutMs);
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
