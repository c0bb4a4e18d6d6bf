import { z } from 'zod';
import { DomainUuid } from './domain';

/** One VM's usage over the last tick, computed in the backend from one bulk domstats call. */
export const DomainSample = z.object({
  uuid: DomainUuid,
  /** Share of the VM's own vCPUs, 0..100 (Δcpu.time / (Δwall × vCPUs)). null on the first tick. */
  cpuPct: z.number().nullable(),
  /** Share of the whole host, 0..100 (Δcpu.time / (Δwall × host logical CPUs)). */
  hostCpuPct: z.number().nullable(),
  /** Guest memory in use: balloon.available − balloon.unused when the guest reports it, else QEMU's RSS. */
  memUsedKiB: z.number().nullable(),
  memSource: z.enum(['guest', 'rss']).nullable(),
  diskRdBps: z.number().nullable(),
  diskWrBps: z.number().nullable(),
  netRxBps: z.number().nullable(),
  netTxBps: z.number().nullable(),
});
export type DomainSample = z.infer<typeof DomainSample>;

/** A column of numbers, one per VM in layout order; null when no VM has a value (the test driver). */
const Column = z.array(z.number().nullable()).nullable();
const COLUMNS = ['cpu', 'hostCpu', 'mem', 'diskRd', 'diskWr', 'netRx', 'netTx'] as const;

/**
 * One stats tick on the wire, in columns: 1,000 sample objects with ten keys each were a 91 KB
 * frame, and parsing them (plus the garbage) cost the renderer more than the rest of a tick.
 * Entry i of every column belongs to the i-th UUID of the tick's `layout`. The UUIDs are sent
 * only when the layout changes (`uuids`, else null); a client that missed them asks
 * `stats.layout`. Layout ids are random per poller, so a restarted backend never reuses one.
 * Numbers are rounded: percentages to 0.01, KiB and bytes/s to integers. See shared/stats-codec.ts.
 */
export const StatsTick = z
  .object({
    hostId: z.string(),
    at: z.number(),
    intervalMs: z.number(),
    hostCpus: z.number().int(),
    layout: z.number().int(),
    /** VMs in this tick. */
    n: z.number().int().min(0),
    uuids: z.array(DomainUuid).nullable(),
    /** DomainSample.cpuPct, hostCpuPct, memUsedKiB, diskRdBps, diskWrBps, netRxBps, netTxBps. */
    cpu: Column,
    hostCpu: Column,
    mem: Column,
    /** memSource per VM: g(uest), r(ss) or - (none); null when all are none. */
    memSource: z.string().regex(/^[gr-]*$/).nullable(),
    diskRd: Column,
    diskWr: Column,
    netRx: Column,
    netTx: Column,
  })
  .refine(
    (t) => (t.uuids === null || t.uuids.length === t.n) && (t.memSource === null || t.memSource.length === t.n) && COLUMNS.every((k) => t[k] === null || t[k].length === t.n),
    { message: 'every column has one entry per VM' },
  );
export type StatsTick = z.infer<typeof StatsTick>;
export const STATS_COLUMNS = COLUMNS;

export const StatsLayout = z.object({ layout: z.number().int(), uuids: z.array(DomainUuid) });
export type StatsLayout = z.infer<typeof StatsLayout>;

export const DomainAddresses = z.object({
  hostId: z.string(),
  addresses: z.array(z.object({ uuid: DomainUuid, ips: z.array(z.string()), source: z.enum(['lease', 'agent']) })),
});
export type DomainAddresses = z.infer<typeof DomainAddresses>;

export const Settings = z.object({
  /** Stats tick per host; one bulk domstats call each. */
  statsIntervalMs: z.number().int().min(250).max(60_000),
  /** How long a guest gets to act on ACPI shutdown/reboot before Virtdeck says it ignored it. */
  guestActionTimeoutMs: z.number().int().min(1000).max(3_600_000),
});
export type Settings = z.infer<typeof Settings>;
