import { z } from 'zod';
import { HostId } from '../model/host';
import { DomainUuid } from '../model/domain';
import { Backup, BackupId, BackupOptions, BackupProgress, HostBackups } from '../model/backup';
import { type EventTable, type RequestTable } from './common';

const onVm = { hostId: HostId, uuid: DomainUuid };
const PoolName = z.string().min(1).max(256);
/** A backup: the VM it belongs to, the pool holding it and its id. */
const onBackup = { ...onVm, pool: PoolName, id: BackupId };
const VmName = z.string().min(1).max(200).regex(/^[^/\x00-\x1f]+$/, 'no "/" or control characters');

export const CreateBackupArgs = z.object({ ...onVm, pool: PoolName, incremental: z.boolean().default(false) }).strict();
export const RestoreAsNewArgs = z.object({ ...onBackup, name: VmName, targetPool: PoolName }).strict();
export const RestoreOverArgs = z.object({ ...onBackup, targetPool: PoolName, confirm: z.literal(true) }).strict();

export const backupRequests = {
  /**
   * Every backup on the host in every active pool, newest first, also of VMs deleted since: these
   * are restored as new VMs or deleted with the per-VM requests below (`uuid`: the backup's VM).
   */
  'backups.listHost': { args: z.object({ hostId: HostId }).strict(), result: HostBackups },
  /** Every backup of the VM in every active pool, newest first. */
  'backups.list': { args: z.object(onVm).strict(), result: z.array(Backup) },
  /** What a backup of this VM can be now: method, pools, disks, incremental or not and why. */
  'backups.options': { args: z.object(onVm).strict(), result: BackupOptions },
  /** Runs the whole backup; resolves when it is complete (progress: backups.progress; cancel: backups.cancel). */
  'backups.create': { args: CreateBackupArgs, result: Backup },
  /**
   * A backup whose libvirt job outlived the app that started it: follows the job (progress and
   * cancel as for create) and marks the backup complete only if QEMU completed it.
   */
  'backups.finish': { args: z.object(onBackup).strict(), result: Backup },
  'backups.progress': { args: z.object(onVm).strict(), result: BackupProgress.nullable() },
  /** Aborts the running backup (domjobabort); its partial volumes are removed. */
  'backups.cancel': { args: z.object(onVm).strict(), result: z.object({ cancelled: z.boolean() }) },
  /** A new VM (new name and UUID, fresh MACs) with copies of the backup's disks in `targetPool`. */
  'backups.restoreAsNew': { args: RestoreAsNewArgs, result: z.object({ uuid: z.string(), name: z.string() }) },
  /** The shut-off VM gets the backup's definition and copies of its disks; the disks it had are kept (listed). */
  'backups.restoreOver': { args: RestoreOverArgs, result: z.object({ kept: z.array(z.string()) }) },
  /**
   * The backup's volumes and manifest (refused while an incremental backup depends on it). Also an
   * interrupted one (only the files it made); one whose libvirt job outlived its app is aborted first.
   */
  'backups.delete': { args: z.object(onBackup).strict(), result: z.object({ removed: z.array(z.string()) }) },
} as const satisfies RequestTable;

export const backupEvents = {} as const satisfies EventTable;
