/**
 * A VM's configuration as the details view shows it: the typed reading of its domain XML
 * (electron/xml reads it; nothing here is parsed in the renderer), and the edits the hardware
 * forms send back. Field names follow libvirt's XML (https://libvirt.org/formatdomain.html).
 */
import { z } from 'zod';
import { DomainState, DomainUuid } from './domain';

const str = z.string();
const opt = <T extends z.ZodType>(t: T) => t.optional();

/** A device's address in the XML: its element name and index among siblings of that name ("disk[1]"). */
export const DeviceId = z.string().regex(/^[a-z][a-z_-]{0,31}\[\d{1,4}\]$/);
export type DeviceId = z.infer<typeof DeviceId>;

const base = { id: DeviceId, alias: opt(str) };

export const DiskDevice = z.object({
  ...base,
  kind: z.literal('disk'),
  type: str, // file | block | network | volume | dir
  device: str, // disk | cdrom | floppy | lun
  /** The file, block device, directory, network name or pool/volume, whichever the type uses. */
  source: opt(str),
  pool: opt(str),
  volume: opt(str),
  protocol: opt(str),
  format: opt(str), // <driver type=…>
  cache: opt(str),
  io: opt(str),
  discard: opt(str),
  bus: opt(str),
  target: opt(str),
  readonly: z.boolean(),
  shareable: z.boolean(),
  bootOrder: opt(z.number()),
  serial: opt(str),
});
export const InterfaceDevice = z.object({
  ...base,
  kind: z.literal('interface'),
  type: str, // network | bridge | direct | user | vhostuser | ethernet | hostdev …
  source: opt(str),
  sourceMode: opt(str),
  mac: opt(str),
  model: opt(str),
  virtualport: opt(str),
  linkState: opt(str),
  target: opt(str),
  bootOrder: opt(z.number()),
});
export const GraphicsDevice = z.object({
  ...base,
  kind: z.literal('graphics'),
  type: str,
  port: opt(z.number()),
  autoport: z.boolean(),
  listen: opt(str),
  /** Only whether one is set: libvirt leaves passwords out of XML read without --security-info. */
  hasPassword: z.boolean(),
  keymap: opt(str),
});
export const CharDevice = z.object({
  ...base,
  kind: z.enum(['serial', 'console', 'parallel', 'channel']),
  type: str, // pty | tcp | file | unix | spicevmc | …
  targetType: opt(str),
  targetName: opt(str),
  targetPort: opt(z.number()),
  /** Path, host:port or pty device, whichever the type uses. */
  source: opt(str),
});
export const VideoDevice = z.object({ ...base, kind: z.literal('video'), model: opt(str), vram: opt(z.number()), heads: opt(z.number()), primary: z.boolean() });
export const SoundDevice = z.object({ ...base, kind: z.literal('sound'), model: opt(str) });
export const RngDevice = z.object({ ...base, kind: z.literal('rng'), model: opt(str), backendModel: opt(str), backend: opt(str) });
export const TpmDevice = z.object({ ...base, kind: z.literal('tpm'), model: opt(str), backendType: opt(str), version: opt(str), devicePath: opt(str) });
export const WatchdogDevice = z.object({ ...base, kind: z.literal('watchdog'), model: opt(str), action: opt(str) });
export const ControllerDevice = z.object({ ...base, kind: z.literal('controller'), type: str, model: opt(str), index: opt(z.number()) });
export const FilesystemDevice = z.object({
  ...base,
  kind: z.literal('filesystem'),
  type: str,
  driver: opt(str), // virtiofs | path | …
  accessmode: opt(str),
  source: opt(str),
  target: opt(str),
  readonly: z.boolean(),
});
export const HostdevDevice = z.object({
  ...base,
  kind: z.literal('hostdev'),
  mode: str,
  type: str, // pci | usb | scsi | mdev …
  managed: z.boolean(),
  /** "0000:00:03.0", "046d:c52b", "bus 1 device 4", an mdev UUID… */
  address: opt(str),
  vendor: opt(str),
  product: opt(str),
});
export const MemballoonDevice = z.object({ ...base, kind: z.literal('memballoon'), model: opt(str), statsPeriod: opt(z.number()), autodeflate: z.boolean() });
export const InputDevice = z.object({ ...base, kind: z.literal('input'), type: str, bus: opt(str) });
/** Anything else under <devices> (redirdev, panic, vsock, iommu, smartcard…): shown, kept, removable. */
export const OtherDevice = z.object({ ...base, kind: z.literal('other'), tag: str, type: opt(str), model: opt(str) });

export const Device = z.discriminatedUnion('kind', [
  DiskDevice,
  InterfaceDevice,
  GraphicsDevice,
  CharDevice,
  VideoDevice,
  SoundDevice,
  RngDevice,
  TpmDevice,
  WatchdogDevice,
  ControllerDevice,
  FilesystemDevice,
  HostdevDevice,
  MemballoonDevice,
  InputDevice,
  OtherDevice,
]);
export type Device = z.infer<typeof Device>;
export type DeviceKind = Device['kind'];
export type DiskDevice = z.infer<typeof DiskDevice>;
export type InterfaceDevice = z.infer<typeof InterfaceDevice>;

export const CpuConfig = z.object({
  /** host-passthrough | host-model | custom | maximum; absent = hypervisor default. */
  mode: opt(str),
  model: opt(str),
  match: opt(str),
  topology: opt(z.object({ sockets: z.number(), dies: opt(z.number()), cores: z.number(), threads: z.number() })),
  features: z.array(z.object({ name: str, policy: opt(str) })),
});

export const DomainConfig = z.object({
  type: str, // kvm | qemu | test | xen …
  name: str,
  uuid: str,
  title: opt(str),
  description: opt(str),
  memory: z.object({
    maxKiB: z.number(), // <memory>
    currentKiB: z.number(), // <currentMemory>
    hotplugMaxKiB: opt(z.number()), // <maxMemory>
    hardLimitKiB: opt(z.number()),
    softLimitKiB: opt(z.number()),
    swapHardLimitKiB: opt(z.number()),
    minGuaranteeKiB: opt(z.number()),
    hugepages: z.boolean(),
    sharedAccess: z.boolean(),
  }),
  vcpu: z.object({ max: z.number(), current: z.number(), placement: opt(str), cpuset: opt(str) }),
  cpu: CpuConfig,
  os: z.object({
    type: opt(str),
    arch: opt(str),
    machine: opt(str),
    /** <os firmware='efi'> (auto-selection) or what the loader implies: 'efi' | 'bios'. */
    firmware: opt(str),
    loader: opt(z.object({ path: opt(str), readonly: opt(z.boolean()), type: opt(str), secure: opt(z.boolean()) })),
    nvram: opt(z.object({ path: opt(str), template: opt(str) })),
    /** <os><boot dev=…> in order; per-device <boot order=…> is on the devices. */
    bootDevs: z.array(str),
    bootMenu: z.boolean(),
    bootMenuTimeoutMs: opt(z.number()),
    kernel: opt(str),
    initrd: opt(str),
    cmdline: opt(str),
    dtb: opt(str),
  }),
  features: z.array(str),
  clock: z.object({ offset: opt(str), timers: z.array(z.object({ name: str, present: opt(z.boolean()), tickpolicy: opt(str) })) }),
  events: z.object({ onPoweroff: opt(str), onReboot: opt(str), onCrash: opt(str), onLockfailure: opt(str) }),
  emulator: opt(str),
  devices: z.array(Device),
});
export type DomainConfig = z.infer<typeof DomainConfig>;

/** What the details view loads: the persistent config, plus the live one while the VM runs. */
export const DomainDetails = z.object({
  uuid: DomainUuid,
  name: str,
  state: DomainState,
  /** virsh's words for why it is in that state: "booted", "user", "shutdown", "saved"… */
  reason: str,
  persistent: z.boolean(),
  autostart: z.boolean(),
  /** The persistent (inactive) config: what forms edit and `define` replaces. */
  config: DomainConfig,
  /** The running VM's config (ports, current media, aliases), null when it does not run. */
  live: DomainConfig.nullable(),
  /** Hash of the inactive XML: edits carry it back, and are refused when the XML changed meanwhile. */
  etag: str,
});
export type DomainDetails = z.infer<typeof DomainDetails>;

// ---- edits ----------------------------------------------------------------------------------

const kib = z.number().int().min(1).max(2 ** 50);
const name = z.string().max(256);

/** One form's change. Only fields present are changed; everything else in the XML is kept. */
export const HardwareEdit = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('general'), title: opt(z.string().max(4096)), description: opt(z.string().max(65536)) }).strict(),
  z.object({ kind: z.literal('vcpus'), max: z.number().int().min(1).max(4096), current: z.number().int().min(1).max(4096), placement: opt(z.enum(['static', 'auto'])), cpuset: opt(z.string().regex(/^[0-9,^\- ]*$/).max(256)) }).strict(),
  z.object({
    kind: z.literal('cpu'),
    mode: z.enum(['host-passthrough', 'host-model', 'custom', 'maximum', 'default']),
    model: opt(name),
    topology: opt(z.object({ sockets: z.number().int().min(1), cores: z.number().int().min(1), threads: z.number().int().min(1) }).strict().nullable()),
  }).strict(),
  z.object({
    kind: z.literal('memory'),
    maxKiB: kib,
    currentKiB: kib,
    /** null removes the limit. */
    hardLimitKiB: opt(kib.nullable()),
    softLimitKiB: opt(kib.nullable()),
    swapHardLimitKiB: opt(kib.nullable()),
    hugepages: opt(z.boolean()),
  }).strict(),
  z.object({
    kind: z.literal('boot'),
    /** <os><boot dev=…> order, e.g. ['hd', 'cdrom']; devices with their own <boot order> are left alone. */
    bootDevs: opt(z.array(z.enum(['hd', 'cdrom', 'network', 'fd'])).max(4)),
    bootMenu: opt(z.boolean()),
    firmware: opt(z.enum(['bios', 'efi'])),
    kernel: opt(z.string().max(4096)),
    initrd: opt(z.string().max(4096)),
    cmdline: opt(z.string().max(4096)),
  }).strict(),
  z.object({ kind: z.literal('events'), onPoweroff: opt(name), onReboot: opt(name), onCrash: opt(name) }).strict(),
  z.object({
    kind: z.literal('disk'),
    id: DeviceId,
    source: opt(z.string().max(4096)),
    bus: opt(z.enum(['virtio', 'sata', 'scsi', 'ide', 'usb', 'fdc', 'xen'])),
    cache: opt(z.enum(['default', 'none', 'writethrough', 'writeback', 'directsync', 'unsafe'])),
    io: opt(z.enum(['default', 'native', 'threads', 'io_uring'])),
    format: opt(z.enum(['raw', 'qcow2', 'qed', 'vmdk', 'vdi', 'iso'])),
    readonly: opt(z.boolean()),
    shareable: opt(z.boolean()),
  }).strict(),
  z.object({
    kind: z.literal('interface'),
    id: DeviceId,
    type: opt(z.enum(['network', 'bridge', 'direct', 'user'])),
    source: opt(name),
    sourceMode: opt(z.enum(['bridge', 'vepa', 'private', 'passthrough'])),
    model: opt(z.enum(['virtio', 'e1000', 'e1000e', 'rtl8139', 'vmxnet3'])),
    mac: opt(z.string().regex(/^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/)),
    linkState: opt(z.enum(['up', 'down'])),
  }).strict(),
  z.object({
    kind: z.literal('graphics'),
    id: DeviceId,
    type: opt(z.enum(['vnc', 'spice'])),
    listen: opt(z.string().max(256)),
    /** null = autoport. */
    port: opt(z.number().int().min(5900).max(65535).nullable()),
    /** '' removes the password. */
    password: opt(z.string().max(256)),
  }).strict(),
  z.object({ kind: z.literal('video'), id: DeviceId, model: z.enum(['virtio', 'qxl', 'vga', 'cirrus', 'bochs', 'ramfb', 'none']) }).strict(),
  z.object({ kind: z.literal('sound'), id: DeviceId, model: z.enum(['ich6', 'ich9', 'ac97', 'es1370', 'sb16', 'usb']) }).strict(),
  z.object({ kind: z.literal('watchdog'), id: DeviceId, model: opt(z.enum(['i6300esb', 'ib700', 'itco', 'diag288'])), action: opt(z.enum(['reset', 'shutdown', 'poweroff', 'pause', 'none', 'dump', 'inject-nmi'])) }).strict(),
  z.object({ kind: z.literal('rng'), id: DeviceId, backend: z.string().max(4096) }).strict(),
  z.object({ kind: z.literal('tpm'), id: DeviceId, model: z.enum(['tpm-tis', 'tpm-crb', 'tpm-spapr', 'spapr-tpm-proxy']) }).strict(),
  z.object({ kind: z.literal('memballoon'), id: DeviceId, model: opt(z.enum(['virtio', 'none'])), statsPeriod: opt(z.number().int().min(0).max(86400).nullable()) }).strict(),
  z.object({ kind: z.literal('controller'), id: DeviceId, model: name }).strict(),
  z.object({ kind: z.literal('filesystem'), id: DeviceId, source: opt(z.string().max(4096)), target: opt(name), driver: opt(z.enum(['virtiofs', 'path', 'handle', 'loop', 'nbd'])), readonly: opt(z.boolean()) }).strict(),
  z.object({ kind: z.literal('char'), id: DeviceId, targetType: opt(name), sourcePath: opt(z.string().max(4096)) }).strict(),
]);
export type HardwareEdit = z.infer<typeof HardwareEdit>;

/** Hardware the "Add hardware" dialog creates. */
export const NewDevice = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('disk'),
    device: z.enum(['disk', 'cdrom']).default('disk'),
    /** An existing file/block device on the host, or a new qcow2 volume in a pool. */
    source: z.discriminatedUnion('type', [
      z.object({ type: z.literal('path'), path: z.string().min(1).max(4096) }),
      z.object({ type: z.literal('new-volume'), pool: name.min(1), name: z.string().regex(/^[A-Za-z0-9._+-]{1,200}$/), sizeGiB: z.number().positive().max(65536) }),
      z.object({ type: z.literal('none') }),
    ]),
    bus: z.enum(['virtio', 'sata', 'scsi', 'ide', 'usb']).default('virtio'),
    format: opt(z.enum(['raw', 'qcow2', 'iso'])),
  }),
  z.object({
    kind: z.literal('interface'),
    type: z.enum(['network', 'bridge', 'direct', 'user']),
    source: opt(name),
    model: z.enum(['virtio', 'e1000', 'e1000e', 'rtl8139']).default('virtio'),
    mac: opt(z.string().regex(/^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/)),
  }),
  z.object({ kind: z.literal('serial'), type: z.enum(['pty', 'file', 'tcp']).default('pty'), path: opt(z.string().max(4096)) }),
  z.object({ kind: z.literal('rng'), backend: z.string().max(4096).default('/dev/urandom') }),
  z.object({ kind: z.literal('hostdev'), bus: z.enum(['usb', 'pci']), /** libvirt node device name from nodedev-list. */ nodedev: z.string().regex(/^[A-Za-z0-9_:.-]{1,200}$/) }),
]);
export type NewDevice = z.infer<typeof NewDevice>;
export type NewDeviceInput = z.input<typeof NewDevice>;

/** What an edit did: always the persistent config; the running VM too when asked and possible. */
export const EditResult = z.object({
  etag: str,
  /** The VM runs and the change was also applied to it. */
  liveApplied: z.boolean(),
  /** The VM runs and (part of) the change waits for its next boot. */
  needsRestart: z.boolean(),
  /** Why applying to the running VM failed (virsh's message); the persistent change stands. */
  liveError: opt(str),
});
export type EditResult = z.infer<typeof EditResult>;

export const XmlProblem = z.object({ message: str, line: opt(z.number().int()), column: opt(z.number().int()) });
export type XmlProblem = z.infer<typeof XmlProblem>;

export const XmlValidation = z.object({
  ok: z.boolean(),
  problems: z.array(XmlProblem),
  /** Which checks ran: well-formedness always; the schema when the host has virt-xml-validate. */
  checks: z.array(z.enum(['wellformed', 'identity', 'schema'])),
  /** Set when schema validation was not available on the host (apply still validates). */
  schemaUnavailable: opt(str),
});
export type XmlValidation = z.infer<typeof XmlValidation>;

export const HistoryEntry = z.object({
  id: str,
  at: z.number(),
  /** What replaced this definition: the XML editor, a hardware form, a restore. */
  cause: z.enum(['xml', 'hardware', 'restore', 'media']),
  summary: str,
  xml: str,
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

export const NodeDeviceInfo = z.object({
  name: str,
  bus: z.enum(['usb', 'pci']),
  /** "046d:c52b Logitech USB Receiver" / "0000:00:03.0 Intel Corporation …". */
  label: str,
});
export type NodeDeviceInfo = z.infer<typeof NodeDeviceInfo>;
