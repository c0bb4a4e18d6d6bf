import { z } from 'zod';
import { DomainUuid } from '../model/domain';
import { HostId } from '../model/host';
import { HugepageFit, KsmtunedKey, TuningMemory } from '../model/tuning-memory';
import { onHost, type EventTable, type RequestTable } from './common';

/** Kernel limits: https://docs.kernel.org/admin-guide/mm/ksm.html */
export const KsmSettings = z
  .object({
    hostId: HostId,
    /** 0 off, 1 on, 2 stop and unmerge: a sysfs write (virsh node-memory-tune has no `run`), needs root. */
    run: z.union([z.literal(0), z.literal(1), z.literal(2)]).optional(),
    /** `virsh node-memory-tune --shm-pages-to-scan` */
    pagesToScan: z.number().int().min(0).max(100_000).optional(),
    /** `virsh node-memory-tune --shm-sleep-millisecs` */
    sleepMillisecs: z.number().int().min(0).max(3_600_000).optional(),
    /** `virsh node-memory-tune --shm-merge-across-nodes`; the kernel refuses while pages are shared. */
    mergeAcrossNodes: z.union([z.literal(0), z.literal(1)]).optional(),
  })
  .strict();
export type KsmSettings = z.infer<typeof KsmSettings>;

export const tuningMemoryRequests = {
  /** KSM, ksmtuned, hugepages and root rights, read in one pass (a few commands in parallel). */
  'tuning.memory': { args: onHost, result: TuningMemory },
  'tuning.ksm.set': { args: KsmSettings, result: z.null() },
  /** Sets (number) or comments out (null: ksmtuned's default) settings in /etc/ksmtuned.conf; other lines are kept. Needs root. */
  'tuning.ksmtuned.config': {
    args: z.object({ hostId: HostId, values: z.partialRecord(KsmtunedKey, z.number().int().min(-1_000_000).max(100_000_000).nullable()) }).strict(),
    result: z.null(),
  },
  /** `virsh allocpages`: without --add the count is absolute (0 releases). https://libvirt.org/manpages/virsh.html#allocpages */
  'tuning.hugepages.allocate': {
    args: z.object({ hostId: HostId, sizeKiB: z.number().int().positive(), count: z.number().int().min(0).max(10_000_000), node: z.number().int().min(0).max(4096).optional() }).strict(),
    result: z.null(),
  },
  /** Would this VM's hugepage backing fit what is free now? null: it has no hugepage backing. (The Start action can ask.) */
  'tuning.hugepages.check': { args: z.object({ hostId: HostId, uuid: DomainUuid }).strict(), result: HugepageFit.nullable() },
  /** Start in the VM list: of these VMs, the ones whose hugepage backing would not fit what is free now (those started together share it). Empty on libvirt's test driver. */
  'tuning.hugepages.checkStart': { args: z.object({ hostId: HostId, uuids: z.array(DomainUuid).max(1000) }).strict(), result: z.array(HugepageFit) },
} as const satisfies RequestTable;

export const tuningMemoryEvents = {} as const satisfies EventTable;
