/**
 * Storage pools and volumes as virsh 9.0 prints them: `pool-info --bytes`, `pool-dumpxml`,
 * `vol-dumpxml`, and `qemu-img info --output=json --backing-chain`.
 * Formats: https://libvirt.org/formatstorage.html, https://libvirt.org/manpages/virsh.html#pool-info
 */
import type { ImageInfo, PoolState } from '../../../shared/model/storage';
import { parseKeyValueTable } from './keyValue';
import { attr, child, elementChildren as children, parseXml, path, text, textAt, type Element } from '../../xml/dom';

const POOL_STATES: Record<string, PoolState> = {
  inactive: 'inactive',
  building: 'building',
  running: 'running',
  degraded: 'degraded',
  inaccessible: 'inaccessible',
};

export interface PoolInfo {
  name: string;
  uuid: string;
  /** null: a state word Virtdeck does not know (see stateText). */
  state: PoolState | null;
  /** The state as virsh printed it. */
  stateText: string;
  persistent: boolean;
  autostart: boolean;
  /** Decimal byte counts (up to 2^64−1); absent for inactive pools (virsh prints no size lines then). */
  capacity: string | null;
  allocation: string | null;
  available: string | null;
}

/** "18446744073709551615" or "1024 bytes" → the decimal digits (no leading zeros); null otherwise. */
const bytes = (v: string | undefined): string | null => {
  const m = v === undefined ? null : /^\s*(\d{1,20})(?: bytes)?\s*$/.exec(v);
  return m ? BigInt(m[1]!).toString() : null;
};

/** `pool-info --bytes POOL`. The state word is cut from virsh's own text ("running", "inactive"…). */
export function parsePoolInfo(out: string): PoolInfo {
  const t = parseKeyValueTable(out);
  if (t['Name'] === undefined || t['UUID'] === undefined) throw new Error("unexpected 'pool-info' output: no Name/UUID line");
  return {
    name: t['Name'],
    uuid: t['UUID'].trim().toLowerCase(),
    state: POOL_STATES[(t['State'] ?? '').trim()] ?? null,
    stateText: (t['State'] ?? '').trim(),
    persistent: (t['Persistent'] ?? '').trim() === 'yes',
    autostart: (t['Autostart'] ?? '').trim() === 'yes',
    capacity: bytes(t['Capacity']),
    allocation: bytes(t['Allocation']),
    available: bytes(t['Available']),
  };
}

export interface PoolXml {
  type: string;
  name: string;
  uuid: string | null;
  targetPath: string | null;
  /** Human one-liner of <source>: host:dir, device(s), VG/ceph pool name, adapter. */
  source: string | null;
}

function sourceSummary(src: Element | undefined): string | null {
  if (!src) return null;
  const hosts = children(src, 'host').map((h) => (attr(h, 'port') ? `${attr(h, 'name')}:${attr(h, 'port')}` : (attr(h, 'name') ?? '')));
  const rest = [textAt(src, 'name'), attr(child(src, 'dir'), 'path'), ...children(src, 'device').map((d) => attr(d, 'path')), attr(child(src, 'adapter'), 'name')]
    .filter((x): x is string => typeof x === 'string' && x !== '')
    .join(' ');
  const summary = hosts.length > 0 ? `${hosts.join(',')}:${rest}` : rest;
  return summary === '' ? null : summary;
}

export function parsePoolXml(xml: string): PoolXml {
  const pool = parseXml(xml).documentElement!;
  if (pool.tagName !== 'pool') throw new Error(`expected <pool>, got <${pool.tagName}>`);
  return {
    type: attr(pool, 'type') ?? '',
    name: textAt(pool, 'name') ?? '',
    uuid: textAt(pool, 'uuid')?.trim().toLowerCase() ?? null,
    targetPath: textAt(pool, 'target/path'),
    source: sourceSummary(child(pool, 'source')),
  };
}

export interface VolumeXml {
  name: string;
  key: string;
  path: string;
  type: string;
  format: string | null;
  /** Decimal byte counts (libvirt's are unsigned 64-bit); null when absent or unreadable. */
  capacity: string | null;
  allocation: string | null;
  physical: string | null;
  backing: { path: string; format: string | null } | null;
  /**
   * qcow2's <target><compat> ("1.1" = v3). libvirt 9.0 prints it for a probed qcow2 v3 file and
   * leaves it out for v2 ("0.10"), and for a volume it created itself (vol-create-as).
   */
  compat: string | null;
}

const SCALE: Record<string, bigint> = {
  b: 1n, bytes: 1n, k: 1024n, kib: 1024n, m: 1024n ** 2n, mib: 1024n ** 2n, g: 1024n ** 3n, gib: 1024n ** 3n,
  t: 1024n ** 4n, tib: 1024n ** 4n, p: 1024n ** 5n, pib: 1024n ** 5n, e: 1024n ** 6n, eib: 1024n ** 6n,
  kb: 1000n, mb: 1000n ** 2n, gb: 1000n ** 3n, tb: 1000n ** 4n, pb: 1000n ** 5n, eb: 1000n ** 6n,
};

/**
 * A size element as a decimal byte count, exact up to 2^64−1 (libvirt prints unit='bytes';
 * other units are accepted anyway). null when absent, not a whole number or of an unknown unit.
 */
function size(el: Element | undefined): string | null {
  if (!el) return null;
  const digits = /^\s*(\d{1,20})\s*$/.exec(text(el)!)?.[1];
  const scale = SCALE[(attr(el, 'unit') ?? 'bytes').toLowerCase()];
  if (digits === undefined || scale === undefined) return null;
  return (BigInt(digits) * scale).toString();
}

export function parseVolumeXml(xml: string): VolumeXml {
  const vol = parseXml(xml).documentElement!;
  if (vol.tagName !== 'volume') throw new Error(`expected <volume>, got <${vol.tagName}>`);
  const backing = child(vol, 'backingStore');
  const backingPath = textAt(backing, 'path');
  return {
    name: textAt(vol, 'name') ?? '',
    key: textAt(vol, 'key') ?? '',
    path: textAt(vol, 'target/path') ?? '',
    type: attr(vol, 'type') ?? 'file',
    format: attr(path(vol, 'target/format'), 'type') ?? null,
    capacity: size(child(vol, 'capacity')),
    allocation: size(child(vol, 'allocation')),
    physical: size(child(vol, 'physical')),
    backing: backingPath ? { path: backingPath, format: attr(child(backing, 'format'), 'type') ?? null } : null,
    compat: textAt(vol, 'target/compat')?.trim() || null,
  };
}

/**
 * `qemu-img info --output=json --backing-chain IMAGE`: an array, the image first, then each
 * backing file (without --backing-chain: one object). https://www.qemu.org/docs/master/tools/qemu-img.html
 */
export function parseQemuImgInfo(json: string): ImageInfo[] {
  const data: unknown = JSON.parse(json);
  const list = Array.isArray(data) ? data : [data];
  return list.map((raw): ImageInfo => {
    const o = raw as Record<string, unknown>;
    const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
    const str = (v: unknown) => (typeof v === 'string' ? v : null);
    const snaps = Array.isArray(o['snapshots']) ? (o['snapshots'] as Array<Record<string, unknown>>) : [];
    return {
      filename: str(o['filename']) ?? '',
      format: str(o['format']) ?? '',
      virtualSize: num(o['virtual-size']) ?? 0,
      actualSize: num(o['actual-size']),
      backingFilename: str(o['full-backing-filename']) ?? str(o['backing-filename']),
      dirty: typeof o['dirty-flag'] === 'boolean' ? o['dirty-flag'] : null,
      snapshots: snaps.map((s) => ({
        id: String(s['id'] ?? ''),
        name: String(s['name'] ?? ''),
        vmStateSize: num(s['vm-state-size']),
        date: typeof s['date-sec'] === 'number' ? new Date(s['date-sec'] * 1000).toISOString() : null,
      })),
    };
  });
}
