/**
 * What a domain's XML says about its consoles, and the one edit Virtdeck makes to it (SPICE →
 * VNC). Pure functions over virsh's output; see https://libvirt.org/formatdomain.html#graphical-framebuffers.
 */
import type { GraphicsStatus, VncEndpoint } from '../../shared/model/console';
import { child, children, escapeAttr, parseXml, spliceAll, type XmlElement } from './xml-elements';

export interface GraphicsFromXml {
  status: Exclude<GraphicsStatus, 'off'>;
  /** Only for a running VM's live XML: where QEMU listens. */
  endpoint?: VncEndpoint;
  passwordRequired: boolean;
  /** `--devname` values of serial/console devices (live XML aliases), first is the default. */
  serials: string[];
}

function devicesOf(xml: string): XmlElement | undefined {
  return child(child(parseXml(xml), 'domain'), 'devices');
}

/** Wildcard listens are reached on the host's loopback: a tunnel enters the host there. */
function connectAddress(listen: string | undefined): string {
  if (!listen || listen === '0.0.0.0' || listen === '::' || listen === '[::]') return '127.0.0.1';
  return listen.replace(/^\[(.*)\]$/, '$1');
}

export function vncEndpointOf(g: XmlElement): VncEndpoint | undefined {
  const listens = children(g, 'listen');
  const socketListen = listens.find((l) => l.attrs.type === 'socket');
  const socket = socketListen?.attrs.socket ?? g.attrs.socket;
  if (socket) return { kind: 'unix', path: socket };
  const port = Number(g.attrs.port);
  // port='-1' (autoport not yet assigned) or missing: the VM is not running.
  if (!Number.isInteger(port) || port <= 0 || port > 65535) return undefined;
  const addrListen = listens.find((l) => (l.attrs.type === 'address' || l.attrs.type === 'network') && l.attrs.address);
  return { kind: 'tcp', host: connectAddress(addrListen?.attrs.address ?? g.attrs.listen), port };
}

export function parseGraphics(xml: string): GraphicsFromXml {
  const devices = devicesOf(xml);
  const graphics = children(devices, 'graphics');
  const vnc = graphics.find((g) => g.attrs.type === 'vnc');
  const serials = serialDevnames(devices);
  if (vnc) {
    const endpoint = vncEndpointOf(vnc);
    return { status: 'vnc', ...(endpoint ? { endpoint } : {}), passwordRequired: vnc.attrs.passwd !== undefined, serials };
  }
  const status = graphics.length === 0 ? 'none' : graphics.some((g) => g.attrs.type === 'spice') ? 'spice' : 'other';
  return { status, passwordRequired: false, serials };
}

/**
 * `virsh console --devname` takes the device alias (live XML). Consoles that are the same device
 * as a serial port share its alias; keep the order virsh uses (console first, then serials).
 */
function serialDevnames(devices: XmlElement | undefined): string[] {
  const out: string[] = [];
  for (const el of [...children(devices, 'console'), ...children(devices, 'serial')]) {
    const alias = child(el, 'alias')?.attrs.name;
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
function spiceOnly(el: XmlElement): boolean {
  if ((el.name === 'channel' || el.name === 'redirdev' || el.name === 'smartcard') && el.attrs.type === 'spicevmc') return true;
  if (el.name === 'channel' && el.attrs.type === 'spiceport') return true;
  return el.name === 'audio' && el.attrs.type === 'spice';
}

/**
 * The persistent XML with its SPICE display replaced by VNC (same listen address; the SPICE
 * password carries over), and SPICE-only devices removed. Throws when there is no SPICE.
 */
export function switchSpiceToVnc(xml: string): string {
  const devices = devicesOf(xml);
  const spice = children(devices, 'graphics').filter((g) => g.attrs.type === 'spice');
  if (spice.length === 0) throw new Error('this VM has no SPICE display');
  const hasVnc = children(devices, 'graphics').some((g) => g.attrs.type === 'vnc');
  const first = spice[0]!;
  const edits = spice.map((g, i) => ({ start: g.start, end: g.end, text: i === 0 && !hasVnc ? vncElement(first) : '' }));
  for (const el of devices?.children ?? []) if (spiceOnly(el)) edits.push({ start: el.start, end: el.end, text: '' });
  // Drop the indentation/newline left behind by removed elements.
  return spliceAll(xml, edits).replace(/\n[ \t]*(?=\n)/g, '');
}

function vncElement(spice: XmlElement): string {
  const listen = children(spice, 'listen')[0];
  let listenXml: string;
  if (listen?.attrs.type === 'address' && listen.attrs.address) listenXml = `<listen type='address' address='${escapeAttr(listen.attrs.address)}'/>`;
  else if (listen?.attrs.type === 'network' && listen.attrs.network) listenXml = `<listen type='network' network='${escapeAttr(listen.attrs.network)}'/>`;
  else if (listen?.attrs.type === 'socket') listenXml = `<listen type='socket'/>`;
  else listenXml = `<listen type='address' address='${escapeAttr(spice.attrs.listen ?? '127.0.0.1')}'/>`; // 'none' has no VNC equivalent
  const passwd = spice.attrs.passwd !== undefined ? ` passwd='${escapeAttr(spice.attrs.passwd)}'` : '';
  return `<graphics type='vnc' port='-1' autoport='yes'${passwd}>\n      ${listenXml}\n    </graphics>`;
}
