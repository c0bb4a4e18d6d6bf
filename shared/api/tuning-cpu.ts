/**
 * The Tuning tab's CPU map, pinning, memory limits per VM and the tuning advisor (issue 17, part B).
 * Pinning and memtune run `virsh vcpupin` / `emulatorpin` / `numatune` / `memtune`
 * (https://libvirt.org/manpages/virsh.html#vcpupin); advisor fixes are XML changes through the
 * safe define flow (history, undo with `details.restore`) or a virsh host command.
 */
import { z } from 'zod';
import { HostId } from '../model/host';
import { DomainUuid } from '../model/domain';
import { type EventTable, type RequestTable } from './common';

/** A libvirt cpuset ("0-3,^2,6"): digits, commas, dashes and carets only (never a leading dash). */
export const CpuSet = z.string().min(1).max(256).regex(/^\d[\d,\-^]*$/, 'a CPU list such as 0-3,6 or ^2');

export const HostCpu = z.object({ id: z.number(), socket: z.number(), die: z.number(), core: z.number(), siblings: z.string() });
export type HostCpu = z.infer<typeof HostCpu>;
export const NumaCell = z.object({ id: z.number(), memoryKiB: z.number().nullable(), cpus: z.array(HostCpu) });
export type NumaCell = z.infer<typeof NumaCell>;

export const VcpuPin = z.object({ vcpu: z.number(), cpuset: z.string() });
export const Numatune = z.object({ mode: z.string(), nodeset: z.string().nullable(), placement: z.string().nullable() });
export type Numatune = z.infer<typeof Numatune>;

const Availability = z.object({ available: z.boolean(), reason: z.string().nullable() });
/**
 * Whether live changes are possible for this VM now, and why not, asked of libvirt: live pinning
 * works through the cpuset cgroup or, without it, sched_setaffinity; live memtune needs the
 * memory cgroup controller.
 */
export const LiveTuning = z.object({ pin: Availability, memtune: Availability });
export type LiveTuning = z.infer<typeof LiveTuning>;

export const VmPinning = z.object({
  uuid: z.string(),
  name: z.string(),
  running: z.boolean(),
  vcpus: z.number(),
  /** The maximum (<vcpu>N</vcpu>): vCPUs above the current count can be pinned with --config. */
  maxVcpus: z.number(),
  /** Explicit <vcpupin>s; a vCPU without one may run on any host CPU (or the <vcpu cpuset>). */
  vcpuPins: z.array(VcpuPin),
  /** <vcpu cpuset='…'>: the default for vCPUs without their own pin. */
  defaultCpuset: z.string().nullable(),
  emulatorPin: z.string().nullable(),
  numatune: Numatune.nullable(),
});
export type VmPinning = z.infer<typeof VmPinning>;

export const CpuMap = z.object({
  cells: z.array(NumaCell),
  hostCpus: z.number(),
  sockets: z.number(),
  vms: z.array(VmPinning),
});
export type CpuMap = z.infer<typeof CpuMap>;

export const PinTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('vcpu'), vcpu: z.number().int().min(0).max(4095) }),
  z.object({ kind: z.literal('emulator') }),
  z.object({ kind: z.literal('numa'), mode: z.enum(['strict', 'preferred', 'interleave', 'restrictive']) }),
]);
export type PinTarget = z.infer<typeof PinTarget>;

const onVm = { hostId: HostId, uuid: DomainUuid };
/** Where a change goes: the persistent definition (`--config`) and/or the running VM (`--live`). */
const Scope = { config: z.boolean().default(true), live: z.boolean().default(false) };

export const PinArgs = z
  .object({ ...onVm, target: PinTarget, /** null: unpin (every host CPU / cell). */ cpuset: CpuSet.nullable(), ...Scope })
  .strict()
  .refine((a) => a.config || a.live, 'choose --config, --live or both');

/** KiB; null: unlimited. */
const Limit = z.number().int().min(1).max(2 ** 52).nullable();
export const Memtune = z.object({ hardKiB: Limit, softKiB: Limit, swapHardKiB: Limit });
export type Memtune = z.infer<typeof Memtune>;
export const MemtuneArgs = z.object({ ...onVm, ...Memtune.shape, ...Scope }).strict().refine((a) => a.config || a.live, 'choose --config, --live or both');

export const FindingSource = z.object({ kind: z.enum(['seed', 'doc']), text: z.string(), url: z.string().nullable() });
export const FindingFix = z.object({
  kind: z.enum(['xml', 'host']),
  summary: z.string(),
  /** What the user must know first (drivers, /dev/sdX, migration). */
  warnings: z.array(z.string()),
  /** Off, with the reason, when it cannot be applied now (e.g. only for shut-off VMs). */
  available: z.boolean(),
  reason: z.string().nullable(),
});
export const Finding = z.object({
  /** Stable across runs: rule + VM + key. */
  id: z.string(),
  rule: z.string(),
  group: z.enum(['disks-nics', 'devices', 'cpu', 'memory', 'disk-io', 'clocks']),
  severity: z.enum(['warning', 'info']),
  vm: z.object({ uuid: z.string(), name: z.string() }).nullable(),
  title: z.string(),
  evidence: z.array(z.string()),
  source: FindingSource,
  fix: FindingFix.nullable(),
});
export type Finding = z.infer<typeof Finding>;

export const AdvisorReport = z.object({ findings: z.array(Finding), checkedVms: z.number(), notes: z.array(z.string()) });
export type AdvisorReport = z.infer<typeof AdvisorReport>;

export const FixArgs = z.object({ hostId: HostId, findingId: z.string().min(1).max(512) }).strict();
/** What applying did; for XML fixes the history entry undo restores (`details.restore`) and the new etag. */
export const FixResult = z.object({ kind: z.enum(['xml', 'host']), uuid: z.string().nullable(), undoEntryId: z.string().nullable(), etag: z.string().nullable() });

export const tuningCpuRequests = {
  /** NUMA cells, sockets, cores and threads from `virsh capabilities`, and every VM's pinning on them. */
  'tuning.cpuMap': { args: z.object({ hostId: HostId }).strict(), result: CpuMap },
  /** Whether live pinning/memtune works for this VM (running, cgroups), and why not. */
  'tuning.liveTuning': { args: z.object(onVm).strict(), result: LiveTuning },
  /** `virsh vcpupin` / `emulatorpin` / `numatune` with --config and/or --live. */
  'tuning.pin': { args: PinArgs, result: z.null() },
  /** The VM's memtune limits (live for a running VM, else the definition's). */
  'tuning.memtune': { args: z.object(onVm).strict(), result: Memtune.extend({ live: LiveTuning }) },
  'tuning.setMemtune': { args: MemtuneArgs, result: z.null() },
  'tuning.advisor': { args: z.object({ hostId: HostId }).strict(), result: AdvisorReport },
  /** An XML fix as a diff of the VM's definition (secrets hidden); null for host-command fixes. */
  'tuning.fixDiff': { args: FixArgs, result: z.object({ before: z.string(), after: z.string() }).nullable() },
  /** Applies one finding's fix, recomputed from the VM's current definition. */
  'tuning.applyFix': { args: FixArgs, result: FixResult },
} as const satisfies RequestTable;

export const tuningCpuEvents = {} as const satisfies EventTable;
