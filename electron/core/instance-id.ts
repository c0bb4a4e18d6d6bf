import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ID = /^[A-Za-z0-9_-]{8,64}$/;

/**
 * This app installation's id (a random word kept in its config dir). It tags what the app's
 * connections start on a host, so a connection can end what an earlier, killed run of the
 * same app left there (transport/connection-bound.ts). Read once at start-up.
 */
export function loadInstanceId(configDir: string): string {
  const file = join(configDir, 'instance-id');
  try {
    const id = readFileSync(file, 'utf8').trim();
    if (ID.test(id)) return id;
  } catch {
    /* first start: made below */
  }
  const id = randomBytes(9).toString('base64url');
  mkdirSync(configDir, { recursive: true, mode: 0o700 });
  try {
    // 'wx': two processes starting at once keep whichever id was written first.
    writeFileSync(file, `${id}\n`, { mode: 0o600, flag: 'wx' });
    return id;
  } catch {
    const again = readFileSync(file, 'utf8').trim();
    if (ID.test(again)) return again;
    // An unreadable or foreign file is left alone: this run uses an id of its own.
    return id;
  }
}
