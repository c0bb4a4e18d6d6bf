import { z } from 'zod';
import { HostId } from '../model/host';
import { DomainUuid } from '../model/domain';
import { DeleteImpact, DeleteScope, Snapshot, SnapshotCapabilities, SnapshotMode, SnapshotName } from '../model/snapshot';
import { type EventTable, type RequestTable } from './common';

const onVm = { hostId: HostId, uuid: DomainUuid };
const Description = z.string().max(64 * 1024);

export const CreateSnapshotArgs = z.object({
  ...onVm,
  name: SnapshotName,
  description: Description.default(''),
  mode: SnapshotMode,
  /** All disks or none (`--atomic`). */
  atomic: z.boolean().default(true),
  /** Freeze guest file systems through the guest agent (`--quiesce`; libvirt takes it with disk-only snapshots only). */
  quiesce: z.boolean().default(false),
  /** external-memory: the pool whose directory receives the memory file. */
  memoryPool: z.string().max(256).optional(),
}).strict();

export const snapshotRequests = {
  /** Every snapshot of the VM (parent links, the current one marked), oldest first. */
  'snapshots.list': { args: z.object(onVm).strict(), result: z.array(Snapshot) },
  /** What Create may offer for this VM on this host now, and why the rest is off. */
  'snapshots.capabilities': { args: z.object(onVm).strict(), result: SnapshotCapabilities },
  'snapshots.create': { args: CreateSnapshotArgs, result: z.object({ name: z.string() }) },
  'snapshots.revert': {
    args: z.object({ ...onVm, name: SnapshotName, after: z.enum(['as-taken', 'running', 'paused']).default('as-taken'), force: z.boolean().default(false), resetNvram: z.boolean().default(false) }).strict(),
    result: z.object({ name: z.string() }),
  },
  /** Which snapshots and files a delete takes, and which files stay. */
  'snapshots.deleteImpact': { args: z.object({ ...onVm, name: SnapshotName, scope: DeleteScope }).strict(), result: DeleteImpact },
  'snapshots.delete': { args: z.object({ ...onVm, name: SnapshotName, scope: DeleteScope }).strict(), result: DeleteImpact },
  /** A new description, by redefining the snapshot's XML (`snapshot-create --redefine`). */
  'snapshots.describe': { args: z.object({ ...onVm, name: SnapshotName, description: Description }).strict(), result: z.object({ name: z.string() }) },
  /** The screenshot taken when the snapshot was created (a data: URL), or null. */
  'snapshots.thumbnail': { args: z.object({ ...onVm, name: SnapshotName }).strict(), result: z.object({ dataUrl: z.string().nullable() }) },
  /** A shut-off VM's raw disk copied to a new qcow2 volume in its pool and the VM repointed (old XML in the history); the raw volume is kept unless deleteOld. */
  'snapshots.convertDisk': {
    args: z.object({ ...onVm, target: z.string().min(1).max(64), deleteOld: z.boolean().default(false) }).strict(),
    result: z.object({ newPath: z.string(), removed: z.string().nullable() }),
  },
} as const satisfies RequestTable;

export const snapshotEvents = {} as const satisfies EventTable;
