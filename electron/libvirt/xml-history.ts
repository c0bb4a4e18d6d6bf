/**
 * Earlier versions of a pool's or network's XML, kept each time Virtdeck redefines it: one JSON
 * file per object under the app's data dir (xml-history/<hostId>/<kind>-<uuid>.json), newest
 * first, at most HISTORY_KEEP, readable by the user only (definitions can hold secrets).
 * Writes to one file are serialised, and each replaces the file atomically (temp + rename).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { XmlVersion, type XmlKind } from '../../shared/api/commands';
import { HostId } from '../../shared/model/host';

export const HISTORY_KEEP = 10;

const SafeUuid = z.string().regex(/^[0-9a-fA-F-]{36}$/);

export class XmlHistory {
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(private readonly dataDir: string) {}

  private file(hostId: string, kind: XmlKind, uuid: string): string {
    // Validated patterns only ([A-Za-z0-9_-], hex and dashes): safe as path components.
    return join(this.dataDir, 'xml-history', HostId.parse(hostId), `${kind}-${SafeUuid.parse(uuid).toLowerCase()}.json`);
  }

  async list(hostId: string, kind: XmlKind, uuid: string): Promise<XmlVersion[]> {
    try {
      const parsed = z.array(XmlVersion).safeParse(JSON.parse(await readFile(this.file(hostId, kind, uuid), 'utf8')));
      return parsed.success ? parsed.data : [];
    } catch {
      return []; // nothing kept yet (or unreadable): never an error for the edit itself
    }
  }

  /** Keeps `version` as the newest; an identical earlier copy is dropped rather than kept twice. */
  record(hostId: string, kind: XmlKind, uuid: string, version: XmlVersion): Promise<void> {
    const file = this.file(hostId, kind, uuid);
    const run = (this.chains.get(file) ?? Promise.resolve())
      .catch(() => {})
      .then(async () => {
        const next = [version, ...(await this.list(hostId, kind, uuid)).filter((v) => v.xml !== version.xml)].slice(0, HISTORY_KEEP);
        await mkdir(join(file, '..'), { recursive: true, mode: 0o700 });
        const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
        await writeFile(tmp, JSON.stringify(next), { mode: 0o600 });
        await rename(tmp, file);
      });
    this.chains.set(file, run);
    return run;
  }
}
