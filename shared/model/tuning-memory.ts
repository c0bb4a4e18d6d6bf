/**
 * The host page's Tuning tab, memory side: KSM and ksmtuned, hugepages, and whether a change
 * that needs root can be made (the SSH user is root, or sudo is opted in for the connection).
 */
import { z } from 'zod';
import { DomainState, DomainUuid } from './domain';

/** Every file in /sys/kernel/mm/ksm as the kernel lists it (kernels differ: 6.x adds advisor_*, ksm_zero_pages…). */
export const KsmState = z.object({
  available: z.boolean(),
  files: z.array(z.object({ name: z.string(), value: z.string() })),
  /** 0 = off, 1 = on, 2 = stop and unmerge all pages. */
  run: z.number().int().nullable(),
  pageSizeBytes: z.number().int(),
  /** pages_sharing × page size: what merging saves right now. */
  savedBytes: z.number().nullable(),
});
export type KsmState = z.infer<typeof KsmState>;

/** ksmtuned's settings (/etc/ksmtuned.conf), https://manpages.debian.org/ksmtuned */
export const KsmtunedKey = z.enum([
  'KSM_MONITOR_INTERVAL',
  'KSM_SLEEP_MSEC',
  'KSM_NPAGES_BOOST',
  'KSM_NPAGES_DECAY',
  'KSM_NPAGES_MIN',
  'KSM_NPAGES_MAX',
  'KSM_THRES_COEF',
  'KSM_THRES_CONST',
]);
export type KsmtunedKey = z.infer<typeof KsmtunedKey>;

export const KsmtunedState = z.object({
  installed: z.boolean(),
  running: z.boolean(),
  configPath: z.string(),
  configExists: z.boolean(),
  /** Each setting: the value set in the config file (null: commented out) and ksmtuned's built-in default. */
  settings: z.array(z.object({ key: KsmtunedKey, value: z.number().int().nullable(), defaultValue: z.number().int() })),
  /**
   * ksmtuned's decision computed now with these settings: thres = max(total × COEF / 100, CONST)
   * (KiB); it merges when committed + thres > total, and boosts when free < thres.
   */
  formula: z.object({
    totalKiB: z.number(),
    freeKiB: z.number(),
    coef: z.number(),
    constKiB: z.number(),
    thresKiB: z.number(),
    /** Sum of the RSS of the QEMU processes ksmtuned counts (`pgrep -f '^qemu-system.*-enable-kvm'`). */
    committedKiB: z.number(),
    countedProcesses: z.number().int(),
    /** QEMU processes in all: libvirt starts QEMU with `-accel kvm`, which ksmtuned's pattern misses. */
    qemuProcesses: z.number().int(),
    qemuRssKiB: z.number(),
    wouldMerge: z.boolean(),
    wouldBoost: z.boolean(),
  }),
});
export type KsmtunedState = z.infer<typeof KsmtunedState>;

export const HugepageSize = z.object({
  sizeKiB: z.number().int(),
  total: z.number().int(),
  free: z.number().int(),
  reserved: z.number().int(),
  surplus: z.number().int(),
  nodes: z.array(z.object({ node: z.number().int(), total: z.number().int(), free: z.number().int(), surplus: z.number().int() })),
});
export type HugepageSize = z.infer<typeof HugepageSize>;

/** Whether a VM with hugepage backing can start with what is free now, and why not. */
export const HugepageFit = z.object({
  uuid: DomainUuid,
  name: z.string(),
  state: DomainState,
  memoryKiB: z.number(),
  pageSizeKiB: z.number().int(),
  pagesNeeded: z.number().int(),
  fits: z.boolean(),
  /** Why it would not start (null when it fits, or is running and already holds its pages). */
  reason: z.string().nullable(),
});
export type HugepageFit = z.infer<typeof HugepageFit>;

export const HugepagesState = z.object({
  defaultSizeKiB: z.number().int(),
  sizes: z.array(HugepageSize),
  /** Transparent hugepages: the mode in brackets in …/transparent_hugepage/enabled, and the choices. */
  thp: z.object({ mode: z.string().nullable(), choices: z.array(z.string()) }),
  /** hugetlbfs mount points (libvirt needs one, found when libvirtd starts). */
  mounts: z.array(z.object({ path: z.string(), pageSize: z.string().nullable() })),
  vms: z.array(HugepageFit),
});
export type HugepagesState = z.infer<typeof HugepagesState>;

export const RootRights = z.object({
  uid: z.number().int().nullable(),
  root: z.boolean(),
  /** sudo is opted in for this connection (sudo -n, fixed commands only). */
  sudo: z.boolean(),
});
export type RootRights = z.infer<typeof RootRights>;

export const TuningMemory = z.object({
  ksm: KsmState,
  ksmtuned: KsmtunedState,
  hugepages: HugepagesState,
  rights: RootRights,
  /** How long the read took on the host (ms). */
  readMs: z.number(),
});
export type TuningMemory = z.infer<typeof TuningMemory>;
