import { z } from 'zod';
import { HostId } from './host';

/** One tick of the host sampler: rates since the previous tick (null on the first). */
export const HostSample = z.object({
  hostId: HostId,
  at: z.number(),
  cpuPct: z.number().nullable(),
  memUsedKiB: z.number(),
  memTotalKiB: z.number(),
  netRxBps: z.number().nullable(),
  netTxBps: z.number().nullable(),
  diskRdBps: z.number().nullable(),
  diskWrBps: z.number().nullable(),
});
export type HostSample = z.infer<typeof HostSample>;

export const HostOverview = z.object({
  hostname: z.string(),
  libvirtVersion: z.string().nullable(),
  hypervisor: z.string().nullable(),
  /** Domain types libvirtd offers for guests (kvm, qemu, test…), from `virsh capabilities`. */
  domainTypes: z.array(z.string()),
  cpuModel: z.string().nullable(),
  cpus: z.number(),
  sockets: z.number(),
  coresPerSocket: z.number(),
  threadsPerCore: z.number(),
  mhz: z.number().nullable(),
  numaCells: z.array(z.object({ id: z.number(), memoryKiB: z.number().nullable(), cpus: z.number() })),
  memoryKiB: z.number(),
  vms: z.object({ defined: z.number(), running: z.number() }),
  /** vCPUs and memory of running VMs; `unknown` VMs had no figures yet. */
  running: z.object({ vcpus: z.number(), memoryKiB: z.number(), unknown: z.number() }),
});
export type HostOverview = z.infer<typeof HostOverview>;

export const CheckVerdict = z.enum(['pass', 'warn', 'fail']);
export type CheckVerdict = z.infer<typeof CheckVerdict>;

export const ReadinessId = z.enum(['cpu-virt', 'cpu-64bit', 'kvm', 'nested', 'iommu', 'vhost-net', 'tun', 'cgroups', 'uefi', 'secure-boot', 'tpm', 'hugepages', 'ksm']);
export type ReadinessId = z.infer<typeof ReadinessId>;

/**
 * One readiness check: its verdict and what was found, in the host's own terms (flags, paths,
 * values). `reason` names what to do about a warning or failure; the UI words it per language.
 */
export const ReadinessCheck = z.object({
  id: ReadinessId,
  verdict: CheckVerdict,
  detail: z.string(),
  reason: z.string().nullable(),
});
export type ReadinessCheck = z.infer<typeof ReadinessCheck>;

export const ValidateLine = z.object({ check: z.string(), verdict: CheckVerdict, note: z.string().nullable() });
export type ValidateLine = z.infer<typeof ValidateLine>;

export const Readiness = z.object({
  checks: z.array(ReadinessCheck),
  /** `virt-host-validate qemu`'s own verdicts; null when it is not installed on the host. */
  validate: z.array(ValidateLine).nullable(),
  tookMs: z.number(),
});
export type Readiness = z.infer<typeof Readiness>;
