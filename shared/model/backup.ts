import { z } from 'zod';

/** A backup's id: a UTC timestamp (20261206-031500), unique per VM and pool. */
export const BackupId = z.string().regex(/^[0-9]{8}-[0-9]{6}(-[0-9]+)?$/, 'a backup id looks like 20261206-031500');

/** One disk of a backup: a qcow2 volume in the backup's pool. */
export const BackupDisk = z.object({
  /** The disk's target in the VM (vda). */
  target: z.string(),
  /** The VM's disk file when the backup was taken. */
  source: z.string(),
  /** The backup volume (name in the backup's pool) and its path. */
  volume: z.string(),
  path: z.string(),
  capacity: z.number(),
});
export type BackupDisk = z.infer<typeof BackupDisk>;

/**
 * What Virtdeck stores with each backup, as a small volume (`vdbackup.<vm uuid>.<id>.json`) in
 * the backup's pool next to the disk volumes: everything is reachable with vol-* commands.
 */
export const BackupManifest = z.object({
  format: z.literal('virtdeck-backup/1'),
  id: BackupId,
  vm: z.object({ name: z.string(), uuid: z.string() }),
  createdAt: z.number(),
  /** full: every disk copied; incremental: only what changed since `parent` (its disks are backed by the parent's). */
  kind: z.enum(['full', 'incremental']),
  /** backup-begin (running VM, push mode) or vol-create-from (shut-off VM). */
  method: z.enum(['backup-begin', 'vol-copy']),
  /** The libvirt checkpoint made with it (next incremental starts there); null without one. */
  checkpoint: z.string().nullable(),
  parent: BackupId.nullable(),
  disks: z.array(BackupDisk),
  /** The VM's inactive definition at backup time. */
  domainXml: z.string(),
  /**
   * Written 'running' before the first file is made and 'complete' once every file is whole, so a
   * backup cut off by a quit app or a dropped connection is still listed (with its files) and can
   * be deleted. Manifests from before this field were only ever written complete.
   */
  state: z.enum(['running', 'complete']).default('complete'),
});
export type BackupManifest = z.infer<typeof BackupManifest>;

export const Backup = BackupManifest.extend({
  pool: z.string(),
  /** The manifest volume's name. */
  manifestVolume: z.string(),
  /** Sum of the disk volumes' allocation (bytes), null when unreadable. */
  allocation: z.number().nullable(),
  /** Incremental backups that need this one (it cannot be deleted before them). */
  children: z.array(BackupId),
  /**
   * complete: usable. running: this app runs it, or libvirt's backup job still writes into its
   * files (its app quit). interrupted: nobody finishes it and its files may be partial: delete only.
   */
  status: z.enum(['complete', 'running', 'interrupted']),
});
export type Backup = z.infer<typeof Backup>;

/** A backup in the host-wide list: also the backups of VMs that were deleted. */
export const HostBackup = Backup.extend({
  /** Whether a VM with the backup's UUID is defined on the host now. */
  vmDefined: z.boolean(),
});
export type HostBackup = z.infer<typeof HostBackup>;

/** Active directory-like pools a backup can go to (or be restored into). */
export const BackupPool = z.object({ name: z.string(), path: z.string(), available: z.number().nullable() });

export const BackupOptions = z.object({
  running: z.boolean(),
  method: z.enum(['backup-begin', 'vol-copy']),
  /** Active directory-like pools a backup can go to. */
  pools: z.array(BackupPool),
  /** The disks that would be backed up (file disks), and the ones that are not (and why). */
  disks: z.array(z.object({ target: z.string(), source: z.string(), format: z.string(), capacity: z.number().nullable() })),
  skipped: z.array(z.object({ target: z.string(), reason: z.string() })),
  /** Whether the next backup can be incremental, from which backup, and why not. */
  incremental: z.object({ ok: z.boolean(), parent: BackupId.nullable(), reason: z.string().nullable() }),
  /** Whether this backup makes a checkpoint (so the next one can be incremental), and why not. */
  checkpoint: z.object({ ok: z.boolean(), reason: z.string().nullable() }),
});
export type BackupOptions = z.infer<typeof BackupOptions>;

export const BackupProgress = z.object({
  id: BackupId,
  /** preparing: volumes and checkpoint being made; copying: QEMU's job (or the volume copies) runs. */
  phase: z.enum(['preparing', 'copying', 'finishing', 'cancelling']),
  processed: z.number(),
  total: z.number(),
});
export type BackupProgress = z.infer<typeof BackupProgress>;
/** The host's Backups tab: every backup, and the pools a restore can copy into. */
export const HostBackups = z.object({ backups: z.array(HostBackup), pools: z.array(BackupPool) });
export type HostBackups = z.infer<typeof HostBackups>;
