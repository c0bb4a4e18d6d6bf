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

export const StatsTick = z.object({
  hostId: z.string(),
  at: z.number(),
  intervalMs: z.number(),
  hostCpus: z.number().int(),
  samples: z.array(DomainSample),
});
export type StatsTick = z.infer<typeof StatsTick>;

export const DomainAddresses = z.object({
  hostId: z.string(),
  addresses: z.array(z.object({ uuid: DomainUuid, ips: z.array(z.string()), source: z.enum(['lease', 'agent']) })),
});
export type DomainAddresses = z.infer<typeof DomainAddresses>;

export const Settings = z.object({
  /** Stats tick per host; one bulk domstats call each. */
  statsIntervalMs: z.number().int().min(250).max(60_000),
  /** Set while no window is visible: nobody looks, so nothing polls. */
  statsPaused: z.boolean(),
  /** How long a guest gets to act on ACPI shutdown/reboot before Virtdeck says it ignored it. */
  guestActionTimeoutMs: z.number().int().min(1000).max(3_600_000),
});
export type Settings = z.infer<typeof Settings>;
