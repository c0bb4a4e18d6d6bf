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
