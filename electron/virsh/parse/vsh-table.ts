/**
 * The one reader of virsh's column tables: those printed by vshTable (tools/vsh-table.c,
 * libvirt 9.0: `vol-list`, `net-dhcp-leases`, `domiflist`, `iface-list`, `domblklist`) and the
 * hand-aligned `domifaddr`. One-shot virsh prints a header line and a line of dashes before the
 * rows; interactive `-q` prints neither. Only that line pair is a header: a row whose first word
 * is "Name" is a row (a volume called "Name backup.qcow2" is listed like any other).
 *
 * How a row is laid out: each cell is " " + text, padded with blanks to the widest text of
 * its column (measured in terminal columns: a CJK character counts 2, a combining mark 0),
 * then "  " before the next cell; the last cell is not padded. Before measuring, control
 * characters, non-printable characters and a literal "\x" are written as "\xNN" escapes
 * (vshTableSafeEncode), so a cell never contains a TAB or LF and the escape is reversible.
 */
import { isBlank, splitLines } from './lines';

/** Undoes vshTableSafeEncode: every "\xNN" is the byte NN (a real "\x" arrives as "\x5cx"). */
export function decodeVshCell(cell: string): string {
  if (!cell.includes('\\x')) return cell;
  const bytes: number[] = [];
  const enc = new TextEncoder();
  let last = 0;
  for (const m of cell.matchAll(/\\x([0-9a-fA-F]{2})/g)) {
    bytes.push(...enc.encode(cell.slice(last, m.index)), parseInt(m[1]!, 16));
    last = m.index + m[0].length;
  }
  bytes.push(...enc.encode(cell.slice(last)));
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/** East Asian Wide/Fullwidth ranges (what g_unichar_iswide reports) that names realistically use. */
const WIDE: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f], [0x231a, 0x231b], [0x2329, 0x232a], [0x23e9, 0x23ec], [0x23f0, 0x23f0], [0x23f3, 0x23f3],
  [0x25fd, 0x25fe], [0x2614, 0x2615], [0x2648, 0x2653], [0x267f, 0x267f], [0x2693, 0x2693], [0x26a1, 0x26a1],
  [0x26aa, 0x26ab], [0x26bd, 0x26be], [0x26c4, 0x26c5], [0x26ce, 0x26ce], [0x26d4, 0x26d4], [0x26ea, 0x26ea],
  [0x26f2, 0x26f3], [0x26f5, 0x26f5], [0x26fa, 0x26fa], [0x26fd, 0x26fd], [0x2705, 0x2705], [0x270a, 0x270b],
  [0x2728, 0x2728], [0x274c, 0x274c], [0x274e, 0x274e], [0x2753, 0x2755], [0x2757, 0x2757], [0x2795, 0x2797],
  [0x27b0, 0x27b0], [0x27bf, 0x27bf], [0x2b1b, 0x2b1c], [0x2b50, 0x2b50], [0x2b55, 0x2b55], [0x2e80, 0x303e],
  [0x3041, 0x33ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xa000, 0xa4cf], [0xa960, 0xa97f], [0xac00, 0xd7a3],
  [0xf900, 0xfaff], [0xfe10, 0xfe19], [0xfe30, 0xfe6f], [0xff00, 0xff60], [0xffe0, 0xffe6], [0x16fe0, 0x18cff],
  [0x1b000, 0x1b2ff], [0x1f004, 0x1f004], [0x1f0cf, 0x1f0cf], [0x1f18e, 0x1f18e], [0x1f191, 0x1f19a],
  [0x1f200, 0x1f251], [0x1f300, 0x1f64f], [0x1f680, 0x1f6ff], [0x1f7e0, 0x1f7eb], [0x1f90c, 0x1f9ff],
  [0x1fa70, 0x1faff], [0x20000, 0x3fffd],
];
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}\u1160-\u11ff\u200b]$/u;

function isWide(cp: number): boolean {
  let lo = 0;
  let hi = WIDE.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = WIDE[mid]!;
    if (cp < a) hi = mid - 1;
    else if (cp > b) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Terminal columns of printed (already escaped) text, as vshTable measures it. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp !== 0xad && ZERO_WIDTH.test(ch)) continue;
    w += isWide(cp) ? 2 : 1;
  }
  return w;
}

/** The non-blank rows of a table, without its header (the line followed by a line of dashes). */
function dataRows(out: string): string[] {
  const lines = splitLines(out).filter((l) => !isBlank(l));
  return lines.length >= 2 && /^-+$/.test(lines[1]!) ? lines.slice(2) : lines;
}

export interface BlockDevice {
  type: string; // file, block, network, volume…
  device: string; // disk, cdrom, floppy, lun
  target: string; // vda, sda…
  /**
   * Source path or volume; '-' (no media) becomes ''. May contain blanks. A TAB or LF in the
   * domain XML arrives here as a blank, and a non-ASCII control character as U+FFFD (libvirt's
   * escaping loses it): the exact source is in the domain XML.
   */
  source: string;
}

/** `domblklist --details DOMAIN` (vshTable): the source is the rest of the line after three columns. */
export function parseDomblklist(out: string): BlockDevice[] {
  return dataRows(out).map((line) => {
    const m = /^\s*(\S+)\s+(\S+)\s+(\S+)\s+(.*)$/.exec(line);
    if (!m) throw new Error(`unexpected domblklist line: ${JSON.stringify(line)}`);
    const source = m[4]!.replace(/\s+$/, '');
    return { type: decodeVshCell(m[1]!), device: decodeVshCell(m[2]!), target: decodeVshCell(m[3]!), source: source === '-' ? '' : decodeVshCell(source) };
  });
}

export interface InterfaceAddress {
  name: string;
  mac: string;
  protocol: string; // ipv4 | ipv6
  /** Address without its /prefix. */
  address: string;
  prefix: number | null;
}

/**
 * `domifaddr DOMAIN` (printed with printf, not vshTable, so nothing is escaped): continuation
 * lines repeat '-' for the interface name and MAC.
 */
export function parseDomifaddr(out: string): InterfaceAddress[] {
  const result: InterfaceAddress[] = [];
  let last = { name: '', mac: '' };
  for (const line of dataRows(out)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 4) continue;
    const [name, mac, protocol, addr] = cols as [string, string, string, string];
    if (name !== '-') last = { name, mac };
    const [address, prefix] = addr.split('/');
    result.push({ name: last.name, mac: mac === '-' ? last.mac : mac, protocol, address: address!, prefix: prefix ? Number(prefix) : null });
  }
  return result;
}

export interface VolListRow {
  /** The name as listed; trailing blanks are indistinguishable from padding (vol-dumpxml has the exact one). */
  name: string;
  path: string;
}

/**
 * `vol-list --pool POOL`: two columns, Name and Path, and both may contain blanks. The Path
 * column starts at the same terminal column in every row (1 + widest name + 3), so that column
 * is the one where every row has three blanks followed by a non-blank; among several, paths
 * that start with "/" win (every file, block and network-mount pool), then the leftmost.
 */
export function parseVolList(out: string): VolListRow[] {
  const rows = dataRows(out);
  const candidates = rows.map((row) => {
    const byCol = new Map<number, number>();
    for (let k = 4; k < row.length; k++) {
      if (row[k] !== ' ' && row.startsWith('   ', k - 3)) byCol.set(displayWidth(row.slice(0, k)), k);
    }
    return byCol;
  });
  const common = [...(candidates[0]?.keys() ?? [])].filter((col) => candidates.every((c) => c.has(col))).sort((a, b) => a - b);
  const slash = common.filter((col) => rows.every((row, i) => row[candidates[i]!.get(col)!] === '/'));
  const column = slash[0] ?? common[0];
  return rows.map((row, i) => {
    let k = column !== undefined ? candidates[i]!.get(column) : undefined;
    if (k === undefined) {
      // Widths this parser measures differently from the host's wcwidth: decide row by row.
      const ks = [...candidates[i]!.values()];
      k = ks.find((x) => row[x] === '/') ?? ks[0];
    }
    if (k === undefined) throw new Error(`unexpected vol-list line: ${JSON.stringify(row)}`);
    return { name: decodeVshCell(row.slice(1, k - 3).replace(/ +$/, '')), path: decodeVshCell(row.slice(k)) };
  });
}

export interface DhcpLeaseRow {
  expiry: string;
  mac: string;
  protocol: 'ipv4' | 'ipv6';
  address: string;
  prefix: number | null;
  hostname: string | null;
  clientId: string | null;
}

const LEASE = /^\s*(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\s+(\S+)\s+(ipv4|ipv6)\s+(\S+)\s+(.*\S)\s+(\S+)\s*$/;

/** `net-dhcp-leases NETWORK`: Expiry Time, MAC, Protocol, IP address/prefix, Hostname, Client ID or DUID ('-' = none). */
export function parseDhcpLeases(out: string): DhcpLeaseRow[] {
  const result: DhcpLeaseRow[] = [];
  for (const row of dataRows(out)) {
    const m = LEASE.exec(row);
    if (!m) throw new Error(`unexpected net-dhcp-leases line: ${JSON.stringify(row)}`);
    const [address, prefix] = m[4]!.split('/');
    const host = decodeVshCell(m[5]!);
    result.push({
      expiry: m[1]!,
      mac: m[2]!,
      protocol: m[3] as 'ipv4' | 'ipv6',
      address: address!,
      prefix: prefix !== undefined && /^\d+$/.test(prefix) ? Number(prefix) : null,
      hostname: host === '-' ? null : host,
      clientId: m[6] === '-' ? null : m[6]!,
    });
  }
  return result;
}

export interface DomIfRow {
  /** Host-side device (vnet0), null when the VM is off ('-'). */
  device: string | null;
  /** network, bridge, user, direct… */
  type: string;
  /** Network name for 'network', bridge name for 'bridge'; null for '-'. May contain blanks. */
  source: string | null;
  model: string | null;
  mac: string;
}

/** `domiflist DOMAIN`: Interface, Type, Source, Model, MAC; only Source can contain blanks. */
export function parseDomiflist(out: string): DomIfRow[] {
  return dataRows(out).map((row) => {
    const m = /^\s*(\S+)\s+(\S+)\s+(.*\S)\s+(\S+)\s+(\S+)\s*$/.exec(row);
    if (!m) throw new Error(`unexpected domiflist line: ${JSON.stringify(row)}`);
    const source = decodeVshCell(m[3]!);
    return { device: m[1] === '-' ? null : m[1]!, type: m[2]!, source: source === '-' ? null : source, model: m[4] === '-' ? null : m[4]!, mac: m[5]! };
  });
}

export interface IfaceRow {
  name: string;
  active: boolean;
  mac: string | null;
}

/** `iface-list --all`: Name, State (active/inactive), MAC Address. Kernel interface names have no blanks. */
export function parseIfaceList(out: string): IfaceRow[] {
  return dataRows(out).map((row) => {
    const [name, state, mac] = row.trim().split(/\s+/);
    if (!name || !state) throw new Error(`unexpected iface-list line: ${JSON.stringify(row)}`);
    return { name: decodeVshCell(name), active: state === 'active', mac: mac && mac !== '-' ? mac : null };
  });
}
