/**
 * Cloning a VM the way virt-clone does (new name, UUID, MACs; graphics on autoport; serial logs
 * renamed; title cleared; NVRAM copied through a pool), with a choice per disk, and templates.
 */
import { z } from 'zod';
import { DomainUuid } from './domain';
import { HostId } from './host';
import { VmName } from './newvm';
import { ObjectName, ObjectUuid } from './storage';

/** copy: vol-clone / vol-create-from; linked: qcow2 overlay on the original; share: same file; skip: no disk. */
export const CloneDiskMode = z.enum(['copy', 'linked', 'share', 'skip']);
export type CloneDiskMode = z.infer<typeof CloneDiskMode>;

export const CloneDiskChoice = z
  .object({
    /** The source disk's target dev (vda, sdb…). */
    target: z.string().min(1).max(64),
    mode: CloneDiskMode,
    /** copy/linked: the pool the new volume goes in (default: the source's pool). */
    poolUuid: ObjectUuid.optional(),
    /** copy/linked: the new volume's name (default: the proposed one). */
    newName: ObjectName.optional(),
  })
  .strict();
export type CloneDiskChoice = z.infer<typeof CloneDiskChoice>;

export const CloneModeOffer = z.object({ mode: CloneDiskMode, ok: z.boolean(), reason: z.string().optional() });

export const CloneDiskInfo = z.object({
  target: z.string(),
  device: z.string(),
  source: z.string().nullable(),
  format: z.string().nullable(),
  readonly: z.boolean(),
  shareable: z.boolean(),
  /** The pool holding the source (null: the file is in no pool, so it cannot be copied by libvirt). */
  pool: z.object({ uuid: ObjectUuid, name: z.string() }).nullable(),
  capacity: z.number().nullable(),
  allocation: z.number().nullable(),
  /** The source's backing files, nearest first (a linked clone's base). */
  backing: z.array(z.string()),
  modes: z.array(CloneModeOffer),
  defaultMode: CloneDiskMode,
  /** The proposed new volume name for copy/linked (never an existing file). */
  proposedName: z.string(),
});
export type CloneDiskInfo = z.infer<typeof CloneDiskInfo>;

export const CloneOptions = z.object({
  sourceName: z.string(),
  /** The source must be shut off: the UI offers to shut it down first. */
  running: z.boolean(),
  template: z.boolean(),
  defaultName: z.string(),
  disks: z.array(CloneDiskInfo),
  /** Pools a new volume may go in (active, with a target path). */
  pools: z.array(z.object({ uuid: ObjectUuid, name: z.string(), path: z.string(), available: z.string().nullable() })),
  /** Things the user should know (emulated TPM state not copied, NVRAM outside pools…). */
  warnings: z.array(z.string()),
});
export type CloneOptions = z.infer<typeof CloneOptions>;

export const CloneArgs = z
  .object({
    hostId: HostId,
    uuid: DomainUuid,
    name: VmName,
    /** Per disk; a disk not listed gets its default mode. */
    disks: z.array(CloneDiskChoice).max(64).default([]),
    /** The renderer's id for progress events. */
    opId: z.string().max(64).optional(),
  })
  .strict();
export type CloneArgs = z.output<typeof CloneArgs>;

export const CloneResult = z.object({ uuid: DomainUuid, name: z.string(), volumes: z.array(z.string()) });

/** Copy progress: the new volume's allocation against the source's. */
export const CloneProgress = z.object({ hostId: HostId, opId: z.string(), target: z.string(), done: z.number(), total: z.number() });

export const TemplateInfo = z.object({ uuid: DomainUuid, name: z.string() });

export const DiskChainInfo = z.object({
  target: z.string(),
  source: z.string(),
  backing: z.array(z.object({ path: z.string(), format: z.string().nullable() })),
  unreadable: z.string().optional(),
});
export type DiskChainInfo = z.infer<typeof DiskChainInfo>;
