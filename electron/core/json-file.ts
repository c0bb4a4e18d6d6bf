/**
 * The one way Virtdeck keeps a JSON file (connections, secrets, XML histories): every change is
 * a read-modify-write of what is on disk *now*, serialised per file within this process and
 * locked against other Virtdeck processes sharing the folder (`npm run web` next to the desktop
 * app, or two browser-mode servers), then written atomically: a temp file with a unique name,
 * fsync, rename over the old one, fsync of the folder. Owner-only (0600) in an 0700 folder.
 *
 * A file that exists but cannot be read is never replaced: the change fails with an error that
 * names the file. A file that can be read but is not valid (bad JSON, wrong shape) is kept
 * aside as `<name>.invalid-<time>` (nothing is lost) and the change starts from nothing.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { z } from 'zod';
import { AppError } from '../../shared/errors';

const LOCK_TIMEOUT_MS = 10_000;
/** A lock file without a pid in it is a crash between create and write, once it is this old. */
const EMPTY_LOCK_STALE_MS = 2_000;

/** Per resolved path, the tail of this process's queue of changes to that file. */
const chains = new Map<string, Promise<unknown>>();

export type SetAsideHandler = (file: string, keptAs: string, why: string) => void;

const warnSetAside: SetAsideHandler = (file, keptAs, why) => console.warn(`${file} was not valid (${why}); it was kept as ${keptAs} and a new one is started.`);

export class JsonFile<T> {
  readonly path: string;

  constructor(
    path: string,
    private readonly schema: z.ZodType<T>,
    private readonly opts: { onSetAside?: SetAsideHandler; lockTimeoutMs?: number } = {},
  ) {
    this.path = resolve(path);
  }

  /** The file's content; undefined when it does not exist (or was invalid and has just been kept aside). */
  async read(): Promise<T | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new AppError('internal', `Could not read ${this.path}: ${(e as Error).message}. It was left as it is.`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      return this.setAside(text, (e as Error).message);
    }
    const parsed = this.schema.safeParse(json);
    return parsed.success ? parsed.data : this.setAside(text, parsed.error.issues[0]?.message ?? 'unexpected content');
  }

  /**
   * Applies `change` to the current content (undefined: no file yet) and writes the result, as
   * one step that no other change to this file — in this process or another — interleaves with.
   * Returns what was written.
   */
  update(change: (current: T | undefined) => T | Promise<T>): Promise<T> {
    const run = (chains.get(this.path) ?? Promise.resolve())
      .catch(() => {})
      .then(async () => {
        await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
        const release = await lockFile(`${this.path}.lock`, this.opts.lockTimeoutMs ?? LOCK_TIMEOUT_MS);
        try {
          const next = this.schema.parse(await change(await this.read()));
          await writeAtomic(this.path, JSON.stringify(next, null, 1) + '\n');
          return next;
        } finally {
          await release();
        }
      });
    chains.set(this.path, run);
    // The map holds only the newest tail; a settled tail nobody extended is dropped.
    void run.catch(() => {}).then(() => chains.get(this.path) === run && chains.delete(this.path));
    return run;
  }

  /** Replaces the whole content. */
  write(value: T): Promise<T> {
    return this.update(() => value);
  }

  /** Renames the invalid file aside only if it still holds what was read (another writer may have fixed it). */
  private async setAside(text: string, why: string): Promise<undefined> {
    const keptAs = `${this.path}.invalid-${Date.now()}-${randomBytes(3).toString('hex')}`;
    const now = await readFile(this.path, 'utf8').catch(() => undefined);
    if (now !== text) throw new AppError('internal', `${this.path} changed while it was being read; try again.`);
    await rename(this.path, keptAs);
    (this.opts.onSetAside ?? warnSetAside)(this.path, keptAs, why);
    return undefined;
  }
}

/**
 * Temp file with a name no other writer uses, flushed, renamed over `file`, and the folder
 * flushed: a crash leaves the old file or the new one, never half of one. Owner-only.
 */
export async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = `${dirname(file)}/.${basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const fh = await open(tmp, 'wx', 0o600);
  try {
    try {
      await fh.writeFile(text, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  // The rename itself is durable only once the folder is flushed (not possible on Windows).
  if (process.platform !== 'win32') {
    const dir = await open(dirname(file), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }
}

/**
 * A lock held across processes: `lockPath` created exclusively (O_EXCL) with our pid in it.
 * A lock whose process is gone is taken over. Returns the release function.
 */
async function lockFile(lockPath: string, timeoutMs = LOCK_TIMEOUT_MS): Promise<() => Promise<void>> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    try {
      const fh = await open(lockPath, 'wx', 0o600);
      try {
        await fh.writeFile(`${process.pid}\n`);
      } finally {
        await fh.close();
      }
      return () => rm(lockPath, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = await lockHolder(lockPath);
    if (holder === 'stale') {
      await rm(lockPath, { force: true });
      continue;
    }
    if (Date.now() > deadline)
      throw new AppError('timeout', `${lockPath} is held by another Virtdeck process (pid ${holder ?? 'unknown'}); if none is running, delete that file.`);
    await new Promise((r) => setTimeout(r, Math.min(50, 2 + attempt) + Math.random() * 5));
  }
}

/** The pid holding the lock, 'stale' when that process is gone, undefined when unknown yet. */
async function lockHolder(lockPath: string): Promise<number | 'stale' | undefined> {
  const text = await readFile(lockPath, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined; // released meanwhile: the next attempt takes it
  const pid = Number(text.trim());
  if (!Number.isInteger(pid) || pid <= 0) {
    const age = await stat(lockPath).then((s) => Date.now() - s.mtimeMs, () => 0);
    return age > EMPTY_LOCK_STALE_MS ? 'stale' : undefined;
  }
  // This process queues its own changes per file, so a lock with its own pid is a leftover of
  // an earlier process that had the same pid.
  if (pid === process.pid) return 'stale';
  try {
    process.kill(pid, 0);
    return pid;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH' ? 'stale' : pid; // EPERM: alive, another user's
  }
}
