/**
 * Earlier versions of a pool's or network's XML, kept each time Virtdeck redefines it: one JSON
 * file per object under the app's data dir (xml-history/<hostId>/<kind>-<uuid>.json), newest
 * first, at most HISTORY_KEEP, readable by the user only (definitions can hold secrets).
 * Kept with JsonFile: changes to one file are serialised and each replaces it atomically.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { JsonFile } from '../core/json-file';
import { XmlVersion, type XmlKind } from '../../shared/api/commands';
import { HostId } from '../../shared/model/host';

export const HISTORY_KEEP = 10;

const SafeUuid = z.string().regex(/^[0-9a-fA-F-]{36}$/);

const Versions = z.array(XmlVersion);

export class XmlHistory {
  constructor(private readonly dataDir: string) {}

  private file(hostId: string, kind: XmlKind, uuid: string): JsonFile<XmlVersion[]> {
    // Validated patterns only ([A-Za-z0-9_-], hex and dashes): safe as path components.
    return new JsonFile(join(this.dataDir, 'xml-history', HostId.parse(hostId), `${kind}-${SafeUuid.parse(uuid).toLowerCase()}.json`), Versions);
  }

  async list(hostId: string, kind: XmlKind, uuid: string): Promise<XmlVersion[]> {
    try {
      return (await this.file(hostId, kind, uuid).read()) ?? [];
    } catch {
      return []; // unreadable: shown as no history, never an error for the edit itself (and never overwritten)
    }
  }

  /** Keeps `version` as the newest; an identical earlier copy is dropped rather than kept twice. */
  async record(hostId: string, kind: XmlKind, uuid: string, version: XmlVersion): Promise<void> {
    await this.file(hostId, kind, uuid).update((old) => [version, ...(old ?? []).filter((v) => v.xml !== version.xml)].slice(0, HISTORY_KEEP));
  }
}
