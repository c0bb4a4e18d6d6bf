/**
 * Snapshot output of virsh 9.0: `snapshot-list --name`, `snapshot-dumpxml` and `version --daemon`.
 * The XML is the source of truth for everything in the tree (parent, time, state, description,
 * memory and disk kinds, files): `snapshot-list`'s table pads names with blanks, so a name with
 * spaces could not be read back from it. https://libvirt.org/formatsnapshot.html
 */
import type { Snapshot, SnapshotFile } from '../../../shared/model/snapshot';
import { attr, child, elementChildren as children, parseXml, path, text, type Element } from '../../xml/dom';
import { isBlank, splitLines } from './lines';

/** One name a line; a name may have blanks inside and around it, so lines are not trimmed. */
export function parseSnapshotNames(out: string): string[] {
  return splitLines(out).filter((l) => !isBlank(l));
}

/** `version --daemon` → "9.0.0" (the daemon's version decides what the host can do). */
export function parseDaemonVersion(out: string): string | null {
  return /^Running against daemon:\s*(\d+\.\d+\.\d+)\s*$/m.exec(out)?.[1] ?? null;
}

/** "9.9.0" ≥ "9.0.0" as numbers. */
export function versionAtLeast(version: string, min: string): boolean {
  const a = version.split('.').map(Number);
  const b = min.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

/** The source file of a <disk> in the snapshot's own <domain> (where internal data lives). */
function domainDiskFiles(domain: Element | undefined): Map<string, string> {
  const files = new Map<string, string>();
  for (const d of children(child(domain, 'devices'), 'disk')) {
    const target = attr(child(d, 'target'), 'dev');
    const src = attr(child(d, 'source'), 'file') ?? attr(child(d, 'source'), 'dev');
    if (target && src) files.set(target, src);
  }
  return files;
}

/** One `snapshot-dumpxml`; `current` comes from `snapshot-current --name`. */
export function parseSnapshotXml(xml: string, current: boolean): Snapshot {
  const root = parseXml(xml).documentElement!;
  const memEl = child(root, 'memory');
  const memKind = attr(memEl, 'snapshot') ?? 'no';
  const domainFiles = domainDiskFiles(child(root, 'domain'));
  const files: SnapshotFile[] = [];
  let external = memKind === 'external';
  let internal = memKind === 'internal';
  if (memKind === 'external' && attr(memEl, 'file')) files.push({ role: 'memory', path: attr(memEl, 'file')! });
  for (const d of children(child(root, 'disks'), 'disk')) {
    const name = attr(d, 'name') ?? '';
    const kind = attr(d, 'snapshot');
    if (kind === 'external') {
      external = true;
      const src = attr(child(d, 'source'), 'file') ?? attr(child(d, 'source'), 'dev');
      if (src) files.push({ role: 'overlay', path: src, disk: name });
    } else if (kind === 'internal') {
      internal = true;
      const src = domainFiles.get(name);
      if (src) files.push({ role: 'internal', path: src, disk: name });
    }
  }
  const parent = text(path(root, 'parent/name'))?.trim() ?? null;
  const uses = new Set<string>();
  for (const tag of ['domain', 'inactiveDomain'])
    for (const disk of child(root, tag)?.getElementsByTagName('disk') ?? [])
      for (const src of disk.getElementsByTagName('source')) {
        const f = attr(src, 'file') ?? attr(src, 'dev');
        if (f) uses.add(f);
      }
  return {
    name: text(child(root, 'name')) ?? '',
    parent: parent || null,
    current,
    createdAt: Number(text(child(root, 'creationTime')) ?? 0) * 1000,
    state: text(child(root, 'state'))?.trim() ?? '',
    description: text(child(root, 'description')) ?? '',
    location: external && !internal ? 'external' : 'internal',
    memory: memKind !== 'no',
    files,
    uses: [...uses],
  };
}
