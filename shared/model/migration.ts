import { z } from 'zod';

/** One pre-flight finding: what was checked, what was found, and how to fix it. */
export const PreflightCheck = z.object({
  id: z.string(),
  ok: z.boolean(),
  severity: z.enum(['error', 'warning', 'info']),
  /** What was found, in plain words (libvirt's own words where it answered). */
  message: z.string(),
  fix: z.string().optional(),
});
export type PreflightCheck = z.infer<typeof PreflightCheck>;

/** Progress of one migration job, live or offline. */
export const MigrationProgress = z.object({
  jobId: z.string(),
  phase: z.enum(['preflight', 'disks', 'memory', 'copy', 'define', 'verify', 'cleanup', 'done', 'failed', 'cancelled']),
  disk: z.string().optional(),
  dataProcessed: z.number().optional(),
  dataRemaining: z.number().optional(),
  dataTotal: z.number().optional(),
  bandwidthBps: z.number().optional(),
  dirtyRatePps: z.number().optional(),
  expectedDowntimeMs: z.number().optional(),
  etaSeconds: z.number().optional(),
  message: z.string().optional(),
});
export type MigrationProgress = z.infer<typeof MigrationProgress>;
// ---- branch-specific additions below ----

/**
 * How the migration travels (issue 15, "Paths"):
 *  - relay: libvirt's control connection relayed through Virtdeck, QEMU's data direct (TCP);
 *  - relay-tunnelled: both relayed (`--p2p --tunnelled`), for hosts the source cannot reach;
 *  - direct: hosts that trust each other; the source's libvirtd logs in to the destination itself
 *    (qemu+libssh with the destination's key as Virtdeck verified it, and a key file on the source);
 *  - offline: the VM's disks and definition copied through Virtdeck (shut-off VMs).
 */
export const MigrationPath = z.enum(['relay', 'relay-tunnelled', 'direct', 'offline']);
export type MigrationPath = z.infer<typeof MigrationPath>;

export const MigrationOptions = z.object({
  path: MigrationPath.default('relay'),
  /** Keep the definition on the destination and undefine it on the source (default), or a temporary move. */
  persistent: z.boolean().default(true),
  copyStorage: z.enum(['none', 'all', 'inc']).default('none'),
  /** MiB/s (`--bandwidth`). */
  bandwidthMiBps: z.number().int().min(1).max(1_000_000).optional(),
  autoConverge: z.boolean().default(false),
  /** Set with `migrate-setmaxdowntime` once the job runs (virsh migrate has no flag for it). */
  maxDowntimeMs: z.number().int().min(1).max(3_600_000).optional(),
  /** `--unsafe`: migrate even though libvirt thinks a disk's cache mode can lose data. */
  unsafe: z.boolean().default(false),
  /** The destination's address as the source reaches it (tcp://ADDR); default: see migrationAddress. */
  destAddress: z
    .string()
    .max(255)
    .regex(/^(\[[0-9a-fA-F:.]+\]|[0-9a-fA-F.]*:[0-9a-fA-F:.]*|[A-Za-z0-9][A-Za-z0-9.-]*)$/, 'an IP address or host name')
    .optional(),
  /** Path 'direct': the private key ON THE SOURCE that its libvirtd (root) logs in to the destination with. */
  directKeyFile: z.string().min(1).max(4096).regex(/^\/[^\0?&#]*$/, 'an absolute path without ?, & or #').optional(),
  /** Offline move only: delete the source's disks after the VM is defined and verified on the destination. */
  deleteSourceDisks: z.boolean().default(false),
}).strict();
export type MigrationOptions = z.output<typeof MigrationOptions>;
export type MigrationOptionsInput = z.input<typeof MigrationOptions>;

export const MigrationCommand = z.object({
  host: z.enum(['source', 'dest', 'virtdeck']),
  hostName: z.string(),
  argv: z.array(z.string()),
  /** Why this line runs (e.g. "while the job runs", "the relay"). */
  note: z.string().optional(),
});
export type MigrationCommand = z.infer<typeof MigrationCommand>;

export const PreflightReport = z.object({
  checks: z.array(PreflightCheck),
  /** The path that will be used and why, in one sentence. */
  path: MigrationPath,
  why: z.string(),
  /** How the relay is made for this source (SSH forwarding or a socket Virtdeck listens on). */
  relay: z.string().optional(),
  /** Directory pools a copied disk needs on the destination and it lacks: the dialog offers to create them. */
  missingPools: z.array(z.object({ name: z.string(), path: z.string() })).optional(),
  ok: z.boolean(),
});
export type PreflightReport = z.infer<typeof PreflightReport>;

/** A finished job's numbers (from `domjobinfo --completed --rawstats` on the destination). */
export const MigrationOutcome = z.object({
  jobId: z.string(),
  sourceHostId: z.string(),
  destHostId: z.string(),
  uuid: z.string(),
  name: z.string(),
  state: z.enum(['done', 'failed', 'cancelled']),
  seconds: z.number(),
  downtimeMs: z.number().optional(),
  bytes: z.number().optional(),
  /** Which step failed, in libvirt's own words. */
  error: z.string().optional(),
  relayedConnections: z.number().optional(),
});
export type MigrationOutcome = z.infer<typeof MigrationOutcome>;
