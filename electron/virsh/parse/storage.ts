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
  state: PoolState;
  persistent: boolean;
  autostart: boolean;
  /** Absent for inactive pools (virsh prints no size lines then). */
  capacity: number | null;
  allocation: number | null;
  available: number | null;
}

const bytes = (v: string | undefined): number | null => {
  const m = v === undefined ? null : /^\s*(\d+)(?: bytes)?\s*$/.exec(v);
  return m ? Number(m[1]) : null;
};

/** `pool-info --bytes POOL`. The state word is cut from virsh's own text ("running", "inactive"…). */
export function parsePoolInfo(out: string): PoolInfo {
  const t = parseKeyValueTable(out);
  if (t['Name'] === undefined || t['UUID'] === undefined) throw new Error("unexpected 'pool-info' output: no Name/UUID line");
  return {
    name: t['Name'],
    uuid: t['UUID'].trim().toLowerCase(),
    state: POOL_STATES[(t['State'] ?? '').trim()] ?? 'inaccessible',
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
  capacity: number;
  allocation: number;
  physical: number | null;
  backing: { path: string; format: string | null } | null;
}

/** A size element in any unit libvirt prints (it prints unit='bytes'; others are accepted anyway). */
function size(el: Element | undefined): number | null {
  if (!el) return null;
  const n = Number(text(el)!.trim());
  if (!Number.isFinite(n)) return null;
  const unit = (attr(el, 'unit') ?? 'bytes').toLowerCase();
  const scale: Record<string, number> = { b: 1, bytes: 1, k: 1024, kib: 1024, m: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gib: 1024 ** 3, t: 1024 ** 4, tib: 1024 ** 4, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12 };
  return Math.round(n * (scale[unit] ?? 1));
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
    capacity: size(child(vol, 'capacity')) ?? 0,
    allocation: size(child(vol, 'allocation')) ?? 0,
    physical: size(child(vol, 'physical')),
    backing: backingPath ? { path: backingPath, format: attr(child(backing, 'format'), 'type') ?? null } : null,
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
