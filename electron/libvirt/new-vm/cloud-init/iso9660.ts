/**
 * A minimal ISO9660 writer for cloud-init NoCloud seeds: a few small files in the root directory,
 * ISO9660 level 1 names (8.3, upper case) plus a Joliet tree carrying the real names
 * ("user-data", "meta-data", "network-config"). Linux mounts the Joliet names when there is no
 * Rock Ridge, which is what cloud-init reads; the volume label goes into both descriptors.
 *
 * No npm package writes ISO9660 in pure JS and is kept up (checked the registry lists: none), and
 * hosts need no genisoimage/xorriso: this builds the image in memory (a seed is a few KiB).
 * Layout (2048-byte sectors): 0–15 system area, 16 primary descriptor, 17 Joliet supplementary
 * descriptor, 18 terminator, 19–22 path tables (L/M, primary then Joliet), 23 primary root,
 * 24 Joliet root, 25… file data. Spec: ECMA-119 (https://ecma-international.org/publications-and-standards/standards/ecma-119/)
 * and the Joliet specification (UCS-2 BE names, escape sequence "%/E" = level 3).
 */

const SECTOR = 2048;

export interface IsoFile {
  /** The file's real name (Joliet): at most 64 characters, no '/'. */
  name: string;
  data: Uint8Array;
}

export interface IsoOptions {
  /** Volume identifier, e.g. "cidata" (kept as given: cloud-init and blkid compare it literally). */
  volumeId: string;
  /** Recorded in every date field; fixed by tests for byte-identical output. */
  date?: Date;
}

/** Level 1 name for a real name: "user-data" → "USER_DAT.;1" (unique within the image). */
export function level1Name(name: string, taken: Set<string>): string {
  const dot = name.lastIndexOf('.');
  const clean = (s: string) => s.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
  const base = clean(dot > 0 ? name.slice(0, dot) : name) || '_';
  const ext = clean(dot > 0 ? name.slice(dot + 1) : '').slice(0, 3);
  for (let i = 0; ; i++) {
    const b = i === 0 ? base.slice(0, 8) : `${base.slice(0, 8 - String(i).length - 1)}_${i}`;
    const id = `${b}.${ext};1`;
    if (!taken.has(id)) {
      taken.add(id);
      return id;
    }
  }
}

export function buildIso(files: readonly IsoFile[], opts: IsoOptions): Uint8Array {
  for (const f of files) {
    if (!f.name || f.name.length > 64 || f.name.includes('/') || f.name.includes('\0')) throw new Error(`not a file name for an ISO image: ${JSON.stringify(f.name)}`);
  }
  if (new Set(files.map((f) => f.name)).size !== files.length) throw new Error('two files with the same name');
  const date = opts.date ?? new Date();
  const taken = new Set<string>();
  const entries = files.map((f) => ({ ...f, primary: level1Name(f.name, taken) }));

  const ROOT_P = 23;
  const ROOT_J = 24;
  let next = 25;
  const placed = entries.map((e) => {
    const at = next;
    next += Math.max(1, Math.ceil(e.data.length / SECTOR));
    return { ...e, at };
  });
  const total = next;
  const img = new Uint8Array(total * SECTOR);

  const rootRecord = (at: number) => dirRecord(at, SECTOR, true, new Uint8Array([0]), date);
  const primaryRoot = concat([
    rootRecord(ROOT_P),
    dirRecord(ROOT_P, SECTOR, true, new Uint8Array([1]), date),
    ...sortBy(placed, (p) => ascii(p.primary)).map((p) => dirRecord(p.at, p.data.length, false, ascii(p.primary), date)),
  ]);
  const jolietRoot = concat([
    rootRecord(ROOT_J),
    dirRecord(ROOT_J, SECTOR, true, new Uint8Array([1]), date),
    ...sortBy(placed, (p) => ucs2(p.name)).map((p) => dirRecord(p.at, p.data.length, false, ucs2(p.name), date)),
  ]);
  if (primaryRoot.length > SECTOR || jolietRoot.length > SECTOR) throw new Error('too many files for a one-sector root directory');

  img.set(volumeDescriptor(1, opts.volumeId, total, ROOT_P, 19, 20, date), 16 * SECTOR);
  img.set(volumeDescriptor(2, opts.volumeId, total, ROOT_J, 21, 22, date), 17 * SECTOR);
  img.set(new Uint8Array([255, ...ascii('CD001'), 1]), 18 * SECTOR);
  img.set(pathTable(ROOT_P, 'L'), 19 * SECTOR);
  img.set(pathTable(ROOT_P, 'M'), 20 * SECTOR);
  img.set(pathTable(ROOT_J, 'L'), 21 * SECTOR);
  img.set(pathTable(ROOT_J, 'M'), 22 * SECTOR);
  img.set(primaryRoot, ROOT_P * SECTOR);
  img.set(jolietRoot, ROOT_J * SECTOR);
  for (const p of placed) img.set(p.data, p.at * SECTOR);
  return img;
}

/** ECMA-119 8.4 (primary, type 1) / 8.5 (supplementary, type 2: Joliet, UCS-2 text fields). */
function volumeDescriptor(type: 1 | 2, volumeId: string, sectors: number, rootAt: number, lTable: number, mTable: number, date: Date): Uint8Array {
  const d = new Uint8Array(SECTOR);
  const v = new DataView(d.buffer);
  const joliet = type === 2;
  const text = (off: number, len: number, s: string) => d.set(joliet ? padUcs2(s, len) : padAscii(s, len), off);
  d[0] = type;
  d.set(ascii('CD001'), 1);
  d[6] = 1;
  text(8, 32, 'LINUX');
  text(40, 32, volumeId);
  both32(v, 80, sectors);
  if (joliet) d.set(ascii('%/E'), 88);
  both16(v, 120, 1);
  both16(v, 124, 1);
  both16(v, 128, SECTOR);
  both32(v, 132, 10); // path table size: the root's record only
  v.setUint32(140, lTable, true);
  v.setUint32(148, mTable, false);
  d.set(dirRecord(rootAt, SECTOR, true, new Uint8Array([0]), date), 156);
  for (const [off, len] of [[190, 128], [318, 128], [446, 128], [574, 128], [702, 37], [739, 37], [776, 37]] as const) text(off, len, off === 574 ? 'VIRTDECK' : '');
  const stamp = longDate(date);
  d.set(stamp, 813);
  d.set(stamp, 830);
  d.set(ascii('0000000000000000'), 847); // expiration and effective dates: "not specified"
  d.set(ascii('0000000000000000'), 864);
  d[881] = 1;
  return d;
}

/** ECMA-119 9.1. */
function dirRecord(at: number, size: number, dir: boolean, id: Uint8Array, date: Date): Uint8Array {
  const len = 33 + id.length + (id.length % 2 === 0 ? 1 : 0);
  const r = new Uint8Array(len);
  const v = new DataView(r.buffer);
  r[0] = len;
  both32(v, 2, at);
  both32(v, 10, size);
  r.set(shortDate(date), 18);
  r[25] = dir ? 2 : 0;
  both16(v, 28, 1);
  r[32] = id.length;
  r.set(id, 33);
  return r;
}

/** ECMA-119 9.4: one record, the root (directory number 1, its own parent). */
function pathTable(rootAt: number, order: 'L' | 'M'): Uint8Array {
  const t = new Uint8Array(10);
  const v = new DataView(t.buffer);
  t[0] = 1;
  v.setUint32(2, rootAt, order === 'L');
  v.setUint16(6, 1, order === 'L');
  return t;
}

function shortDate(d: Date): Uint8Array {
  return new Uint8Array([d.getUTCFullYear() - 1900, d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), 0]);
}

function longDate(d: Date): Uint8Array {
  const p = (n: number, w: number) => String(n).padStart(w, '0');
  const s = `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1, 2)}${p(d.getUTCDate(), 2)}${p(d.getUTCHours(), 2)}${p(d.getUTCMinutes(), 2)}${p(d.getUTCSeconds(), 2)}00`;
  return new Uint8Array([...ascii(s), 0]);
}

function both16(v: DataView, off: number, n: number): void {
  v.setUint16(off, n, true);
  v.setUint16(off + 2, n, false);
}

function both32(v: DataView, off: number, n: number): void {
  v.setUint32(off, n, true);
  v.setUint32(off + 4, n, false);
}

const ascii = (s: string) => new Uint8Array([...s].map((c) => c.charCodeAt(0) & 0x7f));

function ucs2(s: string): Uint8Array {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    out[2 * i] = s.charCodeAt(i) >> 8;
    out[2 * i + 1] = s.charCodeAt(i) & 0xff;
  }
  return out;
}

const padAscii = (s: string, len: number) => ascii(s.slice(0, len).padEnd(len, ' '));
const padUcs2 = (s: string, len: number) => ucs2(s.slice(0, len / 2).padEnd(len / 2, ' '));

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** Directory records are sorted by identifier bytes (ECMA-119 9.3). */
function sortBy<T>(xs: readonly T[], key: (x: T) => Uint8Array): T[] {
  const cmp = (a: Uint8Array, b: Uint8Array) => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
    return a.length - b.length;
  };
  return [...xs].sort((a, b) => cmp(key(a), key(b)));
}
