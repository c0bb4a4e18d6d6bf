/**
 * The last few definitions of each VM, kept before Virtdeck replaced them, for one-click
 * restore: one JSON file per host and VM UUID, next to the pool and network histories
 * (xml-history.ts) as <dataDir>/xml-history/<hostId>/domain-<uuid>.json. Written atomically
 * (temp file + rename) so a crash never leaves half a history.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { HistoryEntry } from '../../shared/model/details';
import { DomainUuid } from '../../shared/model/domain';
import { HostId } from '../../shared/model/host';

export const DOMAIN_HISTORY_KEEP = 10;

const HistoryFile = z.object({ version: z.literal(1), entries: z.array(HistoryEntry) });

export class DomainXmlHistory {
  /** One write at a time per file: two edits in quick succession must not lose an entry. */
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(private readonly dataDir: string) {}

  private file(hostId: string, uuid: string): string {
    // Both are validated patterns ([A-Za-z0-9_-], hex and dashes): safe as path components.
    return join(this.dataDir, 'xml-history', HostId.parse(hostId), `domain-${DomainUuid.parse(uuid).toLowerCase()}.json`);
  }

  async list(hostId: string, uuid: string): Promise<HistoryEntry[]> {
    try {
      const parsed = HistoryFile.safeParse(JSON.parse(await readFile(this.file(hostId, uuid), 'utf8')));
      return parsed.success ? parsed.data.entries : [];
    } catch {
      return []; // no file yet, or unreadable: an empty history, never an error for the edit itself
    }
  }

  async get(hostId: string, uuid: string, id: string): Promise<HistoryEntry | undefined> {
    return (await this.list(hostId, uuid)).find((e) => e.id === id);
  }

  /** Records a definition that is about to be replaced; the same XML twice in a row is kept once. */
  record(hostId: string, uuid: string, entry: Omit<HistoryEntry, 'id' | 'at'>): Promise<HistoryEntry> {
    const key = this.file(hostId, uuid);
    const run = (this.chains.get(key) ?? Promise.resolve()).catch(() => {}).then(async () => {
      const entries = await this.list(hostId, uuid);
      const full: HistoryEntry = { id: `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`, at: Date.now(), ...entry };
      if (entries[0]?.xml === entry.xml) return entries[0];
      const next = [full, ...entries].slice(0, DOMAIN_HISTORY_KEEP);
      await mkdir(join(key, '..'), { recursive: true, mode: 0o700 });
      const tmp = `${key}.${randomBytes(4).toString('hex')}.tmp`;
      // Definitions may hold graphics passwords (dumped with --security-info): owner-only.
      await writeFile(tmp, JSON.stringify({ version: 1, entries: next }, null, 1), { mode: 0o600 });
      await rename(tmp, key);
      return full;
    });
    this.chains.set(key, run);
    return run;
  }
}
