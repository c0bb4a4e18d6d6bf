/**
 * The pure part of the offline move: what a domain's XML says it needs on the destination, and
 * the XML defined there (disk paths pointing at the copied volumes). Only through the DOM layer,
 * so every element Virtdeck does not know is kept as it was.
 * Domain XML: https://libvirt.org/formatdomain.html
 */
import { AppError } from '../../../shared/errors';
import { attr, child, elementChildren, parseXml, removeChildren, serializeXml, setAttr, text, type Document, type Element } from '../../xml/dom';
import { DomainXml } from '../../xml/domain-xml';

/** One <disk> as the move sees it. */
export interface MoveDisk {
  /** Its target dev (vda, hdc…), which names it in progress and errors. */
  target: string;
  device: string;
  /** 'file' and 'volume' disks are copied; a read-only medium must already be on the destination. */
  kind: 'copy' | 'present' | 'unsupported';
  /** The file (type='file'), or null for a volume disk until the source resolves it. */
  path: string | null;
  /** For type='volume': the pool and volume names. */
  pool?: string;
  volume?: string;
  /** The driver's format (qcow2, raw…), as the domain uses it. */
  format?: string;
  /** Why it cannot be moved (kind 'unsupported'). */
  reason?: string;
}

export interface MoveNeeds {
  name: string;
  uuid: string;
  disks: MoveDisk[];
  /** <os><kernel>, <initrd>, <dtb>, and a loader outside the NVRAM: files the destination must have. */
  bootFiles: string[];
  /** <os><nvram> file, copied through a pool. */
  nvram: string | null;
  networks: string[];
  /** Host interfaces NICs attach to: bridges and macvtap devices. */
  hostInterfaces: string[];
  /** An emulated TPM keeps its state in /var/lib/libvirt/swtpm, root's only. */
  tpmEmulator: boolean;
}

const unique = <T>(xs: T[]) => [...new Set(xs)];

/** What the VM needs on the destination, read from its inactive XML. */
export function moveNeeds(xml: string): MoveNeeds {
  const d = DomainXml.parse(xml);
  const devices = d.devices;
  const os = child(d.root, 'os');
  const disks = elementChildren(devices, 'disk').map(diskOf);
  const nics = elementChildren(devices, 'interface');
  const loader = child(os, 'loader');
  const bootFiles = [text(child(os, 'kernel')), text(child(os, 'initrd')), text(child(os, 'dtb')), text(loader)]
    .map((s) => s?.trim())
    .filter((s): s is string => !!s);
  return {
    name: d.name,
    uuid: d.uuid ?? '',
    disks,
    bootFiles: unique(bootFiles),
    nvram: text(child(os, 'nvram'))?.trim() || null,
    networks: unique(nics.filter((n) => attr(n, 'type') === 'network').map((n) => attr(child(n, 'source'), 'network') ?? '').filter(Boolean)),
    hostInterfaces: unique(
      nics
        .map((n) => (attr(n, 'type') === 'bridge' ? attr(child(n, 'source'), 'bridge') : attr(n, 'type') === 'direct' ? attr(child(n, 'source'), 'dev') : undefined))
        .filter((s): s is string => !!s),
    ),
    tpmEmulator: elementChildren(devices, 'tpm').some((t) => attr(child(t, 'backend'), 'type') === 'emulator'),
  };
}

function diskOf(el: Element): MoveDisk {
  const type = attr(el, 'type') ?? 'file';
  const device = attr(el, 'device') ?? 'disk';
  const target = attr(child(el, 'target'), 'dev') ?? '?';
  const source = child(el, 'source');
  const format = attr(child(el, 'driver'), 'type');
  const base = { target, device, ...(format ? { format } : {}) };
  const readonly = !!child(el, 'readonly') || device === 'cdrom' || device === 'floppy';
  if (type === 'file') {
    const file = attr(source, 'file') ?? null;
    // An empty drive has nothing to copy or find; media are the user's files, not the VM's disks.
    if (!file) return { ...base, kind: 'present', path: null };
    return { ...base, kind: readonly ? 'present' : 'copy', path: file };
  }
  if (type === 'volume') {
    const pool = attr(source, 'pool');
    const volume = attr(source, 'volume');
    if (!pool || !volume) return { ...base, kind: 'unsupported', path: null, reason: 'a volume disk without pool and volume names' };
    return { ...base, kind: readonly ? 'present' : 'copy', path: null, pool, volume };
  }
  return { ...base, kind: 'unsupported', path: attr(source, 'dev') ?? attr(source, 'name') ?? null, reason: `a ${type} disk: only file and volume disks can be copied offline; the destination must reach the same storage` };
}

/** Where one copied disk ends up on the destination. */
export interface DiskDest {
  target: string;
  /** The destination volume's path (type='file' disks point there). */
  path: string;
  /** Its format after the copy ('qcow2' when a backing chain was flattened into one image). */
  format: string;
  /** The chain was flattened: the copied image has no backing file any more. */
  flattened: boolean;
}

/**
 * The XML to define on the destination: each copied file disk's source points at its new
 * volume, a flattened disk loses its <backingStore> and takes the copied image's format.
 * Volume disks keep their pool/volume names (the destination pool has the same name). Name,
 * UUID and everything else stay as they are: this is the same VM.
 */
export function destDomainXml(xml: string, dests: readonly DiskDest[]): string {
  const d = DomainXml.parse(xml);
  const byTarget = new Map(dests.map((x) => [x.target, x]));
  for (const el of elementChildren(d.devices, 'disk')) {
    const dest = byTarget.get(attr(child(el, 'target'), 'dev') ?? '');
    if (!dest) continue;
    if ((attr(el, 'type') ?? 'file') === 'file') {
      const source = child(el, 'source');
      if (!source) throw new AppError('internal', `disk ${dest.target} has no <source>`);
      setAttr(source, 'file', dest.path);
    }
    if (dest.flattened) {
      removeChildren(el, 'backingStore');
      const driver = child(el, 'driver');
      if (driver) setAttr(driver, 'type', dest.format);
    }
  }
  return d.toXml();
}

/**
 * The source pool's XML made fit to define on the destination: same name, type, source and
 * target path, without the source's UUID (the destination gives its own) or its sizes.
 * https://libvirt.org/formatstorage.html
 */
export function poolXmlForDest(poolXml: string): string {
  const doc = parseAny(poolXml);
  const root = doc.documentElement!;
  if (root.tagName !== 'pool') throw new AppError('invalid_args', `expected <pool>, got <${root.tagName}>`);
  for (const tag of ['uuid', 'capacity', 'allocation', 'available']) removeChildren(root, tag);
  return serializeXml(doc);
}

const parseAny = (xml: string): Document => {
  try {
    return parseXml(xml);
  } catch (e) {
    throw new AppError('invalid_args', `unreadable XML: ${(e as Error).message}`);
  }
};
/** The root element of a non-domain document (capabilities, pools). */
const rootOf = (xml: string): Element => parseAny(xml).documentElement!;
