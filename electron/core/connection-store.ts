import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ConnectionConfig } from '../../shared/model/host';

const FileShape = z.object({ version: z.literal(1), connections: z.array(ConnectionConfig) });

/**
 * Saved connections in <configDir>/connections.json. Never holds a secret: passwords live in
 * the SecretStore. A file that fails validation is kept aside as .invalid, not overwritten.
 */
export class ConnectionStore {
  private readonly file: string;
  private cache?: ConnectionConfig[];
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly dir: string) {
    this.file = join(dir, 'connections.json');
  }

  /** undefined when no file exists yet (first start). */
  async load(): Promise<ConnectionConfig[] | undefined> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    const parsed = FileShape.safeParse(safeJson(text));
    if (!parsed.success) {
      await rename(this.file, `${this.file}.invalid-${Date.now()}`);
      return undefined;
    }
    this.cache = parsed.data.connections;
    return this.cache;
  }

  list(): ConnectionConfig[] {
    return this.cache ?? [];
  }

  get(id: string): ConnectionConfig | undefined {
    return this.list().find((c) => c.id === id);
  }

  upsert(c: ConnectionConfig): Promise<void> {
    return this.serial(async () => {
      const list = this.list().filter((x) => x.id !== c.id);
      const at = this.list().findIndex((x) => x.id === c.id);
      list.splice(at < 0 ? list.length : at, 0, c);
      await this.write(list);
    });
  }

  remove(id: string): Promise<void> {
    return this.serial(() => this.write(this.list().filter((x) => x.id !== id)));
  }

  save(list: ConnectionConfig[]): Promise<void> {
    return this.serial(() => this.write(list));
  }

  /**
   * One change at a time: two requests at once (two tabs, a fuzz) each read the list and wrote
   * their own version, so one change was lost, and they shared one temp file, so one rename failed.
   */
  private serial(fn: () => Promise<void>): Promise<void> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => {});
    return run;
  }

  private async write(list: ConnectionConfig[]): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(tmp, JSON.stringify({ version: 1, connections: list }, null, 2) + '\n', { mode: 0o600 });
    await rename(tmp, this.file); // atomic: a crash never leaves half a file
    this.cache = list;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
