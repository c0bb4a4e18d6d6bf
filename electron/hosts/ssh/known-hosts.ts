/**
 * OpenSSH known_hosts handling: parsing, host matching and the host-key decision.
 *
 * We implement this ourselves because ssh2 only hands us the raw server key in
 * `hostVerifier`; deciding known / unknown / changed / revoked is up to us, and we
 * want the user's existing ~/.ssh/known_hosts (written by OpenSSH, possibly hashed)
 * to be honoured exactly the way `ssh` would honour it.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** `SHA256:<unpadded base64>` — byte-for-byte what `ssh-keygen -lf` and `ssh` print. */
export function fingerprintSha256(rawKey: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(rawKey).digest('base64').replace(/=+$/, '');
}

/** The key type embedded at the start of an SSH wire-format public key blob (`ssh-ed25519`, `ssh-rsa`…). */
export function keyTypeOf(rawKey: Buffer): string {
  if (rawKey.length < 4) throw new Error('SSH public key blob is too short');
  const len = rawKey.readUInt32BE(0);
  if (len === 0 || len > 64 || 4 + len > rawKey.length) throw new Error('SSH public key blob has a bad type field');
  return rawKey.subarray(4, 4 + len).toString('latin1');
}

/** The name OpenSSH looks up: bare host on port 22, `[host]:port` otherwise (IPv6 too, without brackets inside). */
export function hostPattern(host: string, port: number): string {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return port === 22 ? bare : `[${bare}]:${port}`;
}

export type KnownHostMarker = 'revoked' | 'cert-authority';

export interface KnownHostLine {
  /** 1-based line number in the file, for "offending key at line N" messages. */
  line: number;
  /** The line exactly as it appears in the file. */
  raw: string;
  marker?: KnownHostMarker;
  /** The host field as written: a comma-separated pattern list or one `|1|salt|hash`. */
  hosts: string;
  keyType: string;
  /** Decoded public key blob (SSH wire format), comparable to what ssh2 gives hostVerifier. */
  key: Buffer;
  comment?: string;
}

const HASH_MAGIC = '|1|';
const SHA1_LEN = 20;

/**
 * Parses every usable entry. Comments, blank lines and malformed lines are skipped
 * (OpenSSH ignores them too), so `line` numbers may have gaps.
 */
export function parseKnownHosts(text: string): KnownHostLine[] {
  const out: KnownHostLine[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] ?? '').replace(/\r$/, '');
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const fields = trimmed.split(/[ \t]+/);
    let marker: KnownHostMarker | undefined;
    if (fields[0]?.startsWith('@')) {
      const m = fields.shift();
      if (m === '@revoked') marker = 'revoked';
      else if (m === '@cert-authority') marker = 'cert-authority';
      else continue; // unknown marker: OpenSSH skips the line
    }
    const [hosts, keyType, b64, ...rest] = fields;
    if (!hosts || !keyType || !b64) continue;
    // Legacy SSH1 "bits e n" lines have a number where the type should be.
    if (/^\d+$/.test(keyType)) continue;
    const key = decodeBase64Strict(b64);
    if (!key) continue;
    // The type field must agree with the blob, as sshkey_read() insists.
    try {
      if (keyTypeOf(key) !== keyType) continue;
    } catch {
      continue;
    }
    const entry: KnownHostLine = { line: i + 1, raw, hosts, keyType, key };
    if (marker) entry.marker = marker;
    if (rest.length) entry.comment = rest.join(' ');
    out.push(entry);
  }
  return out;
}

function decodeBase64Strict(s: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(s)) return undefined;
  const buf = Buffer.from(s, 'base64');
  return buf.length ? buf : undefined;
}

/** OpenSSH match_pattern(): `*` any run, `?` exactly one char, no escapes. */
function globMatch(text: string, pattern: string): boolean {
  let t = 0;
  let p = 0;
  let starP = -1;
  let starT = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      t++;
      p++;
    } else if (p < pattern.length && pattern[p] === '*') {
      starP = p++;
      starT = t;
    } else if (starP >= 0) {
      p = starP + 1;
      t = ++starT;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

function hashedMatch(name: string, hosts: string): boolean {
  const parts = hosts.slice(HASH_MAGIC.length).split('|');
  if (parts.length !== 2) return false;
  const salt = decodeBase64Strict(parts[0] ?? '');
  const want = decodeBase64Strict(parts[1] ?? '');
  // OpenSSH rejects salts that are not exactly one SHA1 block long.
  if (!salt || !want || salt.length !== SHA1_LEN || want.length !== SHA1_LEN) return false;
  const got = createHmac('sha1', salt).update(name).digest();
  return timingSafeEqual(got, want);
}

/**
 * Does this entry apply to `name` (a {@link hostPattern} result)? Plain patterns are
 * case-insensitive; any matching `!pattern` vetoes the whole line, as in OpenSSH.
 * Hashed entries compare the exact string, so pass it lower-cased like ssh does.
 */
export function entryMatchesHost(entry: Pick<KnownHostLine, 'hosts'>, name: string): boolean {
  if (entry.hosts.startsWith(HASH_MAGIC)) return hashedMatch(name, entry.hosts);
  const lname = name.toLowerCase();
  let positive = false;
  for (const item of entry.hosts.split(',')) {
    const negated = item.startsWith('!');
    const pat = (negated ? item.slice(1) : item).toLowerCase();
    if (!globMatch(lname, pat)) continue;
    if (negated) return false;
    positive = true;
  }
  return positive;
}

export type HostKeyCheck =
  | { status: 'known' }
  /** `otherTypes`: key types already recorded for this host (OpenSSH's "keys of different type are already known"). */
  | { status: 'unknown'; otherTypes: string[] }
  | { status: 'changed'; line: number }
  | { status: 'revoked' };

/** rsa-sha2-* are signature algorithms over an `ssh-rsa` key; callers may pass either. */
function normaliseKeyType(t: string): string {
  return t === 'rsa-sha2-256' || t === 'rsa-sha2-512' ? 'ssh-rsa' : t;
}

function checkName(entries: KnownHostLine[], name: string, keyType: string, rawKey: Buffer): HostKeyCheck {
  const matching = entries.filter((e) => entryMatchesHost(e, name));
  // Revocation wins over everything, including a plain line that lists the same key.
  if (matching.some((e) => e.marker === 'revoked' && e.key.equals(rawKey))) return { status: 'revoked' };
  // @cert-authority lines vouch for certificates, never for a plain host key.
  const plain = matching.filter((e) => e.marker === undefined);
  if (plain.some((e) => e.keyType === keyType && e.key.equals(rawKey))) return { status: 'known' };
  const sameType = plain.filter((e) => e.keyType === keyType);
  // OpenSSH reports the last offending entry it saw.
  const last = sameType[sameType.length - 1];
  if (last) return { status: 'changed', line: last.line };
  return { status: 'unknown', otherTypes: [...new Set(plain.map((e) => e.keyType))] };
}

/**
 * The host-key decision for a server at host:port presenting `rawKey`.
 *
 * - known: a plain entry for the host has exactly this key.
 * - revoked: an `@revoked` entry for the host lists this key — refuse.
 * - changed: the host has entries of this key type but none with this key — refuse.
 * - unknown: nothing of this type is recorded — ask the user. If `otherTypes` is
 *   non-empty the host IS known under another key type. NB: real OpenSSH 9.x treats
 *   that case as "changed" (it avoids it by preferring already-known host-key
 *   algorithms during negotiation); callers wanting the strict behaviour should
 *   treat a non-empty `otherTypes` as changed, or order ssh2's serverHostKey
 *   algorithms with {@link knownKeyTypes} first.
 *
 * For non-22 ports, like `ssh`, a bare-host entry with the same key is accepted when
 * nothing is recorded for `[host]:port`; a different key there is not "changed".
 */
export function checkHostKey(text: string, host: string, port: number, keyType: string, rawKey: Buffer): HostKeyCheck {
  const type = normaliseKeyType(keyType);
  if (keyTypeOf(rawKey) !== type) throw new Error(`Key type ${keyType} does not match the key blob (${keyTypeOf(rawKey)})`);
  const entries = parseKnownHosts(text);
  const h = host.toLowerCase(); // ssh lower-cases the host name before lookup and hashing
  const primary = checkName(entries, hostPattern(h, port), type, rawKey);
  if (primary.status !== 'unknown' || port === 22) return primary;
  const bare = checkName(entries, hostPattern(h, 22), type, rawKey);
  // Stricter than ssh here: a revocation recorded under the bare name still refuses.
  if (bare.status === 'known' || bare.status === 'revoked') return bare;
  return primary;
}

/** Key types recorded (plain entries) for host:port, in file order — for ordering host-key algorithms like ssh does. */
export function knownKeyTypes(text: string, host: string, port: number): string[] {
  const name = hostPattern(host.toLowerCase(), port);
  const plain = parseKnownHosts(text).filter((e) => e.marker === undefined && entryMatchesHost(e, name));
  return [...new Set(plain.map((e) => e.keyType))];
}

/** A line to append (no trailing newline). Host is lower-cased as ssh does; `hash` writes `|1|salt|hash`. */
export function knownHostsLine(host: string, port: number, keyType: string, rawKey: Buffer, opts: { hash?: boolean } = {}): string {
  const name = hostPattern(host.toLowerCase(), port);
  let field = name;
  if (opts.hash) {
    const salt = randomBytes(SHA1_LEN);
    const mac = createHmac('sha1', salt).update(name).digest();
    field = `${HASH_MAGIC}${salt.toString('base64')}|${mac.toString('base64')}`;
  }
  return `${field} ${normaliseKeyType(keyType)} ${rawKey.toString('base64')}`;
}

/** A known_hosts file on disk, re-read on every check so edits by `ssh`/the user are seen. */
export class KnownHostsFile {
  constructor(
    readonly path: string,
    private readonly opts: { hash?: boolean } = {},
  ) {}

  private async read(): Promise<string> {
    try {
      return await readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
      throw e;
    }
  }

  async check(host: string, port: number, key: Buffer): Promise<HostKeyCheck> {
    return checkHostKey(await this.read(), host, port, keyTypeOf(key), key);
  }

  /** Key types recorded for host:port ({@link knownKeyTypes}). */
  async keyTypes(host: string, port: number): Promise<string[]> {
    return knownKeyTypes(await this.read(), host, port);
  }

  /** Appends one entry, creating the directory (0700) and file (0600) if missing. Returns the line written. */
  async append(host: string, port: number, key: Buffer): Promise<string> {
    const line = knownHostsLine(host, port, keyTypeOf(key), key, this.opts);
    // Only sets the mode on directories it creates; an existing ~/.ssh is left alone.
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const existing = await this.read();
    const prefix = existing !== '' && !existing.endsWith('\n') ? '\n' : '';
    // O_APPEND: a single write lands at the end even if ssh appends concurrently.
    const fh = await open(this.path, 'a', 0o600);
    try {
      await fh.write(`${prefix}${line}\n`);
    } finally {
      await fh.close();
    }
    return line;
  }
}
