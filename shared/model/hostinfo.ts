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

/** A PCI or USB device of the host as passthrough sees it, with the VMs whose XML assigns it. */
export const PassthroughDevice = z.object({
  name: z.string(),
  bus: z.enum(['pci', 'usb']),
  label: z.string(),
  address: z.string(),
  driver: z.string().nullable(),
  iommuGroup: z.number().nullable(),
  groupAddresses: z.array(z.string()),
  vfs: z.array(z.string()),
  pf: z.string().nullable(),
  usedBy: z.array(z.string()),
});
export type PassthroughDevice = z.infer<typeof PassthroughDevice>;

export const HostDevices = z.object({
  /** PCI devices by IOMMU group (null: no IOMMU group, e.g. the IOMMU is off), in group order. */
  groups: z.array(z.object({ number: z.number().nullable(), devices: z.array(PassthroughDevice) })),
  usb: z.array(PassthroughDevice),
  /** Devices whose XML could not be read, with why. */
  problems: z.array(z.string()),
});
export type HostDevices = z.infer<typeof HostDevices>;
