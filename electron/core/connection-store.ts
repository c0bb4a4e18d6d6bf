import { join } from 'node:path';
import { z } from 'zod';
import { ConnectionConfig } from '../../shared/model/host';
import { JsonFile } from './json-file';

const FileShape = z.object({ version: z.literal(1), connections: z.array(ConnectionConfig) });

/**
 * Saved connections in <configDir>/connections.json. Never holds a secret: passwords live in
 * the SecretStore. Every change is applied to the file as it is on disk (JsonFile.update), so
 * parallel saves — `npm run web -- --connect A --connect B`, or another Virtdeck process —
 * all land. A file that fails validation is kept aside as .invalid-…, not overwritten.
 */
export class ConnectionStore {
  private readonly file: JsonFile<z.infer<typeof FileShape>>;
  private cache?: ConnectionConfig[];

  constructor(dir: string) {
    this.file = new JsonFile(join(dir, 'connections.json'), FileShape);
  }

  /** undefined when no file exists yet (first start, or the old one was invalid and kept aside). */
  async load(): Promise<ConnectionConfig[] | undefined> {
    this.cache = (await this.file.read())?.connections;
    return this.cache;
  }

  list(): ConnectionConfig[] {
    return this.cache ?? [];
  }

  get(id: string): ConnectionConfig | undefined {
    return this.list().find((c) => c.id === id);
  }

  /** Replaces the connection with the same id in place, or appends it. */
  async upsert(c: ConnectionConfig): Promise<void> {
    await this.change((list) => {
      const at = list.findIndex((x) => x.id === c.id);
      return at < 0 ? [...list, c] : list.map((x, i) => (i === at ? c : x));
    });
  }

  async remove(id: string): Promise<void> {
    await this.change((list) => list.filter((x) => x.id !== id));
  }

  async save(list: ConnectionConfig[]): Promise<void> {
    await this.change(() => list);
  }

  private async change(fn: (list: ConnectionConfig[]) => ConnectionConfig[]): Promise<void> {
    const written = await this.file.update((current) => ({ version: 1, connections: fn(current?.connections ?? []) }));
    this.cache = written.connections;
  }
}
