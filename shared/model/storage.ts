import { z } from 'zod';
import { DomainUuid } from './domain';
import { lenientList, Problems } from './lenient';

/** libvirt addresses pools (and networks) by UUID as well as by name; Virtdeck always uses the UUID. */
export const ObjectUuid = DomainUuid;
export type ObjectUuid = z.infer<typeof ObjectUuid>;

/**
 * A libvirt object name from the user. libvirt itself refuses '/' in pool, volume and network
 * names (they become file names); NUL cannot cross virsh's C strings and a newline would break
 * the line-based lists virsh prints. Everything else (quotes, `$(…)`, leading dashes, unicode)
 * is allowed and passed as one argument.
 */
export const ObjectName = z
  .string()
  .min(1)
  .max(200)
  .refine((n) => !/[\0\n\r/]/.test(n), 'a name cannot contain "/", a NUL or a line break');

/** Bytes, as libvirt's scaled integers in plain bytes (what `--bytes` and XML unit='bytes' give). */
export const Bytes = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/**
 * A byte count libvirt reports, as a decimal string: libvirt's sizes are unsigned 64-bit and
 * reach 2^64−1 (a pool whose volumes exceed it prints 16.00 EiB available), which no JSON
 * number holds exactly. Compare with BigInt, format with the renderer's formatBytes.
 */
export const ByteCount = z.string().regex(/^(0|[1-9]\d{0,19})$/, 'a decimal byte count');
export type ByteCount = z.infer<typeof ByteCount>;

/** virStoragePoolState (https://libvirt.org/html/libvirt-libvirt-storage.html#virStoragePoolState). */
export const PoolState = z.enum(['inactive', 'building', 'running', 'degraded', 'inaccessible']);
export type PoolState = z.infer<typeof PoolState>;

export const Pool = z.object({
  uuid: ObjectUuid,
  name: z.string(),
  /** dir, fs, netfs, logical, disk, iscsi, rbd, gluster, … as libvirt says. */
  type: z.string(),
  state: PoolState,
  persistent: z.boolean(),
  autostart: z.boolean(),
  /** null while the pool is inactive (libvirt reports 0 then, which would read as "full"). */
  capacity: ByteCount.nullable(),
  allocation: ByteCount.nullable(),
  available: ByteCount.nullable(),
  targetPath: z.string().nullable(),
  /** One line saying where the storage comes from: "nfs.example:/export", "/dev/sdb", "vg0". */
  source: z.string().nullable(),
  problems: Problems,
});
export type Pool = z.infer<typeof Pool>;

/** Who uses a volume: found in each VM's `domblklist --details` sources. */
export const VolumeUser = z.object({ uuid: DomainUuid, name: z.string(), target: z.string() });
export type VolumeUser = z.infer<typeof VolumeUser>;

export const Volume = z.object({
  name: z.string(),
  key: z.string(),
  path: z.string(),
  /** file, block, dir, network, netdir, ploop */
  type: z.string(),
  /** raw, qcow2, iso… (libvirt's probe); null when the pool type has none. */
  format: z.string().nullable(),
  /** null when unknown (a volume whose XML could not be read). */
  capacity: ByteCount.nullable(),
  allocation: ByteCount.nullable(),
  /** Bytes on disk as a download reads them (qemu driver); null when libvirt does not say. */
  physical: ByteCount.nullable(),
  backing: z.object({ path: z.string(), format: z.string().nullable() }).nullable(),
  usedBy: z.array(VolumeUser),
  problems: Problems,
});
export type Volume = z.infer<typeof Volume>;

/** Lists as the contract carries them: each object checked on its own (see lenientList). */
export const PoolList = lenientList(Pool, { type: '', state: 'inaccessible', persistent: false, autostart: false, capacity: null, allocation: null, available: null, targetPath: null, source: null });
export const VolumeList = lenientList(Volume, { key: '', path: '', type: '', format: null, capacity: null, allocation: null, physical: null, backing: null, usedBy: [] });

/** What `qemu-img info --output=json --backing-chain` tells about one image of the chain. */
export const ImageInfo = z.object({
  filename: z.string(),
  format: z.string(),
  virtualSize: Bytes,
  actualSize: Bytes.nullable(),
  backingFilename: z.string().nullable(),
  dirty: z.boolean().nullable(),
  snapshots: z.array(z.object({ id: z.string(), name: z.string(), vmStateSize: z.number().nullable(), date: z.string().nullable() })),
});
export type ImageInfo = z.infer<typeof ImageInfo>;

export const VolumeDetails = z.discriminatedUnion('available', [
  z.object({ available: z.literal(true), chain: z.array(ImageInfo) }),
  /** qemu-img is missing on the host, cannot read the image, or the pool is not file based. */
  z.object({ available: z.literal(false), reason: z.string() }),
]);
export type VolumeDetails = z.infer<typeof VolumeDetails>;

const HostPathField = z.string().min(1).max(4096).refine((p) => !p.includes('\0'), 'a path cannot contain NUL');
const AbsPath = HostPathField.refine((p) => p.startsWith('/'), 'must be an absolute path');
const HostName = z.string().min(1).max(253).regex(/^[A-Za-z0-9.:_\-\[\]]+$/, 'a host name or address');
const Port = z.number().int().min(1).max(65535);

/**
 * The form per pool type: what `virsh pool-define-as` takes, turned into pool XML by the backend.
 * https://libvirt.org/storage.html lists each type's fields and https://libvirt.org/formatstorage.html the XML.
 */
export const PoolSpec = z.discriminatedUnion('type', [
  z.object({ type: z.literal('dir'), name: ObjectName, targetPath: AbsPath }),
  z.object({
    type: z.literal('fs'),
    name: ObjectName,
    device: AbsPath,
    format: z.enum(['auto', 'ext2', 'ext3', 'ext4', 'xfs', 'btrfs', 'vfat']),
    targetPath: AbsPath,
  }),
  z.object({
    type: z.literal('netfs'),
    name: ObjectName,
    host: HostName,
    sourcePath: HostPathField,
    format: z.enum(['auto', 'nfs', 'cifs', 'glusterfs']),
    protocolVersion: z.string().regex(/^\d+(\.\d+)?$/).optional(),
    targetPath: AbsPath,
  }),
  z.object({
    type: z.literal('logical'),
    name: ObjectName,
    /** The LVM volume group; `pool-build` creates it on `devices`. */
    vgName: z.string().min(1).max(127).regex(/^[A-Za-z0-9+_.\-]+$/, 'letters, digits and + _ . -'),
    devices: z.array(AbsPath).max(32),
  }),
  z.object({
    type: z.literal('disk'),
    name: ObjectName,
    device: AbsPath,
    format: z.enum(['dos', 'gpt', 'mac', 'bsd', 'pc98', 'sun', 'lvm2']),
  }),
  z.object({
    type: z.literal('iscsi'),
    name: ObjectName,
    host: HostName,
    port: Port.optional(),
    /** The target's IQN, e.g. iqn.2013-06.com.example:iscsi-pool. */
    target: z.string().min(1).max(223).regex(/^[A-Za-z0-9.:\-]+$/),
    initiator: z.string().min(1).max(223).regex(/^[A-Za-z0-9.:\-]+$/).optional(),
  }),
  z.object({
    type: z.literal('rbd'),
    name: ObjectName,
    monitors: z.array(z.object({ host: HostName, port: Port.optional() })).min(1).max(16),
    cephPool: z.string().min(1).max(200).regex(/^[A-Za-z0-9_.\-]+$/),
    auth: z.object({ username: z.string().min(1).max(200).regex(/^[A-Za-z0-9_.\-]+$/), secretUuid: DomainUuid }).optional(),
  }),
  z.object({
    type: z.literal('gluster'),
    name: ObjectName,
    host: HostName,
    volume: z.string().min(1).max(200).regex(/^[A-Za-z0-9_.\-]+$/),
    dir: HostPathField.optional(),
  }),
]);
export type PoolSpec = z.infer<typeof PoolSpec>;
export type PoolSpecType = PoolSpec['type'];
export const poolSpecTypes = ['dir', 'fs', 'netfs', 'logical', 'disk', 'iscsi', 'rbd', 'gluster'] as const satisfies readonly PoolSpecType[];

export const VolumeFormat = z.enum(['qcow2', 'raw']);
export type VolumeFormat = z.infer<typeof VolumeFormat>;

/** none: sparse; metadata: qcow2 tables up front (--prealloc-metadata); full: every byte allocated. */
export const Preallocation = z.enum(['none', 'metadata', 'full']);
export type Preallocation = z.infer<typeof Preallocation>;

export const VolumeSpec = z
  .object({
    name: ObjectName,
    format: VolumeFormat,
    capacity: Bytes.min(1),
    preallocation: Preallocation.default('none'),
    /** Path of the backing volume (qcow2 only): the new volume starts as its copy-on-write overlay. */
    backingPath: HostPathField.optional(),
    backingFormat: z.string().regex(/^[a-z0-9]+$/).optional(),
  })
  .refine((s) => s.format === 'qcow2' || s.preallocation !== 'metadata', { message: 'metadata preallocation needs qcow2', path: ['preallocation'] })
  .refine((s) => s.format === 'qcow2' || s.backingPath === undefined, { message: 'a backing volume needs qcow2', path: ['backingPath'] });
export type VolumeSpec = z.input<typeof VolumeSpec>;
/** After validation (defaults applied), as the backend sees it. */
export type VolumeSpecValue = z.output<typeof VolumeSpec>;

export const TransferState = z.enum(['running', 'done', 'failed', 'cancelled']);
export type TransferState = z.infer<typeof TransferState>;

/** An upload into a pool or a download to this computer, as progress and outcome events carry it. */
export const Transfer = z.object({
  transferId: z.string(),
  hostId: z.string(),
  direction: z.enum(['upload', 'download']),
  poolUuid: ObjectUuid,
  volume: z.string(),
  localPath: z.string(),
  bytesDone: Bytes,
  bytesTotal: Bytes.nullable(),
  state: TransferState,
  startedAt: z.number(),
  finishedAt: z.number().optional(),
  error: z.object({ code: z.string(), message: z.string(), noSpace: z.boolean().optional() }).optional(),
});
export type Transfer = z.infer<typeof Transfer>;
