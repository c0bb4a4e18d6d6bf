import { z } from 'zod';
import { BaseOf } from '../model/domain';
import { HostId } from '../model/host';
import { Bytes, ObjectName, ObjectUuid, PoolList, PoolSpec, Transfer, VolumeDetails, VolumeList, VolumeSpec } from '../model/storage';
import { HostPath, none, onHost, type EventTable, type RequestTable } from './common';
import { LocalFileHandle } from './app';

/** A volume is named within its pool; the pool is always addressed by UUID. */
const onVolume = { hostId: HostId, poolUuid: ObjectUuid, name: ObjectName };

export const PoolAction = z.enum(['start', 'stop', 'refresh', 'build', 'autostart', 'noautostart', 'undefine', 'delete']);
export type PoolAction = z.infer<typeof PoolAction>;

/**
 * pool-build's data handling (https://libvirt.org/manpages/virsh.html#pool-build): 'none' only
 * creates the target (mkdir / checks the VG); 'if-empty' formats unless data is found
 * (--no-overwrite); 'overwrite' formats whatever is there (--overwrite).
 */
export const BuildFormat = z.enum(['none', 'if-empty', 'overwrite']);
export type BuildFormat = z.infer<typeof BuildFormat>;

export const storageRequests = {
  'storage.pools.list': { args: onHost, result: PoolList },
  /**
   * Defines a pool from the per-type form (pool-define of the generated XML, --validate), then
   * optionally builds, starts and marks it autostart. `uuid` lets a preview and the real run
   * show the very same commands; the backend picks one when absent.
   */
  'storage.pools.define': {
    args: z
      .object({
        hostId: HostId,
        uuid: ObjectUuid.optional(),
        spec: PoolSpec,
        build: z.boolean().default(false),
        buildFormat: BuildFormat.default('none'),
        start: z.boolean().default(true),
        autostart: z.boolean().default(false),
      })
      .strict(),
    result: z.object({ uuid: ObjectUuid }),
  },
  'storage.pools.action': {
    args: z.object({ hostId: HostId, uuid: ObjectUuid, action: PoolAction, buildFormat: BuildFormat.default('none') }).strict(),
    result: z.null(),
  },
  /** The persistent (inactive) XML, as the editor edits it. */
  'storage.pools.xml': { args: z.object({ hostId: HostId, uuid: ObjectUuid }).strict(), result: z.object({ xml: z.string() }) },
  /** Redefines the pool from edited XML (validated; the replaced version goes to the history). */
  'storage.pools.defineXml': {
    args: z.object({ hostId: HostId, uuid: ObjectUuid, xml: z.string().min(1).max(1_000_000) }).strict(),
    result: z.null(),
  },
  'storage.volumes.list': { args: z.object({ hostId: HostId, poolUuid: ObjectUuid }).strict(), result: VolumeList },
  'storage.volumes.create': { args: z.object({ hostId: HostId, poolUuid: ObjectUuid, spec: VolumeSpec }).strict(), result: z.null() },
  'storage.volumes.clone': {
    args: z.object({ ...onVolume, newName: ObjectName, preallocMetadata: z.boolean().default(false) }).strict(),
    result: z.null(),
  },
  /** Grows; a smaller capacity is refused unless `confirmShrink` (data past the end is lost). */
  'storage.volumes.resize': {
    args: z.object({ ...onVolume, capacity: Bytes.min(1), confirmShrink: z.boolean().default(false) }).strict(),
    result: z.null(),
  },
  'storage.volumes.wipe': {
    // https://libvirt.org/manpages/virsh.html#vol-wipe
    args: z.object({ ...onVolume, algorithm: z.enum(['zero', 'nnsa', 'dod', 'bsi', 'gutmann', 'schneier', 'pfitzner7', 'pfitzner33', 'random', 'trim']).default('zero') }).strict(),
    result: z.null(),
  },
  /** Refused while a VM's disk points at the volume, unless `confirmInUse`. */
  'storage.volumes.delete': { args: z.object({ ...onVolume, confirmInUse: z.boolean().default(false) }).strict(), result: z.null() },
  /** Which VMs' disks and which volumes have this volume as their base (null: none): the delete dialog says so before Delete is pressed. */
  'storage.volumes.baseOf': { args: z.object(onVolume).strict(), result: BaseOf.nullable() },
  /** `qemu-img info` of the volume's image chain, when qemu-img exists on the host. */
  'storage.volumes.details': { args: z.object(onVolume).strict(), result: VolumeDetails },
  /**
   * Desktop: starts streaming a file of this computer — `file` from app.chooseFile 'open', never
   * a path — into a NEW volume of the pool (vol-create-as, then vol-upload from stdin). Progress
   * and the outcome arrive as `storage.transfer` events; on failure or cancel the new volume is
   * deleted. Browser mode refuses it ('unsupported'): there use uploadFromBrowser.
   */
  'storage.volumes.upload': {
    args: z.object({ ...onVolume, file: LocalFileHandle, transferId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional() }).strict(),
    result: Transfer,
  },
  /**
   * Desktop: streams a volume to `<path>.part`, renamed to the path once complete; `file` is from
   * app.chooseFile 'save', never a path. Browser mode refuses it: there use downloadToBrowser.
   */
  'storage.volumes.download': {
    args: z
      .object({ ...onVolume, file: LocalFileHandle, overwrite: z.boolean().default(false), transferId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional() })
      .strict(),
    result: Transfer,
  },
  /**
   * Browser mode, where the file is in the browser: starts an upload of `size` bytes fed over a
   * WebSocket at `/api/upload?ticket=TICKET` (binary frames of the file, then the text frame
   * `{"end":true}`; the server closes the socket when the transfer ended). The ticket is single
   * use and expires after 60 s (the transfer is then cancelled). Progress as `storage.transfer`.
   */
  'storage.volumes.uploadFromBrowser': {
    args: z.object({ ...onVolume, size: Bytes, fileName: z.string().min(1).max(1024), transferId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional() }).strict(),
    result: z.object({ transfer: Transfer, ticket: z.string() }),
  },
  /**
   * Browser mode: a one-time ticket; the browser then downloads the volume as an ordinary download
   * from `/api/download?ticket=TICKET` (a failed or cancelled transfer breaks the response, so
   * the browser marks the download failed). The transfer starts when the download does.
   */
  'storage.volumes.downloadToBrowser': {
    args: z.object({ ...onVolume, transferId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional() }).strict(),
    result: z.object({ ticket: z.string() }),
  },
  'storage.transfers.list': { args: none, result: z.array(Transfer) },
  'storage.transfers.cancel': { args: z.object({ transferId: z.string().max(64) }).strict(), result: z.null() },
} as const satisfies RequestTable;

export const storageEvents = {
  /** Invalidation only: pools or volumes of the host changed; the UI refetches. */
  'storage.changed': z.object({ hostId: HostId }),
  /** A transfer's progress (at most a few per second) or its outcome. */
  'storage.transfer': Transfer,
} as const satisfies EventTable;
