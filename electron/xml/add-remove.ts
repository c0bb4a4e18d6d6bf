/**
 * Adding and removing whole devices. New devices are built the way virt-manager writes them and
 * left for libvirt to complete (addresses, controllers, a MAC when none is given).
 * https://libvirt.org/formatdomain.html#devices
 */
import { AppError } from '../../shared/errors';
import type { NewDevice } from '../../shared/model/details';
import { attr, child, elementChildren, ensureChild, h, insertChild, prettify, removeElement, serializeXml, type Element } from './dom';
import { DEVICE_ORDER, DOMAIN_ORDER, type DomainXml } from './domain-xml';
import { freeTarget, targetPrefix } from './edit-devices';
import { deviceIds } from './read-devices';

/** A host device as node-device XML describes it (electron/libvirt/nodedevs.ts). */
export type HostDeviceSource =
  | { bus: 'usb'; vendor: string; product: string }
  | { bus: 'pci'; domain: number; busNo: number; slot: number; function: number };

/** NewDevice with everything the host had to tell first: a new volume's path, a host device's ids. */
export type ResolvedNewDevice =
  | (Extract<NewDevice, { kind: 'disk' }> & { path: string | null })
  | Exclude<NewDevice, { kind: 'disk' | 'hostdev' }>
  | { kind: 'hostdev'; source: HostDeviceSource };

const hex = (n: number, width: number) => `0x${n.toString(16).padStart(width, '0')}`;

export function buildDevice(x: DomainXml, d: ResolvedNewDevice): Element {
  const doc = x.doc;
  switch (d.kind) {
    case 'disk': {
      const cdrom = d.device === 'cdrom';
      const bus = cdrom && d.bus === 'virtio' ? 'sata' : d.bus; // CD-ROMs cannot sit on virtio-blk
      const format = d.format ?? (cdrom ? 'raw' : /\.qcow2$/i.test(d.path ?? '') ? 'qcow2' : 'raw');
      return h(doc, 'disk', { type: 'file', device: d.device }, [
        h(doc, 'driver', { name: 'qemu', type: format === 'iso' ? 'raw' : format }),
        ...(d.path ? [h(doc, 'source', { file: d.path })] : []),
        h(doc, 'target', { dev: freeTarget(x, targetPrefix(bus)), bus }),
        ...(cdrom ? [h(doc, 'readonly')] : []),
      ]);
    }
    case 'interface': {
      const key = d.type === 'network' ? 'network' : d.type === 'bridge' ? 'bridge' : 'dev';
      if (d.type !== 'user' && !d.source) throw new AppError('invalid_args', `a ${d.type} interface needs a source`);
      return h(doc, 'interface', { type: d.type }, [
        ...(d.mac ? [h(doc, 'mac', { address: d.mac.toLowerCase() })] : []),
        ...(d.type === 'user' ? [] : [h(doc, 'source', { [key]: d.source, ...(d.type === 'direct' ? { mode: 'bridge' } : {}) })]),
        h(doc, 'model', { type: d.model }),
      ]);
    }
    case 'serial': {
      const ports = elementChildren(x.devices ?? x.root, 'serial').map((s) => Number(attr(child(s, 'target'), 'port') ?? -1));
      let port = 0;
      while (ports.includes(port)) port++;
      if (d.type !== 'pty' && !d.path) throw new AppError('invalid_args', `a ${d.type} serial port needs a path or host:port`);
      const source =
        d.type === 'file' ? [h(doc, 'source', { path: d.path })]
        : d.type === 'tcp' ? [h(doc, 'source', { mode: 'bind', host: d.path!.replace(/:\d+$/, ''), service: /:(\d+)$/.exec(d.path!)?.[1] ?? '4555' }), h(doc, 'protocol', { type: 'raw' })]
        : [];
      return h(doc, 'serial', { type: d.type }, [...source, h(doc, 'target', { port })]);
    }
    case 'rng':
      return h(doc, 'rng', { model: 'virtio' }, [h(doc, 'backend', { model: 'random' }, [d.backend])]);
    case 'hostdev': {
      const s = d.source;
      const source =
        s.bus === 'usb'
          ? h(doc, 'source', {}, [h(doc, 'vendor', { id: s.vendor }), h(doc, 'product', { id: s.product })])
          : h(doc, 'source', {}, [h(doc, 'address', { domain: hex(s.domain, 4), bus: hex(s.busNo, 2), slot: hex(s.slot, 2), function: hex(s.function, 1) })]);
      return h(doc, 'hostdev', { mode: 'subsystem', type: s.bus, managed: 'yes' }, [source]);
    }
    case 'input':
      if (d.type === 'tablet' && d.bus === 'ps2') throw new AppError('invalid_args', 'a tablet cannot sit on the PS/2 bus; choose USB or virtio');
      return h(doc, 'input', { type: d.type, bus: d.bus });
    case 'watchdog':
      return h(doc, 'watchdog', { model: d.model, action: d.action });
    case 'tpm':
      return h(doc, 'tpm', { model: d.model }, [h(doc, 'backend', { type: 'emulator', version: d.version })]);
    case 'sound':
      return h(doc, 'sound', { model: d.model });
    case 'channel':
      // The qemu-guest-agent's socket path is chosen by libvirt; spicevmc needs SPICE graphics.
      return d.target === 'qemu-ga'
        ? h(doc, 'channel', { type: 'unix' }, [h(doc, 'target', { type: 'virtio', name: 'org.qemu.guest_agent.0' })])
        : h(doc, 'channel', { type: 'spicevmc' }, [h(doc, 'target', { type: 'virtio', name: 'com.redhat.spice.0' })]);
    case 'filesystem':
      if (d.driver === 'virtiofs') shareMemory(x);
      return h(doc, 'filesystem', { type: 'mount', accessmode: d.driver === 'virtiofs' ? 'passthrough' : 'mapped' }, [
        h(doc, 'driver', { type: d.driver }),
        h(doc, 'source', { dir: d.source }),
        h(doc, 'target', { dir: d.target }),
        ...(d.readonly ? [h(doc, 'readonly')] : []),
      ]);
  }
}

const BACKING_ORDER = ['hugepages', 'nosharepages', 'locked', 'source', 'access', 'allocation', 'discard'];

/**
 * virtiofsd maps the guest's memory, so it must be shared: <memoryBacking> with a memfd source
 * and shared access (what virt-manager adds too). An existing source (hugepages/file) is kept.
 * https://libvirt.org/kbase/virtiofs.html
 */
function shareMemory(x: DomainXml): void {
  const backing = child(x.root, 'memoryBacking') ?? insertChild(x.root, h(x.doc, 'memoryBacking'), DOMAIN_ORDER);
  if (!child(backing, 'source')) insertChild(backing, h(x.doc, 'source', { type: 'memfd' }), BACKING_ORDER);
  const access = child(backing, 'access') ?? insertChild(backing, h(x.doc, 'access'), BACKING_ORDER);
  if (attr(access, 'mode') !== 'shared') access.setAttribute('mode', 'shared');
}

/** Adds a device after the last one of its kind (libvirt's order) and returns its id. */
export function addDevice(x: DomainXml, d: ResolvedNewDevice): { id: string; xml: string } {
  const el = buildDevice(x, d);
  const devices = ensureChild(x.root, 'devices', DOMAIN_ORDER);
  const same = elementChildren(devices, el.tagName);
  if (same.length > 0) {
    const last = same[same.length - 1]!;
    const ws = last.previousSibling && last.previousSibling.nodeType === 3 ? last.previousSibling.nodeValue! : '\n    ';
    devices.insertBefore(el, last.nextSibling);
    devices.insertBefore(x.doc.createTextNode(ws), el);
  } else insertChild(devices, el, DEVICE_ORDER);
  prettify(el);
  const id = deviceIds(devices).find((e) => e.el === el)!.id;
  return { id, xml: serializeXml(el) };
}

/** Removes a device; returns its XML (what `detach-device` needs for the running VM). */
export function removeDevice(x: DomainXml, id: string): string {
  const el = x.device(id);
  const xml = serializeXml(el);
  removeElement(el);
  return xml;
}
