/**
 * The last few definitions of each VM, kept before Virtdeck replaced them, for one-click
 * restore: one JSON file per host and VM UUID, next to the pool and network histories
 * (xml-history.ts) as <dataDir>/xml-history/<hostId>/domain-<uuid>.json. Kept with JsonFile
 * (serialised, atomic), so a crash never leaves half a history and two edits never lose one.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { JsonFile } from '../core/json-file';
import { z } from 'zod';
import { HistoryEntry } from '../../shared/model/details';
import { DomainUuid } from '../../shared/model/domain';
import { HostId } from '../../shared/model/host';

export const DOMAIN_HISTORY_KEEP = 10;

const HistoryFile = z.object({ version: z.literal(1), entries: z.array(HistoryEntry) });

export class DomainXmlHistory {
  constructor(private readonly dataDir: string) {}

  private file(hostId: string, uuid: string): JsonFile<z.infer<typeof HistoryFile>> {
    // Both are validated patterns ([A-Za-z0-9_-], hex and dashes): safe as path components.
    // Definitions may hold graphics passwords (dumped with --security-info): JsonFile keeps them owner-only.
    return new JsonFile(join(this.dataDir, 'xml-history', HostId.parse(hostId), `domain-${DomainUuid.parse(uuid).toLowerCase()}.json`), HistoryFile);
  }

  async list(hostId: string, uuid: string): Promise<HistoryEntry[]> {
    try {
      return (await this.file(hostId, uuid).read())?.entries ?? [];
    } catch {
      return []; // unreadable: an empty history, never an error for the edit itself (and never overwritten)
    }
  }

  async get(hostId: string, uuid: string, id: string): Promise<HistoryEntry | undefined> {
    return (await this.list(hostId, uuid)).find((e) => e.id === id);
  }

  /** Records a definition that is about to be replaced; the same XML twice in a row is kept once. */
  async record(hostId: string, uuid: string, entry: Omit<HistoryEntry, 'id' | 'at'>): Promise<HistoryEntry> {
    let kept: HistoryEntry | undefined;
    await this.file(hostId, uuid).update((old) => {
      const entries = old?.entries ?? [];
      if (entries[0]?.xml === entry.xml) {
        kept = entries[0];
        return { version: 1, entries };
      }
      kept = { id: `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`, at: Date.now(), ...entry };
      return { version: 1, entries: [kept, ...entries].slice(0, DOMAIN_HISTORY_KEEP) };
    });
    return kept!;
  }
}
