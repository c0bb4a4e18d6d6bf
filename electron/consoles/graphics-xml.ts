/**
 * What a domain's XML says about its consoles, and the one edit Virtdeck makes to it (SPICE →
 * VNC). Pure functions over virsh's output; see https://libvirt.org/formatdomain.html#graphical-framebuffers.
 */
import type { GraphicsStatus, VncEndpoint } from '../../shared/model/console';
import { attr, child, elementChildren as children, h, parseXml, removeElement, serializeXml, type Element } from '../xml/dom';

export interface GraphicsFromXml {
  status: Exclude<GraphicsStatus, 'off'>;
  /** Only for a running VM's live XML: where QEMU listens. */
  endpoint?: VncEndpoint;
  passwordRequired: boolean;
  /** `--devname` values of serial/console devices (live XML aliases), first is the default. */
  serials: string[];
}

function devicesOf(root: Element | undefined): Element | undefined {
  return root?.tagName === 'domain' ? child(root, 'devices') : undefined;
}

/** Wildcard listens are reached on the host's loopback: a tunnel enters the host there. */
function connectAddress(listen: string | undefined): string {
  if (!listen || listen === '0.0.0.0' || listen === '::' || listen === '[::]') return '127.0.0.1';
  return listen.replace(/^\[(.*)\]$/, '$1');
}

export function vncEndpointOf(g: Element): VncEndpoint | undefined {
  const listens = children(g, 'listen');
  const socketListen = listens.find((l) => attr(l, 'type') === 'socket');
  const socket = attr(socketListen, 'socket') ?? attr(g, 'socket');
  if (socket) return { kind: 'unix', path: socket };
  const port = Number(attr(g, 'port'));
  // port='-1' (autoport not yet assigned) or missing: the VM is not running.
  if (!Number.isInteger(port) || port <= 0 || port > 65535) return undefined;
  const addrListen = listens.find((l) => (attr(l, 'type') === 'address' || attr(l, 'type') === 'network') && attr(l, 'address'));
  return { kind: 'tcp', host: connectAddress(attr(addrListen, 'address') ?? attr(g, 'listen')), port };
}

export function parseGraphics(xml: string): GraphicsFromXml {
  const devices = devicesOf(parseXml(xml).documentElement ?? undefined);
  const graphics = children(devices, 'graphics');
  const vnc = graphics.find((g) => attr(g, 'type') === 'vnc');
  const serials = serialDevnames(devices);
  if (vnc) {
    const endpoint = vncEndpointOf(vnc);
    return { status: 'vnc', ...(endpoint ? { endpoint } : {}), passwordRequired: attr(vnc, 'passwd') !== undefined, serials };
  }
  const status = graphics.length === 0 ? 'none' : graphics.some((g) => attr(g, 'type') === 'spice') ? 'spice' : 'other';
  return { status, passwordRequired: false, serials };
}

/**
 * `virsh console --devname` takes the device alias (live XML). Consoles that are the same device
 * as a serial port share its alias; keep the order virsh uses (console first, then serials).
 */
function serialDevnames(devices: Element | undefined): string[] {
  const out: string[] = [];
  for (const el of [...children(devices, 'console'), ...children(devices, 'serial')]) {
    const alias = attr(child(el, 'alias'), 'name');
    if (alias && !out.includes(alias)) out.push(alias);
  }
  return out;
}

/** `virsh domdisplay` → endpoint: vnc://127.0.0.1:0 (display N = port 5900+N) or vnc+unix:///path. */
export function parseDomdisplay(text: string): VncEndpoint | undefined {
  const line = text.trim().split('\n')[0]?.trim() ?? '';
  const unix = /^vnc\+unix:\/\/(\/\S+)$/.exec(line);
  if (unix) return { kind: 'unix', path: unix[1]! };
  const tcp = /^vnc:\/\/(\[[^\]]+\]|[^:/]+):(\d+)/.exec(line);
  if (!tcp) return undefined;
  return { kind: 'tcp', host: connectAddress(tcp[1]), port: 5900 + Number(tcp[2]) };
}

/** SPICE-only devices libvirt refuses without SPICE graphics (spicevmc channels, USB redirection, SPICE audio). */
function spiceOnly(el: Element): boolean {
  if ((el.tagName === 'channel' || el.tagName === 'redirdev' || el.tagName === 'smartcard') && attr(el, 'type') === 'spicevmc') return true;
  if (el.tagName === 'channel' && attr(el, 'type') === 'spiceport') return true;
  return el.tagName === 'audio' && attr(el, 'type') === 'spice';
}

/**
 * The persistent XML with its SPICE display replaced by VNC (same listen address; the SPICE
 * password carries over), and SPICE-only devices removed. Throws when there is no SPICE.
 */
export function switchSpiceToVnc(xml: string): string {
  const doc = parseXml(xml);
  const devices = devicesOf(doc.documentElement ?? undefined);
  const spice = children(devices, 'graphics').filter((g) => attr(g, 'type') === 'spice');
  if (spice.length === 0) throw new Error('this VM has no SPICE display');
  const hasVnc = children(devices, 'graphics').some((g) => attr(g, 'type') === 'vnc');
  const first = spice[0]!;
  if (!hasVnc) first.parentNode!.replaceChild(vncElement(first), first);
  for (const g of hasVnc ? spice : spice.slice(1)) removeElement(g);
  for (const el of children(devices)) if (spiceOnly(el)) removeElement(el);
  // The DOM keeps no whitespace after the root element; virsh ends its XML with a newline.
  return serializeXml(doc) + /\s*$/.exec(xml)![0];
}

/** The VNC display replacing `spice`, indented as libvirt writes it (devices at 4, listen at 6). */
function vncElement(spice: Element): Element {
  const doc = spice.ownerDocument!;
  const listen = children(spice, 'listen')[0];
  let listenEl: Element;
  if (attr(listen, 'type') === 'address' && attr(listen, 'address')) listenEl = h(doc, 'listen', { type: 'address', address: attr(listen, 'address') });
  else if (attr(listen, 'type') === 'network' && attr(listen, 'network')) listenEl = h(doc, 'listen', { type: 'network', network: attr(listen, 'network') });
  else if (attr(listen, 'type') === 'socket') listenEl = h(doc, 'listen', { type: 'socket' });
  else listenEl = h(doc, 'listen', { type: 'address', address: attr(spice, 'listen') ?? '127.0.0.1' }); // 'none' has no VNC equivalent
  return h(doc, 'graphics', { type: 'vnc', port: '-1', autoport: 'yes', passwd: attr(spice, 'passwd') }, ['\n      ', listenEl, '\n    ']);
}
