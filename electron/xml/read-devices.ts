/**
 * Reads each element under <devices> into the typed view the hardware sidebar and forms use
 * (https://libvirt.org/formatdomain.html#devices). Reading never changes the DOM.
 */
import type { Device } from '../../shared/model/details';
import { attr, child, elementChildren, intAttr, text, type Element } from './dom';

/** Copies only the defined values, so zod's optional fields stay absent rather than undefined. */
function clean<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

/** The device ids of a <devices> element: tag name and index among same-named siblings. */
export function deviceIds(devices: Element | undefined): { id: string; el: Element }[] {
  const seen = new Map<string, number>();
  if (!devices) return [];
  return elementChildren(devices).flatMap((el) => {
    if (el.tagName === 'emulator') return [];
    const n = seen.get(el.tagName) ?? 0;
    seen.set(el.tagName, n + 1);
    return [{ id: `${el.tagName}[${n}]`, el }];
  });
}

function diskSource(el: Element): Partial<Record<'source' | 'pool' | 'volume' | 'protocol', string>> {
  const src = child(el, 'source');
  if (!src) return {};
  switch (attr(el, 'type')) {
    case 'block':
      return { source: attr(src, 'dev') };
    case 'dir':
      return { source: attr(src, 'dir') };
    case 'volume':
      return { source: `${attr(src, 'pool') ?? ''}/${attr(src, 'volume') ?? ''}`, pool: attr(src, 'pool'), volume: attr(src, 'volume') };
    case 'network': {
      const host = child(src, 'host');
      const where = host ? `${attr(host, 'name') ?? attr(host, 'socket') ?? ''}${attr(host, 'port') ? `:${attr(host, 'port')}` : ''}` : '';
      return { source: `${attr(src, 'protocol') ?? ''}://${where}/${attr(src, 'name') ?? ''}`, protocol: attr(src, 'protocol') };
    }
    default:
      return { source: attr(src, 'file') };
  }
}

function charSource(el: Element): string | undefined {
  const src = child(el, 'source');
  const type = attr(el, 'type');
  if (type === 'tcp' || type === 'udp') return src ? `${attr(src, 'host') ?? ''}:${attr(src, 'service') ?? ''}` : undefined;
  return attr(src, 'path') ?? attr(el, 'tty');
}

function hostdevAddress(el: Element): { address?: string; vendor?: string; product?: string } {
  const src = child(el, 'source');
  const a = child(src, 'address');
  const type = attr(el, 'type');
  const hex = (v: string | undefined, width: number) => (v === undefined ? '0'.repeat(width) : Number(v).toString(16).padStart(width, '0'));
  if (type === 'pci' && a) return { address: `${hex(attr(a, 'domain'), 4)}:${hex(attr(a, 'bus'), 2)}:${hex(attr(a, 'slot'), 2)}.${Number(attr(a, 'function') ?? 0).toString(16)}` };
  if (type === 'usb') {
    const vendor = attr(child(src, 'vendor'), 'id');
    const product = attr(child(src, 'product'), 'id');
    if (vendor || product) return clean({ vendor, product, address: `${(vendor ?? '').replace(/^0x/, '')}:${(product ?? '').replace(/^0x/, '')}` });
    if (a) return { address: `bus ${attr(a, 'bus') ?? '?'} device ${attr(a, 'device') ?? '?'}` };
  }
  if (type === 'mdev' && a) return clean({ address: attr(a, 'uuid') });
  if (type === 'scsi') return clean({ address: attr(child(src, 'adapter'), 'name') });
  const block = text(child(src, 'block'));
  return block ? { address: block } : {};
}

export function readDevice(el: Element, id: string): Device {
  const alias = attr(child(el, 'alias'), 'name');
  const base = clean({ id, alias });
  const model = child(el, 'model');
  switch (el.tagName) {
    case 'disk': {
      const driver = child(el, 'driver');
      const target = child(el, 'target');
      return clean({
        ...base,
        kind: 'disk' as const,
        type: attr(el, 'type') ?? 'file',
        device: attr(el, 'device') ?? 'disk',
        ...diskSource(el),
        format: attr(driver, 'type'),
        cache: attr(driver, 'cache'),
        io: attr(driver, 'io'),
        discard: attr(driver, 'discard'),
        bus: attr(target, 'bus'),
        target: attr(target, 'dev'),
        readonly: !!child(el, 'readonly'),
        shareable: !!child(el, 'shareable'),
        bootOrder: intAttr(child(el, 'boot'), 'order'),
        serial: text(child(el, 'serial')),
      });
    }
    case 'interface': {
      const src = child(el, 'source');
      return clean({
        ...base,
        kind: 'interface' as const,
        type: attr(el, 'type') ?? 'network',
        source: attr(src, 'network') ?? attr(src, 'bridge') ?? attr(src, 'dev') ?? attr(src, 'path') ?? attr(src, 'portgroup'),
        sourceMode: attr(src, 'mode'),
        mac: attr(child(el, 'mac'), 'address'),
        model: attr(model, 'type'),
        virtualport: attr(child(el, 'virtualport'), 'type'),
        linkState: attr(child(el, 'link'), 'state'),
        target: attr(child(el, 'target'), 'dev'),
        bootOrder: intAttr(child(el, 'boot'), 'order'),
      });
    }
    case 'graphics': {
      const port = intAttr(el, 'port');
      return clean({
        ...base,
        kind: 'graphics' as const,
        type: attr(el, 'type') ?? 'vnc',
        port: port !== undefined && port > 0 ? port : undefined,
        autoport: attr(el, 'autoport') === 'yes' || port === -1 || port === undefined,
        listen: attr(el, 'listen') ?? attr(child(el, 'listen'), 'address') ?? attr(child(el, 'listen'), 'socket') ?? attr(child(el, 'listen'), 'network'),
        hasPassword: el.hasAttribute('passwd'),
        keymap: attr(el, 'keymap'),
      });
    }
    case 'serial':
    case 'console':
    case 'parallel':
    case 'channel': {
      const target = child(el, 'target');
      return clean({
        ...base,
        kind: el.tagName as 'serial',
        type: attr(el, 'type') ?? 'pty',
        targetType: attr(target, 'type'),
        targetName: attr(target, 'name'),
        targetPort: intAttr(target, 'port'),
        source: charSource(el),
      });
    }
    case 'video':
      return clean({ ...base, kind: 'video' as const, model: attr(model, 'type'), vram: intAttr(model, 'vram'), heads: intAttr(model, 'heads'), primary: attr(model, 'primary') === 'yes' });
    case 'sound':
      return clean({ ...base, kind: 'sound' as const, model: attr(el, 'model') });
    case 'rng': {
      const backend = child(el, 'backend');
      return clean({ ...base, kind: 'rng' as const, model: attr(el, 'model'), backendModel: attr(backend, 'model'), backend: text(backend)?.trim() || undefined });
    }
    case 'tpm': {
      const backend = child(el, 'backend');
      return clean({ ...base, kind: 'tpm' as const, model: attr(el, 'model'), backendType: attr(backend, 'type'), version: attr(backend, 'version'), devicePath: attr(child(backend, 'device'), 'path') });
    }
    case 'watchdog':
      return clean({ ...base, kind: 'watchdog' as const, model: attr(el, 'model'), action: attr(el, 'action') });
    case 'controller':
      return clean({ ...base, kind: 'controller' as const, type: attr(el, 'type') ?? '', model: attr(el, 'model'), index: intAttr(el, 'index') });
    case 'filesystem': {
      const src = child(el, 'source');
      return clean({
        ...base,
        kind: 'filesystem' as const,
        type: attr(el, 'type') ?? 'mount',
        driver: attr(child(el, 'driver'), 'type'),
        accessmode: attr(el, 'accessmode'),
        source: attr(src, 'dir') ?? attr(src, 'file') ?? attr(src, 'dev') ?? attr(src, 'name') ?? attr(src, 'socket'),
        target: attr(child(el, 'target'), 'dir'),
        readonly: !!child(el, 'readonly'),
      });
    }
    case 'hostdev':
      return clean({ ...base, kind: 'hostdev' as const, mode: attr(el, 'mode') ?? 'subsystem', type: attr(el, 'type') ?? '', managed: attr(el, 'managed') === 'yes', ...hostdevAddress(el), bootOrder: intAttr(child(el, 'boot'), 'order') });
    case 'memballoon':
      return clean({ ...base, kind: 'memballoon' as const, model: attr(el, 'model'), statsPeriod: intAttr(child(el, 'stats'), 'period'), autodeflate: attr(el, 'autodeflate') === 'on' });
    case 'input':
      return clean({ ...base, kind: 'input' as const, type: attr(el, 'type') ?? '', bus: attr(el, 'bus') });
    default:
      return clean({ ...base, kind: 'other' as const, tag: el.tagName, type: attr(el, 'type'), model: attr(el, 'model') ?? attr(model, 'type') });
  }
}
