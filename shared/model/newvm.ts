/**
 * The New VM wizard's data: what the host offers (capabilities), the OS catalogue, and the spec
 * the wizard fills in. Field-by-field meaning is in the comment at the top of shared/api/newvm.ts.
 */
import { z } from 'zod';
import { CloudImageSource } from './cloud-init';
import { DomainUuid } from './domain';
import { ByteCount, Bytes, ObjectName, ObjectUuid, Preallocation } from './storage';

/**
 * A VM name: anything libvirt accepts. libvirt refuses '/' (the name becomes a file name under
 * /etc/libvirt/qemu); NUL and line breaks cannot cross virsh. Quotes, `$(…)`, leading dashes and
 * unicode are fine: every name reaches virsh as one argument (or inside XML).
 */
export const VmName = ObjectName;

/** A file on the host: a volume of a pool (preferred: removable with vol-* by non-root users) or a plain path. */
export const MediaRef = z.discriminatedUnion('type', [
  z.object({ type: z.literal('volume'), poolUuid: ObjectUuid, name: ObjectName }).strict(),
  z
    .object({ type: z.literal('path'), path: z.string().min(1).max(4096).refine((p) => p.startsWith('/') && !p.includes('\0'), 'an absolute path on the host') })
    .strict(),
]);
export type MediaRef = z.infer<typeof MediaRef>;

/** An install tree's address: http(s) or ftp only (what virt-install --location fetches), no credentials, no spaces. */
export const TreeUrl = z
  .string()
  .max(2048)
  .regex(/^(https?|ftp):\/\/[^\s@/]+(\/[^\s]*)?$/i, 'an http://, https:// or ftp:// URL of an install tree (no user:password@)');

export const DiskFormat = z.enum(['qcow2', 'raw']);
export type DiskFormat = z.infer<typeof DiskFormat>;

export const InstallSource = z.discriminatedUnion('kind', [
  /** An ISO as CD-ROM. An ISO of "this computer" is first uploaded with storage.volumes.upload / uploadFromBrowser, then named here as a volume. */
  z.object({ kind: z.literal('iso'), iso: MediaRef }).strict(),
  /** An existing disk image becomes the VM's first disk. `format` is the user's choice; qemu-img's guess is only shown. */
  z.object({ kind: z.literal('import'), disk: MediaRef, format: DiskFormat }).strict(),
  /** Direct kernel boot for the install phase; the final configuration boots from the disk. */
  z
    .object({
      kind: z.literal('kernel'),
      kernel: MediaRef,
      initrd: MediaRef.optional(),
      dtb: MediaRef.optional(),
      cmdline: z.string().max(4096).refine((s) => !s.includes('\0'), 'no NUL').default(''),
    })
    .strict(),
  /**
   * A network install tree (virt-install --location): Virtdeck finds the kernel and initrd in it
   * (MANIFEST / .treeinfo), fetches them into volumes of `poolUuid` (by the host's curl/wget, else
   * by Virtdeck + vol-upload), verifies them against the tree's checksums and boots them directly
   * for the install phase. Both volumes are removed when that phase ends. See electron/libvirt/new-vm/install-tree.ts.
   */
  z
    .object({
      kind: z.literal('tree'),
      url: TreeUrl,
      poolUuid: ObjectUuid,
      cmdline: z.string().max(4096).refine((s) => !s.includes('\0'), 'no NUL').default(''),
      /** Who downloads: 'auto' = the host when it has curl or wget, else Virtdeck. */
      fetchBy: z.enum(['auto', 'host', 'virtdeck']).default('auto'),
    })
    .strict(),
  /** Network boot (PXE) for the install phase, on the spec's virtual network; the final configuration boots the disk. */
  z.object({ kind: z.literal('pxe') }).strict(),
  /** No install media: a disk (or none) and whatever the user boots later. */
  z.object({ kind: z.literal('manual') }).strict(),
  /** A cloud image with a cloud-init seed for its first boot (shared/model/cloud-init.ts). */
  CloudImageSource,
]);
export type InstallSource = z.infer<typeof InstallSource>;

export const StorageChoice = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('new'),
      poolUuid: ObjectUuid,
      /** Volume name; default "<vm name>.qcow2" (or .img for raw). */
      name: ObjectName.optional(),
      sizeBytes: Bytes.min(1024 * 1024),
      format: DiskFormat.default('qcow2'),
      preallocation: Preallocation.default('none'),
    })
    .strict(),
  z.object({ kind: z.literal('existing'), volume: MediaRef, format: DiskFormat }).strict(),
  z.object({ kind: z.literal('none') }).strict(),
]);
export type StorageChoice = z.infer<typeof StorageChoice>;

const Mac = z.string().regex(/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/, 'a MAC like 52:54:00:12:34:56');
const Dev = z.string().min(1).max(15).regex(/^[A-Za-z0-9_.\-]+$/, 'an interface name like br0');

export const NetworkChoice = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('network'), network: ObjectName, mac: Mac.optional() }).strict(),
  z.object({ kind: z.literal('bridge'), bridge: Dev, mac: Mac.optional() }).strict(),
  z.object({ kind: z.literal('direct'), dev: Dev, mode: z.enum(['bridge', 'vepa', 'private', 'passthrough']).default('bridge'), mac: Mac.optional() }).strict(),
  z.object({ kind: z.literal('user'), mac: Mac.optional() }).strict(),
  z.object({ kind: z.literal('none') }).strict(),
]);
export type NetworkChoice = z.infer<typeof NetworkChoice>;

export const Firmware = z.enum(['bios', 'efi']);
export type Firmware = z.infer<typeof Firmware>;
export const DomainType = z.enum(['kvm', 'qemu']);
export type DomainType = z.infer<typeof DomainType>;

export const NewVmSpec = z
  .object({
    name: VmName,
    /** Fixed by the caller so plan and create show the same UUID; the backend picks one when absent. */
    uuid: DomainUuid.optional(),
    source: InstallSource,
    /** osinfo short-id ("debian11", "win11") or a built-in family id ("generic-linux"); null = generic. */
    osId: z.string().max(100).nullable().default(null),
    memoryMiB: z.number().int().min(16).max(16 * 1024 * 1024),
    vcpus: z.number().int().min(1).max(4096),
    /** virt-install --cpuset: e.g. "0-1,3". */
    cpuset: z.string().regex(/^\d+(-\d+)?(,\d+(-\d+)?)*$/, 'a CPU list like 0-3,6').optional(),
    storage: StorageChoice,
    network: NetworkChoice,
    /** Absent: the backend's default (kvm when offered, else qemu). */
    domainType: DomainType.optional(),
    /** Absent: q35 when the OS supports it and the host has it, else the host's default. */
    machine: z.string().regex(/^[A-Za-z0-9_.\-]+$/).max(100).optional(),
    firmware: Firmware.default('bios'),
    secureBoot: z.boolean().default(false),
    autostart: z.boolean().default(false),
    /** Define the install configuration only (marked "customizing" in metadata); no volume is started. */
    customize: z.boolean().default(false),
  })
  .strict();
export type NewVmSpec = z.infer<typeof NewVmSpec>;
export type NewVmSpecInput = z.input<typeof NewVmSpec>;

/** One OS of the catalogue. */
export const OsEntry = z.object({
  id: z.string(),
  name: z.string(),
  version: z.string().nullable(),
  family: z.string(),
  vendor: z.string().nullable(),
  releaseDate: z.string().nullable(),
  eol: z.boolean(),
});
export type OsEntry = z.infer<typeof OsEntry>;

/** What the wizard's steps 3–6 prefill from for one OS (osinfo, following derives-from, or the built-in family). */
export const OsDefaults = z.object({
  id: z.string(),
  name: z.string(),
  family: z.string(),
  minMemoryMiB: z.number().nullable(),
  recMemoryMiB: z.number(),
  recVcpus: z.number(),
  recStorageBytes: z.number(),
  diskBus: z.enum(['virtio', 'sata', 'ide']),
  nicModel: z.enum(['virtio', 'e1000e', 'e1000']),
  video: z.enum(['virtio', 'qxl', 'vga']),
  virtioRng: z.boolean(),
  balloon: z.boolean(),
  q35: z.boolean(),
  windows: z.boolean(),
  source: z.enum(['osinfo', 'builtin']),
});
export type OsDefaults = z.infer<typeof OsDefaults>;

export const MachineInfo = z.object({
  name: z.string(),
  /** The versioned name an alias points to (pc → pc-i440fx-7.2). */
  canonical: z.string().nullable(),
  isDefault: z.boolean(),
  /** Firmware kinds `virsh domcapabilities --machine NAME` offers (BIOS is always there for x86). */
  firmware: z.array(Firmware),
  /** Whether Secure Boot can be turned off / on with the firmware found. */
  secureBootOff: z.boolean(),
  secureBootOn: z.boolean(),
});
export type MachineInfo = z.infer<typeof MachineInfo>;

export const NewVmCapabilities = z.object({
  arch: z.string(),
  hostCpus: z.number(),
  hostMemoryKiB: z.number(),
  domainTypes: z.array(DomainType),
  defaultDomainType: DomainType,
  /** Machines of the default domain type; firmware asked per machine (it differs between pc and q35). */
  machines: z.array(MachineInfo),
  /** CPU modes domcapabilities supports for the default type (TCG has no host-passthrough). */
  cpuModes: z.array(z.string()),
  pools: z.array(
    z.object({ uuid: ObjectUuid, name: z.string(), type: z.string(), active: z.boolean(), available: ByteCount.nullable(), targetPath: z.string().nullable() }),
  ),
  networks: z.array(z.object({ uuid: ObjectUuid, name: z.string(), active: z.boolean(), bridge: z.string().nullable() })),
  bridges: z.array(z.string()),
  /** Every interface a macvtap could sit on. */
  interfaces: z.array(z.string()),
  osinfo: z.object({ available: z.boolean(), version: z.string().nullable(), count: z.number() }),
});
export type NewVmCapabilities = z.infer<typeof NewVmCapabilities>;

export const PlanProblem = z.object({
  /** The spec field it concerns ("name", "storage", "network", "firmware", "source", "xml"). */
  field: z.string(),
  message: z.string(),
});
export type PlanProblem = z.infer<typeof PlanProblem>;

export const InstallPhase = z.enum(['customizing', 'installing', 'done']);
export type InstallPhase = z.infer<typeof InstallPhase>;
