/**
 * The trust boundary for files of this computer. The renderer never names a local path the
 * backend then trusts: a native Open / Save dialog (desktop only) picks the file, main keeps the
 * path and gives the page an opaque handle, and a transfer names only that handle. A handle
 * from "Open" can only be read (upload), one from "Save as" only written (download).
 *
 * Browser mode has no native dialogs, so no handle ever exists there and any request naming a
 * local file is refused: "this computer" is the browser's, and the page must not reach files of
 * the machine the server runs on (uploads/downloads go through the browser instead).
 */
import { randomBytes } from 'node:crypto';
import { AppError } from '../../shared/errors';

export type FileAccess = 'read' | 'write';

/** Handles of the dialogs of the last hour, at most this many (each choice is one). */
const MAX_GRANTS = 64;
const GRANT_TTL_MS = 60 * 60_000;

export class LocalFileGrants {
  private readonly grants = new Map<string, { path: string; access: FileAccess; at: number }>();

  /** `enabled`: this backend has native dialogs (the desktop app). */
  constructor(private readonly enabled: boolean) {}

  /** A new handle for a path the user just chose in a native dialog. */
  grant(path: string, access: FileAccess): string {
    this.refuseUnlessEnabled();
    const handle = randomBytes(18).toString('base64url');
    this.grants.set(handle, { path, access, at: Date.now() });
    for (const [h, g] of this.grants) if (this.grants.size > MAX_GRANTS || Date.now() - g.at > GRANT_TTL_MS) this.grants.delete(h);
    return handle;
  }

  /** The chosen path behind `handle`, if it was granted for this kind of access. */
  resolve(handle: string, access: FileAccess): string {
    this.refuseUnlessEnabled();
    const g = this.grants.get(handle);
    if (!g || Date.now() - g.at > GRANT_TTL_MS)
      throw new AppError('invalid_args', 'That file choice is unknown or has expired: choose the file again with Browse…');
    if (g.access !== access)
      throw new AppError('invalid_args', access === 'read' ? 'That file was chosen to be saved to, not to be read: choose it with Open.' : 'That file was chosen to be read, not to be saved to: choose it with Save as.');
    return g.path;
  }

  private refuseUnlessEnabled(): void {
    if (!this.enabled)
      throw new AppError('unsupported', 'Files of this computer are chosen in the desktop app only; in a browser, upload and download through the browser.');
  }
}
