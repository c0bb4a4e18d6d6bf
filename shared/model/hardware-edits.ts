/**
 * What the hardware forms send: one form's change (HardwareEdit), a new device (NewDevice), and
 * what applying it did (EditResult). Only fields present are changed; everything else in the XML
 * is kept. Field names follow libvirt's XML (https://libvirt.org/formatdomain.html).
 */
import { z } from 'zod';

const str = z.string();
const opt = <T extends z.ZodType>(t: T) => t.optional();

/** A device's address in the XML: its element name and index among siblings of that name ("disk[1]"). */
export const DeviceId = z.string().regex(/^[a-z][a-z_-]{0,31}\[\d{1,4}\]$/);
export type DeviceId = z.infer<typeof DeviceId>;

// ---- edits ----------------------------------------------------------------------------------

const kib = z.number().int().min(1).max(2 ** 50);
const name = z.string().max(256);

export const InputType = z.enum(['tablet', 'mouse', 'keyboard']);
export const InputBus = z.enum(['usb', 'ps2', 'virtio']);

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
    /**
     * Per-device boot order: these devices boot in this order (<boot order='N'/> on each), every
     * other device loses its <boot>, and <os><boot dev=…> goes (libvirt refuses both at once).
     * bootDevs does the reverse: it removes every per-device <boot>.
     */
    deviceOrder: opt(z.array(DeviceId).max(64)),
    /** An explicit UEFI loader / NVRAM file; '' removes it (back to auto-selection). */
    loader: opt(z.string().max(4096)),
    nvram: opt(z.string().max(4096)),
    kernel: opt(z.string().max(4096)),
    initrd: opt(z.string().max(4096)),
    cmdline: opt(z.string().max(4096)),
  }).strict(),
  z.object({ kind: z.literal('events'), onPoweroff: opt(name), onReboot: opt(name), onCrash: opt(name) }).strict(),
  z.object({
    kind: z.literal('disk'),
    id: DeviceId,
    /** Where the data is: a host file, a block device, or a volume of a storage pool (pool + volume). */
    sourceType: opt(z.enum(['file', 'block', 'volume'])),
    /** The file or block device path ('' removes the source: an empty CD-ROM). */
    source: opt(z.string().max(4096)),
    pool: opt(name),
    volume: opt(name),
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
  /** `vram` in KiB (null: the model's default); `heads`: displays the card drives. */
  z.object({
    kind: z.literal('video'),
    id: DeviceId,
    model: opt(z.enum(['virtio', 'qxl', 'vga', 'cirrus', 'bochs', 'ramfb', 'none'])),
    vram: opt(z.number().int().min(1024).max(4 * 1024 * 1024).nullable()),
    heads: opt(z.number().int().min(1).max(16)),
  }).strict(),
  z.object({ kind: z.literal('sound'), id: DeviceId, model: z.enum(['ich6', 'ich9', 'ac97', 'es1370', 'sb16', 'usb']) }).strict(),
  z.object({ kind: z.literal('watchdog'), id: DeviceId, model: opt(z.enum(['i6300esb', 'ib700', 'itco', 'diag288'])), action: opt(z.enum(['reset', 'shutdown', 'poweroff', 'pause', 'none', 'dump', 'inject-nmi'])) }).strict(),
  z.object({ kind: z.literal('rng'), id: DeviceId, backend: z.string().max(4096) }).strict(),
  /** `version` is the emulated TPM's (backend type 'emulator' only). */
  z.object({ kind: z.literal('tpm'), id: DeviceId, model: opt(z.enum(['tpm-tis', 'tpm-crb', 'tpm-spapr', 'spapr-tpm-proxy'])), version: opt(z.enum(['1.2', '2.0'])) }).strict(),
  z.object({ kind: z.literal('memballoon'), id: DeviceId, model: opt(z.enum(['virtio', 'none'])), statsPeriod: opt(z.number().int().min(0).max(86400).nullable()) }).strict(),
  z.object({ kind: z.literal('controller'), id: DeviceId, model: name }).strict(),
  z.object({ kind: z.literal('filesystem'), id: DeviceId, source: opt(z.string().max(4096)), target: opt(name), driver: opt(z.enum(['virtiofs', 'path', 'handle', 'loop', 'nbd'])), readonly: opt(z.boolean()) }).strict(),
  /**
   * Serial/parallel/console/channel. `type` changes the backend (its old source goes); `source`
   * is the file or socket path, or host:port for TCP (a listening server, raw protocol).
   */
  z.object({ kind: z.literal('char'), id: DeviceId, targetType: opt(name), sourcePath: opt(z.string().max(4096)), type: opt(z.enum(['pty', 'file', 'tcp', 'unix'])), source: opt(z.string().max(4096)) }).strict(),
  /** managed='yes': libvirt detaches the device from its host driver on start and gives it back after. */
  z.object({ kind: z.literal('hostdev'), id: DeviceId, managed: opt(z.boolean()) }).strict(),
  z.object({ kind: z.literal('input'), id: DeviceId, type: opt(InputType), bus: opt(InputBus) }).strict(),
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
  z.object({ kind: z.literal('input'), type: InputType.default('tablet'), bus: InputBus.default('usb') }),
  z.object({ kind: z.literal('watchdog'), model: z.enum(['i6300esb', 'ib700', 'itco']).default('i6300esb'), action: z.enum(['reset', 'shutdown', 'poweroff', 'pause', 'none', 'dump', 'inject-nmi']).default('reset') }),
  /** An emulated TPM (swtpm on the host). */
  z.object({ kind: z.literal('tpm'), model: z.enum(['tpm-tis', 'tpm-crb']).default('tpm-crb'), version: z.enum(['2.0', '1.2']).default('2.0') }),
  z.object({ kind: z.literal('sound'), model: z.enum(['ich9', 'ich6', 'ac97', 'usb']).default('ich9') }),
  /** The qemu-guest-agent channel (org.qemu.guest_agent.0) or the SPICE agent's (com.redhat.spice.0). */
  z.object({ kind: z.literal('channel'), target: z.enum(['qemu-ga', 'spice']).default('qemu-ga') }),
  /** A host directory shared with the guest: virtiofs (needs shared memory) or 9p (driver 'path'). */
  z.object({ kind: z.literal('filesystem'), driver: z.enum(['virtiofs', 'path']).default('virtiofs'), source: z.string().min(1).max(4096), target: z.string().regex(/^[A-Za-z0-9._-]{1,36}$/), readonly: z.boolean().default(false) }),
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

