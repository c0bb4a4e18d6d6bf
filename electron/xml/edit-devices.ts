/**
 * Edits of one device (by DeviceId), keeping every child and attribute the form does not own.
 * https://libvirt.org/formatdomain.html#devices
 */
import { AppError } from '../../shared/errors';
import type { HardwareEdit } from '../../shared/model/details';
import { attr, child, docOf, elementChildren, ensureChild, h, insertChild, removeChildren, removeElement, setAttr, setText, text, type Element } from './dom';
import type { DomainXml } from './domain-xml';

type DeviceEdit = Extract<HardwareEdit, { id: string }>;
type Edit<K extends DeviceEdit['kind']> = Extract<DeviceEdit, { kind: K }>;

/** libvirt's order of a disk's children, for elements a form adds. */
const DISK_ORDER = ['driver', 'source', 'backingStore', 'target', 'iotune', 'boot', 'readonly', 'shareable', 'serial', 'alias', 'address'];
const IFACE_ORDER = ['mac', 'source', 'virtualport', 'target', 'model', 'driver', 'link', 'boot', 'rom', 'alias', 'address'];

const expectTag = (el: Element, ...tags: string[]) => {
  if (!tags.includes(el.tagName)) throw new AppError('invalid_args', `${el.tagName} cannot be edited as ${tags.join('/')}`);
};

/** Applies a device form's edit to the device it names. */
export function editDevice(x: DomainXml, e: DeviceEdit): void {
  const el = x.device(e.id);
  switch (e.kind) {
    case 'disk':
      expectTag(el, 'disk');
      return editDisk(x, el, e);
    case 'interface':
      expectTag(el, 'interface');
      return editInterface(el, e);
    case 'graphics':
      expectTag(el, 'graphics');
      return editGraphics(el, e);
    case 'video':
      expectTag(el, 'video');
      return editVideo(el, e);
    case 'sound':
      expectTag(el, 'sound');
      return setAttr(el, 'model', e.model);
    case 'watchdog':
      expectTag(el, 'watchdog');
      if (e.model !== undefined) setAttr(el, 'model', e.model);
      if (e.action !== undefined) setAttr(el, 'action', e.action);
      return;
    case 'rng': {
      expectTag(el, 'rng');
      const backend = child(el, 'backend');
      if (!backend || attr(backend, 'model') !== 'random') throw new AppError('unsupported', 'only a random-device backend (/dev/urandom, /dev/random) can be edited here; use the XML tab');
      if (text(backend)?.trim() !== e.backend) setText(backend, e.backend);
      return;
    }
    case 'tpm': {
      expectTag(el, 'tpm');
      if (e.model !== undefined) setAttr(el, 'model', e.model);
      if (e.version === undefined) return;
      const backend = child(el, 'backend');
      // A passthrough TPM is the host's own chip: its version is not ours to choose.
      if (!backend || attr(backend, 'type') !== 'emulator') throw new AppError('unsupported', 'only an emulated TPM has a version to choose; use the XML tab');
      if (attr(backend, 'version') !== e.version) setAttr(backend, 'version', e.version);
      return;
    }
    case 'memballoon':
      expectTag(el, 'memballoon');
      if (e.model !== undefined) setAttr(el, 'model', e.model);
      if (e.statsPeriod === null) removeChildren(el, 'stats');
      else if (e.statsPeriod !== undefined) setAttr(ensureChild(el, 'stats', ['stats', 'alias', 'address']), 'period', e.statsPeriod);
      return;
    case 'controller':
      expectTag(el, 'controller');
      return setAttr(el, 'model', e.model);
    case 'filesystem': {
      expectTag(el, 'filesystem');
      if (e.driver !== undefined) setAttr(ensureChild(el, 'driver', ['driver', 'binary', 'source', 'target']), 'type', e.driver);
      if (e.source !== undefined) setAttr(ensureChild(el, 'source', ['driver', 'binary', 'source', 'target']), attr(el, 'type') === 'file' ? 'file' : 'dir', e.source);
      if (e.target !== undefined) setAttr(ensureChild(el, 'target', ['driver', 'binary', 'source', 'target']), 'dir', e.target);
      if (e.readonly === true) ensureChild(el, 'readonly');
      if (e.readonly === false) removeChildren(el, 'readonly');
      return;
    }
    case 'char': {
      expectTag(el, 'serial', 'console', 'parallel', 'channel');
      if (e.targetType !== undefined) setAttr(ensureChild(el, 'target'), 'type', e.targetType);
      if (e.sourcePath !== undefined) setAttr(ensureChild(el, 'source', CHAR_ORDER), 'path', e.sourcePath);
      return editCharBackend(el, e);
    }
    case 'hostdev':
      expectTag(el, 'hostdev');
      // libvirt writes managed='no' only when asked; absent means no too.
      if (e.managed !== undefined && (attr(el, 'managed') === 'yes') !== e.managed) setAttr(el, 'managed', e.managed ? 'yes' : 'no');
      return;
    case 'input':
      expectTag(el, 'input');
      return editInput(el, e);
  }
}

function editVideo(el: Element, e: Edit<'video'>): void {
  const model = ensureChild(el, 'model');
  if (e.model !== undefined && attr(model, 'type') !== e.model) {
    setAttr(model, 'type', e.model);
    // Sizes of qxl's memory bars mean nothing to other models (and some reject them).
    for (const a of ['ram', 'vram64', 'vgamem']) setAttr(model, a, undefined);
    if (e.model !== 'qxl') setAttr(model, 'vram', undefined);
  }
  if (e.vram !== undefined && attr(model, 'vram') !== (e.vram === null ? undefined : String(e.vram))) setAttr(model, 'vram', e.vram ?? undefined);
  if (e.heads !== undefined && attr(model, 'heads') !== String(e.heads)) setAttr(model, 'heads', e.heads);
}

/** The target name prefix libvirt expects per bus: vda, sda, hda, xvda. */
export function targetPrefix(bus: string): string {
  return bus === 'virtio' ? 'vd' : bus === 'ide' ? 'hd' : bus === 'xen' ? 'xvd' : bus === 'fdc' ? 'fd' : 'sd';
}

/** vda, vdb … vdz, vdaa …: libvirt's disk name suffixes. */
export function diskName(prefix: string, index: number): string {
  let s = '';
  let i = index;
  do {
    s = String.fromCharCode(97 + (i % 26)) + s;
    i = Math.floor(i / 26) - 1;
  } while (i >= 0);
  return prefix + s;
}

/**
 * A disk put on another image file (a restored or converted copy): a file disk whose source is
 * that path only (child elements of <source> stay), no <backingStore> (the new image's chain is
 * libvirt's to read), and the image's format on its driver (a qcow2 read as raw would boot garbage).
 */
export function pointDiskAtFile(el: Element, path: string, format: string): void {
  expectTag(el, 'disk');
  setAttr(el, 'type', 'file');
  const src = ensureChild(el, 'source', DISK_ORDER);
  for (const a of ['dev', 'dir', 'pool', 'volume', 'name', 'protocol', 'mode']) src.removeAttribute(a);
  setAttr(src, 'file', path);
  removeChildren(el, 'backingStore');
  setAttr(child(el, 'driver') ?? insertChild(el, h(docOf(el), 'driver', { name: 'qemu' }), DISK_ORDER), 'type', format);
}

/** The first free target name with that prefix among the VM's disks. */
export function freeTarget(x: DomainXml, prefix: string, except?: Element): string {
  const used = new Set(elementChildren(x.devices ?? x.root, 'disk').filter((d) => d !== except).map((d) => attr(child(d, 'target'), 'dev')));
  for (let i = 0; ; i++) if (!used.has(diskName(prefix, i))) return diskName(prefix, i);
}

function editDisk(x: DomainXml, el: Element, e: Edit<'disk'>): void {
  if (e.sourceType !== undefined && e.sourceType !== attr(el, 'type')) {
    // The source's attributes differ per type (file= / dev= / pool= volume=): the old one goes.
    setAttr(el, 'type', e.sourceType);
    removeChildren(el, 'source');
  }
  if (attr(el, 'type') === 'volume' && (e.pool !== undefined || e.volume !== undefined)) {
    const src = ensureChild(el, 'source', DISK_ORDER);
    if (e.pool !== undefined) setAttr(src, 'pool', e.pool);
    if (e.volume !== undefined) setAttr(src, 'volume', e.volume);
  }
  if (e.source !== undefined) {
    const type = attr(el, 'type') ?? 'file';
    const key = type === 'block' ? 'dev' : type === 'dir' ? 'dir' : type === 'file' ? 'file' : undefined;
    if (!key) throw new AppError('unsupported', `a ${type} disk's source is edited in the XML tab`);
    if (e.source === '') removeChildren(el, 'source');
    else setAttr(ensureChild(el, 'source', DISK_ORDER), key, e.source);
  }
  if (e.bus !== undefined) {
    const target = ensureChild(el, 'target', DISK_ORDER);
    if (attr(target, 'bus') !== e.bus) {
      setAttr(target, 'bus', e.bus);
      // The old name and controller address belong to the old bus: libvirt assigns a new address.
      const dev = attr(target, 'dev') ?? '';
      if (!dev.startsWith(targetPrefix(e.bus))) setAttr(target, 'dev', freeTarget(x, targetPrefix(e.bus), el));
      removeChildren(el, 'address');
    }
  }
  const driverAttr = (name: string, value: string | undefined) => {
    if (value === undefined) return;
    const driver = child(el, 'driver');
    if (value === 'default') return driver ? setAttr(driver, name, undefined) : undefined;
    const d = driver ?? insertChild(el, h(x.doc, 'driver', { name: 'qemu' }), DISK_ORDER);
    setAttr(d, name, value);
  };
  driverAttr('cache', e.cache);
  driverAttr('io', e.io);
  driverAttr('type', e.format);
  for (const flag of ['readonly', 'shareable'] as const) {
    if (e[flag] === true) ensureChild(el, flag, DISK_ORDER);
    if (e[flag] === false) removeChildren(el, flag);
  }
}

function editInterface(el: Element, e: Edit<'interface'>): void {
  const doc = docOf(el);
  const type = e.type ?? attr(el, 'type') ?? 'network';
  if (e.type !== undefined && e.type !== attr(el, 'type')) {
    setAttr(el, 'type', e.type);
    // A source of one type means nothing for another (network= vs bridge= vs dev=).
    removeChildren(el, 'source');
    removeChildren(el, 'virtualport');
  }
  if (e.source !== undefined || e.sourceMode !== undefined) {
    if (type === 'user') removeChildren(el, 'source');
    else {
      const key = type === 'network' ? 'network' : type === 'bridge' ? 'bridge' : 'dev';
      const src = child(el, 'source') ?? insertChild(el, h(doc, 'source'), IFACE_ORDER);
      if (e.source !== undefined) setAttr(src, key, e.source);
      if (type === 'direct') setAttr(src, 'mode', e.sourceMode ?? attr(src, 'mode') ?? 'bridge');
    }
  }
  if (e.model !== undefined) setAttr(ensureChild(el, 'model', IFACE_ORDER), 'type', e.model);
  if (e.mac !== undefined) setAttr(ensureChild(el, 'mac', IFACE_ORDER), 'address', e.mac.toLowerCase());
  if (e.linkState !== undefined) {
    if (e.linkState === 'up' && !child(el, 'link')) return;
    setAttr(ensureChild(el, 'link', IFACE_ORDER), 'state', e.linkState);
  }
}

function editGraphics(el: Element, e: Edit<'graphics'>): void {
  if (e.type !== undefined && e.type !== attr(el, 'type')) {
    setAttr(el, 'type', e.type);
    // SPICE-only settings would make a VNC definition invalid.
    if (e.type === 'vnc') {
      setAttr(el, 'tlsPort', undefined);
      setAttr(el, 'defaultMode', undefined);
      for (const tag of ['channel', 'image', 'jpeg', 'zlib', 'playback', 'streaming', 'clipboard', 'mouse', 'filetransfer', 'gl']) removeChildren(el, tag);
    }
  }
  if (e.listen !== undefined) {
    const listen = child(el, 'listen');
    if (el.hasAttribute('listen') || !listen) setAttr(el, 'listen', e.listen === '' ? undefined : e.listen);
    if (listen && attr(listen, 'type') === 'address') {
      if (e.listen === '') removeElement(listen);
      else setAttr(listen, 'address', e.listen);
    }
  }
  if (e.port === null) {
    setAttr(el, 'port', '-1');
    setAttr(el, 'autoport', 'yes');
  } else if (e.port !== undefined) {
    setAttr(el, 'port', e.port);
    setAttr(el, 'autoport', 'no');
  }
  if (e.password !== undefined) setAttr(el, 'passwd', e.password === '' ? undefined : e.password);
}

/**
 * An input device's type and bus. The PS/2 bus has only a mouse and a keyboard, and a tablet
 * needs USB or virtio; the address of the old bus means nothing on the new one.
 * https://libvirt.org/formatdomain.html#input-devices
 */
function editInput(el: Element, e: Edit<'input'>): void {
  const type = e.type ?? attr(el, 'type');
  const bus = e.bus ?? attr(el, 'bus');
  if (type === 'tablet' && bus === 'ps2') throw new AppError('invalid_args', 'a tablet cannot sit on the PS/2 bus; choose USB or virtio');
  if (e.type !== undefined) setAttr(el, 'type', e.type);
  if (e.bus !== undefined && e.bus !== attr(el, 'bus')) {
    setAttr(el, 'bus', e.bus);
    removeChildren(el, 'address');
  }
}

const CHAR_ORDER = ['source', 'protocol', 'log', 'target', 'alias', 'address'];

/**
 * A character device's backend: pty, a file, a TCP server (host:port, raw) or a unix socket.
 * https://libvirt.org/formatdomain.html#relationship-between-serial-ports-and-consoles
 */
function editCharBackend(el: Element, e: Edit<'char'>): void {
  const doc = docOf(el);
  if (e.type !== undefined && e.type !== attr(el, 'type')) {
    setAttr(el, 'type', e.type);
    // A source of one backend means nothing for another; a pty's path is chosen by libvirt.
    removeChildren(el, 'source');
    removeChildren(el, 'protocol');
    setAttr(el, 'tty', undefined);
  }
  if (e.source === undefined) return;
  const type = attr(el, 'type');
  if (type === 'pty') return;
  removeChildren(el, 'source');
  removeChildren(el, 'protocol');
  if (type === 'tcp') {
    const m = /^(.*):(\d{1,5})$/.exec(e.source.trim());
    if (!m) throw new AppError('invalid_args', 'a TCP serial port needs host:port, e.g. 127.0.0.1:4555');
    insertChild(el, h(doc, 'source', { mode: 'bind', host: m[1] || '127.0.0.1', service: m[2] }), CHAR_ORDER);
    insertChild(el, h(doc, 'protocol', { type: 'raw' }), CHAR_ORDER);
  } else insertChild(el, h(doc, 'source', { ...(type === 'unix' ? { mode: 'bind' } : {}), path: e.source.trim() }), CHAR_ORDER);
}
