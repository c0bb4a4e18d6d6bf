import { spawn } from 'node:child_process';
import { AppError } from '../../../shared/errors';
import { spawnLocalPty } from './local-pty';
import type { ExitInfo, ProcessHandle, SpawnOptions, Transport } from './transport';

/** Runs programs on this computer with an argument vector: no shell is ever involved. */
export class LocalTransport implements Transport {
  readonly kind = 'local' as const;
  private readonly children = new Set<ProcessHandle>();

  async spawn(argv: readonly string[], opts: SpawnOptions = {}): Promise<ProcessHandle> {
    const [file, ...args] = argv;
    if (!file) throw new AppError('internal', 'empty command');
    if (opts.pty) {
      // virsh console refuses to run without a controlling TTY.
      const handle = await spawnLocalPty(argv, opts.pty);
      this.children.add(handle);
      void handle.exited.then(() => this.children.delete(handle));
      return handle;
    }
    // Its own process group, so kill() reaches everything it started too (the sh of
    // withLocalPipes and its cat, a wrapper's program), not only the first process.
    const group = process.platform !== 'win32';
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'], shell: false, windowsHide: true, detached: group });
    const exited = new Promise<ExitInfo>((resolve) => {
      child.once('error', () => resolve({ code: null, signal: null }));
      child.once('close', (code, signal) => resolve({ code, signal }));
    });
    // A missing binary surfaces as an 'error' event, not a throw: turn it into a clear error.
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', () => resolve());
      child.once('error', (err: NodeJS.ErrnoException) =>
        reject(
          new AppError(
            err.code === 'ENOENT' ? 'not_found' : 'internal',
            err.code === 'ENOENT' ? `${file} is not installed on this computer` : err.message,
          ),
        ),
      );
    });
    const handle: ProcessHandle = {
      stdin: child.stdin,
      stdout: child.stdout,
      stderr: child.stderr,
      exited,
      kill: () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        // 'close' waits for the output pipes to be read to the end: drain what nobody wants now.
        child.stdout.resume();
        child.stderr.resume();
        try {
          if (group && child.pid) process.kill(-child.pid, 'SIGTERM');
          else child.kill('SIGTERM');
        } catch {
          child.kill('SIGTERM'); // the group is gone already; the child itself may not be
        }
      },
    };
    this.children.add(handle);
    void exited.then(() => this.children.delete(handle));
    return handle;
  }

  close(): void {
    for (const c of this.children) c.kill();
    this.children.clear();
  }
}
