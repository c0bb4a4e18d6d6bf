/**
 * A VM's configuration as the details view shows it: the typed reading of its domain XML
 * (electron/xml reads it; nothing here is parsed in the renderer), and the edits the hardware
 * forms send back. Field names follow libvirt's XML (https://libvirt.org/formatdomain.html).
 */
import { z } from 'zod';
import { DomainState, DomainUuid } from './domain';
import { DeviceId } from './hardware-edits';
import { lenientList, Problems } from './lenient';

// The forms' edits and new devices live in hardware-edits.ts (re-exported here).
export * from './hardware-edits';

const str = z.string();
const opt = <T extends z.ZodType>(t: T) => t.optional();


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
  bootOrder: opt(z.number()),
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
  cause: z.enum(['xml', 'hardware', 'restore', 'media', 'advisor', 'template']),
  summary: str,
  xml: str,
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

export const NodeDeviceInfo = z.object({
  name: str,
  bus: z.enum(['usb', 'pci']),
  /** "046d:c52b Logitech USB Receiver" / "0000:00:03.0 Intel Corporation …". */
  label: str,
  problems: Problems,
});
export type NodeDeviceInfo = z.infer<typeof NodeDeviceInfo>;
export const NodeDeviceList = lenientList(NodeDeviceInfo, { label: '' });
