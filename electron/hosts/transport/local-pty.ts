import { PassThrough, Readable, Writable } from 'node:stream';
import { AppError } from '../../../shared/errors';
import type { ExitInfo, ProcessHandle, PtyOptions } from './transport';

type NodePty = typeof import('node-pty');
let loaded: Promise<NodePty> | undefined;

/**
 * node-pty (Microsoft's, the one VS Code and Hyper use) is loaded on first use: it is a native
 * addon that the desktop build must rebuild for Electron's ABI, and a missing or mismatched
 * build must only disable local serial consoles, never the whole app.
 */
function loadNodePty(): Promise<NodePty> {
  loaded ??= import('node-pty').catch((e: unknown) => {
    loaded = undefined;
    throw new AppError('unsupported', `Local serial consoles need node-pty, which could not be loaded: ${e instanceof Error ? e.message : String(e)}`);
  });
  return loaded;
}

/** `argv` in a new pseudo-terminal on this computer (no shell), as a ProcessHandle that can resize. */
export async function spawnLocalPty(argv: readonly string[], pty: PtyOptions): Promise<ProcessHandle> {
  const [file, ...args] = argv;
  if (!file) throw new AppError('internal', 'empty command');
  const nodePty = await loadNodePty();
  const env = { ...process.env } as Record<string, string>;
  let term: import('node-pty').IPty;
  try {
    // encoding null: raw bytes both ways; the renderer's terminal decodes UTF-8 itself.
    term = nodePty.spawn(file, args, { name: pty.term ?? 'xterm-256color', rows: pty.rows, cols: pty.cols, env, encoding: null });
  } catch (e) {
    throw new AppError('internal', `could not start ${file} in a pty: ${e instanceof Error ? e.message : String(e)}`);
  }
  let alive = true;
  // Backpressure: when the consumer stops reading, stop reading the pty (the program then blocks).
  const stdout = new Readable({
    highWaterMark: 64 * 1024,
    read() {
      term.resume();
    },
  });
  term.onData((d: string | Buffer) => {
    if (!stdout.push(typeof d === 'string' ? Buffer.from(d) : d)) term.pause();
  });
  const exited = new Promise<ExitInfo>((resolve) =>
    term.onExit(({ exitCode, signal }) => {
      alive = false;
      stdout.push(null);
      resolve({ code: exitCode, signal: signal ? String(signal) : null });
    }),
  );
  const stdin = new Writable({
    write(chunk: Buffer, _enc, cb) {
      if (alive) term.write(chunk as unknown as string); // node-pty writes Buffers as-is
      cb();
    },
  });
  return {
    stdin,
    stdout,
    stderr: new PassThrough().end(), // a pty merges stderr into its output
    exited,
    kill: () => {
      if (alive) term.kill('SIGHUP');
    },
    resize: (rows, cols) => {
      if (alive) term.resize(cols, rows);
    },
  };
}
