import { z } from 'zod';
import { lenientList, Problems } from './lenient';

export const DomainUuid = z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/);
export type DomainUuid = z.infer<typeof DomainUuid>;

/** libvirt's virDomainState, by name (https://libvirt.org/html/libvirt-libvirt-domain.html#virDomainState). */
export const DomainState = z.enum([
  'nostate',
  'running',
  'blocked',
  'paused',
  'shutdown',
  'shutoff',
  'crashed',
  'pmsuspended',
]);
export type DomainState = z.infer<typeof DomainState>;

export const Domain = z.object({
  uuid: DomainUuid,
  name: z.string(),
  state: DomainState,
  /** libvirt's numeric state reason (meaning depends on the state). */
  reason: z.number().int(),
  persistent: z.boolean(),
  autostart: z.boolean(),
  /** A managed-save image exists: Start restores it. */
  managedSave: z.boolean(),
  /** Current vCPUs and memory (from dominfo; unknown until first fetched). */
  vcpus: z.number().int().nullable(),
  memoryKiB: z.number().nullable(),
  maxMemoryKiB: z.number().nullable(),
  problems: Problems,
});
export type Domain = z.infer<typeof Domain>;
export const DomainList = lenientList(Domain, { state: 'nostate', reason: 0, persistent: false, autostart: false, managedSave: false, vcpus: null, memoryKiB: null, maxMemoryKiB: null });

export const DomainAction = z.enum([
  'start', // also restores a managed-save image
  'shutdown', // ACPI / guest agent: the guest may ignore it
  'reboot',
  'reset',
  'destroy', // force off
  'suspend',
  'resume',
  'managedsave', // save state and stop; Start restores
  'managedsave-remove', // discard the saved state
  'autostart',
  'noautostart',
]);
export type DomainAction = z.infer<typeof DomainAction>;

export const ActionResult = z.object({
  uuid: DomainUuid,
  ok: z.boolean(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
export type ActionResult = z.infer<typeof ActionResult>;

/** A guest did not act on an ACPI request within the timeout: the UI offers force off. */
export const DomainNotice = z.object({
  hostId: z.string(),
  uuid: DomainUuid,
  name: z.string(),
  kind: z.enum(['shutdown-ignored', 'reboot-ignored']),
});
export type DomainNotice = z.infer<typeof DomainNotice>;

/** Why a file must stay: other VMs' disks and other volumes have it as their backing file (base). */
export const BaseOf = z.object({
  vms: z.array(z.object({ uuid: z.string(), name: z.string(), target: z.string() })),
  overlays: z.array(z.string()),
});
export type BaseOf = z.infer<typeof BaseOf>;

/** What deleting a VM could also remove, for the delete dialog. A file with `baseOf` is kept: the delete refuses it. */
export const DeletePlan = z.object({
  uuid: DomainUuid,
  name: z.string(),
  state: DomainState,
  disks: z.array(z.object({ target: z.string(), device: z.string(), type: z.string(), source: z.string(), baseOf: BaseOf.optional() })),
  /** Files of the VM's external snapshots (memory files, overlays) that undefine leaves behind: offered for deletion too. */
  snapshotFiles: z.array(z.object({ snapshot: z.string(), role: z.enum(['memory', 'overlay']), path: z.string(), baseOf: BaseOf.optional() })).default([]),
});
export type DeletePlan = z.infer<typeof DeletePlan>;

export const DeleteResult = z.object({
  undefined: z.boolean(),
  /** Volumes that could not be deleted, with virsh's message; the VM itself is gone. */
  volumeErrors: z.array(z.object({ source: z.string(), message: z.string() })),
});
export type DeleteResult = z.infer<typeof DeleteResult>;
