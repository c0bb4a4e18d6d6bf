import { z } from 'zod';

/** A snapshot name as libvirt accepts it (no '/', not empty); Virtdeck also keeps it printable. */
export const SnapshotName = z.string().min(1).max(200).regex(/^[^/\x00-\x1f]+$/, 'no "/" or control characters');

/** A file a snapshot involves: a memory image, an external overlay, or a disk holding internal data. */
export const SnapshotFile = z.object({
  role: z.enum(['memory', 'overlay', 'internal']),
  path: z.string(),
  /** The disk target (vda) for overlays and internal data. */
  disk: z.string().optional(),
});
export type SnapshotFile = z.infer<typeof SnapshotFile>;

export const Snapshot = z.object({
  name: z.string(),
  parent: z.string().nullable(),
  current: z.boolean(),
  /** Creation time, ms since the epoch. */
  createdAt: z.number(),
  /** The VM's state when it was taken: running, paused, shutoff, disk-snapshot… (libvirt's word). */
  state: z.string(),
  description: z.string(),
  location: z.enum(['internal', 'external']),
  memory: z.boolean(),
  files: z.array(SnapshotFile),
  /** Every file its saved VM definition names (disks with their backing files): what reverting to it needs. */
  uses: z.array(z.string()),
  /** A screenshot was taken when it was created (the VM was running): `snapshots.thumbnail` returns it. */
  thumbnail: z.boolean().optional(),
});
export type Snapshot = z.infer<typeof Snapshot>;

export const SnapshotMode = z.enum(['internal-memory', 'internal-disk', 'external-disk', 'external-memory']);
export type SnapshotMode = z.infer<typeof SnapshotMode>;

/** Whether a mode is offered; when it is not, why (libvirt's own words where it has them). */
export const ModeOffer = z.object({ mode: SnapshotMode, ok: z.boolean(), reason: z.string().optional() });
export type ModeOffer = z.infer<typeof ModeOffer>;

export const SnapshotCapabilities = z.object({
  libvirtVersion: z.string(),
  running: z.boolean(),
  modes: z.array(ModeOffer),
  /** The VM has UEFI variables (pflash firmware): a revert can re-initialise them (`--reset-nvram`). */
  nvram: z.boolean(),
  /** The guest agent is connected: `--quiesce` can freeze the guest's file systems. */
  quiesce: z.boolean(),
  /** Reverting to an external snapshot works (libvirt ≥ 9.9); the reason when it does not. */
  externalRevert: z.object({ ok: z.boolean(), reason: z.string().optional() }),
  /** Active pools with a target directory, for the memory file of an external snapshot. */
  memoryPools: z.array(z.object({ name: z.string(), path: z.string(), available: z.string().nullable() })),
  /** Raw file disks (targets): converting them to qcow2 while the VM is off makes internal snapshots possible. */
  rawDisks: z.array(z.string()).optional(),
});
export type SnapshotCapabilities = z.infer<typeof SnapshotCapabilities>;

export const DeleteScope = z.enum(['one', 'children', 'children-only', 'metadata']);
export type DeleteScope = z.infer<typeof DeleteScope>;

/** What a delete takes away and what it leaves, shown before the user confirms. */
export const DeleteImpact = z.object({
  snapshots: z.array(z.string()),
  /** Files that go: merged by libvirt, or removed by Virtdeck after libvirt left them. */
  goes: z.array(z.object({ path: z.string(), how: z.enum(['libvirt-merges', 'libvirt-deletes', 'internal-data', 'virtdeck-removes']) })),
  /** Files that stay, and why. */
  stays: z.array(z.object({ path: z.string(), why: z.enum(['metadata-only', 'used-by-vm', 'used-by-snapshot', 'not-in-pool']) })),
  /** Why this delete is refused before anything runs (libvirt would refuse it, or a file still in use would go). */
  refusal: z.string().optional(),
});
export type DeleteImpact = z.infer<typeof DeleteImpact>;
