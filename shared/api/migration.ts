import { z } from 'zod';
import { HostId } from '../model/host';
import { DomainUuid } from '../model/domain';
import { MigrationCommand, MigrationOptions, MigrationOutcome, MigrationProgress, PreflightReport } from '../model/migration';
import { type EventTable, type RequestTable } from './common';

/** One migration: a VM on the source host, the destination host, and how. */
export const MigrateArgs = z.object({
  sourceHostId: HostId,
  destHostId: HostId,
  uuid: DomainUuid,
  options: MigrationOptions.prefault({}),
}).strict();
export type MigrateArgs = z.input<typeof MigrateArgs>;

export const migrationRequests = {
  /** Every check before anything moves, with the path that will be used and why. Changes nothing. */
  'migration.preflight': { args: MigrateArgs, result: PreflightReport },
  /** The exact lines that run, on which host (the source's `virsh migrate`, the setmaxdowntime while it runs…). */
  'migration.commands': { args: MigrateArgs, result: z.array(MigrationCommand) },
  /**
   * Starts the job after the pre-flight passed (a failed check refuses, with its message);
   * progress arrives as `migration.progress`, the end as `migration.finished`.
   */
  'migration.start': { args: MigrateArgs, result: z.object({ jobId: z.string() }) },
  /** `domjobabort` on the source: the VM keeps running there and nothing is left on the destination. */
  'migration.cancel': { args: z.object({ jobId: z.string().max(64) }).strict(), result: z.object({ cancelled: z.boolean() }) },
  /** Jobs running or finished in this session (the dialog re-attaches to them). */
  'migration.jobs': { args: z.object({}).strict(), result: z.array(z.object({ jobId: z.string(), sourceHostId: z.string(), destHostId: z.string(), uuid: z.string(), name: z.string(), progress: MigrationProgress, outcome: MigrationOutcome.optional() })) },
} as const satisfies RequestTable;

export const migrationEvents = {
  'migration.progress': MigrationProgress,
  'migration.finished': MigrationOutcome,
} as const satisfies EventTable;
