/**
 * Names and XML documents of a backup, as pure functions: the backup job's XML, the checkpoint's,
 * and the target volumes' (pre-created in the pool so that every file is a pool volume a non-root
 * SSH user manages with vol-* commands, then filled by `backup-begin --reuse-external`).
 * https://libvirt.org/formatbackup.html https://libvirt.org/formatcheckpoint.html
 * https://libvirt.org/kbase/incremental-backup.html
 */
import { posix } from 'node:path';
import type { BackupManifest } from '../../../shared/model/backup';
import { h, parseXml, serializeXml } from '../../xml/dom';
import { fileSafe, freshName } from '../file-names';
import type { Step } from '../plan';
import { newVolumeXml } from '../volume-xml';


/** The manifest volume: found by the VM's UUID without reading any other volume. */
export const manifestPrefix = (uuid: string) => `vdbackup.${uuid.toLowerCase()}.`;
export const manifestVolume = (uuid: string, id: string) => `${manifestPrefix(uuid)}${id}.json`;
export const diskVolume = (vmName: string, id: string, target: string) => `${fileSafe(vmName)}.backup-${id}.${fileSafe(target)}.qcow2`;
/** Checkpoints Virtdeck makes carry the backup id, so a backup finds its own. */
export const checkpointName = (id: string) => `vd-backup-${id}`;

/** A fresh id from the clock (UTC), with a suffix when that second is taken already. */
export function backupId(now: Date, taken: ReadonlySet<string>): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const base = `${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}-${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}`;
  return freshName(base, taken);
}

export interface TargetDisk {
  target: string;
  capacity: number;
  /** The volume's name in the backup pool and its path (pool directory + name). */
  volume: string;
  path: string;
  /** For an incremental backup: the parent backup's volume of the same disk. */
  backingPath?: string;
}

/**
 * A qcow2 v3 volume (compat 1.1: v2 files cannot hold the dirty bitmaps incremental backups need,
 * "Cannot store dirty bitmaps in qcow2 v2 files" on QEMU 7.2). An incremental target is backed by
 * the parent backup's volume, so the chain in the pool reads as the full disk at backup time.
 */
export function targetVolumeXml(d: Pick<TargetDisk, 'volume' | 'capacity' | 'backingPath'>): string {
  return newVolumeXml({ name: d.volume, capacity: d.capacity, format: 'qcow2', compat: '1.1', ...(d.backingPath !== undefined ? { backing: { path: d.backingPath, format: 'qcow2' } } : {}) });
}

/** Push mode into the pre-created volumes; disks not listed (not files, read-only) are left out explicitly. */
export function backupXml(disks: readonly TargetDisk[], skipped: readonly string[], incremental: string | null): string {
  const doc = parseXml("<domainbackup mode='push'/>");
  const root = doc.documentElement!;
  if (incremental !== null) root.appendChild(h(doc, 'incremental', {}, [incremental]));
  const list = h(doc, 'disks');
  for (const d of disks) list.appendChild(h(doc, 'disk', { name: d.target, backup: 'yes', type: 'file' }, [h(doc, 'target', { file: d.path }), h(doc, 'driver', { type: 'qcow2' })]));
  for (const t of skipped) list.appendChild(h(doc, 'disk', { name: t, backup: 'no' }));
  root.appendChild(list);
  return serializeXml(doc);
}

export function checkpointXml(name: string, disks: readonly string[], skipped: readonly string[]): string {
  const doc = parseXml('<domaincheckpoint/>');
  const root = doc.documentElement!;
  root.appendChild(h(doc, 'name', {}, [name]));
  root.appendChild(h(doc, 'description', {}, ['Virtdeck backup: the next incremental backup starts here']));
  const list = h(doc, 'disks');
  for (const t of disks) list.appendChild(h(doc, 'disk', { name: t, checkpoint: 'bitmap' }));
  for (const t of skipped) list.appendChild(h(doc, 'disk', { name: t, checkpoint: 'no' }));
  root.appendChild(list);
  return serializeXml(doc);
}

export interface RunningPlan {
  /** vol-create of each target volume (undone by vol-delete). */
  volumes: Step[];
  /** checkpoint-create, made just before the backup: the next incremental covers a superset of what changed after it. */
  checkpoint: Step | null;
  begin: Step;
}

export function runningPlan(uuid: string, pool: string, disks: readonly TargetDisk[], skipped: readonly string[], incremental: string | null, checkpoint: string | null): RunningPlan {
  return {
    volumes: disks.map((d) => ({ argv: ['vol-create', '--pool', pool, '--file', '/dev/stdin'], stdin: targetVolumeXml(d) })),
    checkpoint: checkpoint === null ? null : { argv: ['checkpoint-create', '--domain', uuid, '--xmlfile', '/dev/stdin'], stdin: checkpointXml(checkpoint, disks.map((d) => d.target), skipped) },
    begin: { argv: ['backup-begin', '--domain', uuid, '--backupxml', '/dev/stdin', '--reuse-external'], stdin: backupXml(disks, skipped, incremental) },
  };
}

/** A shut-off VM: each disk copied by libvirt (qemu-img convert) into a new qcow2 volume. */
export function copySteps(pool: string, disks: readonly (TargetDisk & { source: string })[]): Step[] {
  return disks.map((d) => ({ argv: ['vol-create-from', '--pool', pool, '--file', '/dev/stdin', '--vol', d.source], stdin: targetVolumeXml({ volume: d.volume, capacity: d.capacity }), long: true }));
}

/**
 * The manifest as stored: JSON padded with spaces to `size` bytes. The volume is made once, as long
 * as the longest state's JSON, and rewritten whole by vol-upload when the state changes (a raw
 * volume keeps its size; JSON ignores trailing spaces).
 */
export function encodeManifest(m: BackupManifest, size?: number): string {
  const body = JSON.stringify(m);
  return size === undefined ? body : body.padEnd(size - (Buffer.byteLength(body) - body.length), ' ');
}

/** Bytes a manifest volume needs for every state of `m`. */
export const manifestSize = (m: BackupManifest) => Math.max(...(['running', 'complete'] as const).map((state) => Buffer.byteLength(JSON.stringify({ ...m, state }))));

export const poolPath = (dir: string, name: string) => posix.join(dir, name);
