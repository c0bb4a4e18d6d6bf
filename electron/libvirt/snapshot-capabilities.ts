/**
 * What Create may offer for a VM, decided before anything changes from its domain XML, its state
 * and the daemon's version (libvirt 9.0 as checked on Debian 12). Each "off" carries the reason,
 * in libvirt's own words where libvirt has them, so the user reads the same thing libvirt would
 * have answered. Whatever slips through still fails in libvirt, and its message is shown.
 * https://libvirt.org/kbase/snapshots.html#limitations
 */
import type { ModeOffer, SnapshotCapabilities, SnapshotMode } from '../../shared/model/snapshot';
import { attr, child, elementChildren as children, type Element } from '../xml/dom';
import { DomainXml } from '../xml/domain-xml';
import { versionAtLeast } from '../virsh/parse/snapshot';

/** A disk a snapshot covers: writable disks (libvirt skips read-only ones by default). */
export interface SnapshotDisk {
  target: string;
  /** file, block, network, volume, dir… */
  type: string;
  format: string;
  /** The file or device; undefined for network disks. */
  source?: string;
}

export interface VmFacts {
  name: string;
  disks: SnapshotDisk[];
  pflash: boolean;
  vfio: boolean;
  agentConnected: boolean;
  /** Current memory in KiB (`<currentMemory>`, else `<memory>`): what an external memory file needs at most. */
  memoryKiB: number | null;
  /** Every file the VM's definition names (all disks, backing files, firmware, kernel): never removed. */
  files: string[];
}

/** https://libvirt.org/kbase/snapshots.html: reverting to external snapshots arrived in 9.9.0. */
export const EXTERNAL_REVERT_SINCE = '9.9.0';

export function vmFacts(xml: string): VmFacts {
  const dom = DomainXml.parse(xml);
  const devices = dom.devices;
  const disks: SnapshotDisk[] = [];
  for (const d of children(devices, 'disk')) {
    const device = attr(d, 'device') ?? 'disk';
    if (device !== 'disk' && device !== 'lun') continue;
    if (child(d, 'readonly')) continue;
    const src = child(d, 'source');
    disks.push({
      target: attr(child(d, 'target'), 'dev') ?? '',
      type: attr(d, 'type') ?? 'file',
      format: attr(child(d, 'driver'), 'type') ?? 'raw',
      source: attr(src, 'file') ?? attr(src, 'dev'),
    });
  }
  const loader = child(child(dom.root, 'os'), 'loader');
  const isVfio = (h: Element) => attr(h, 'type') === 'pci' && (attr(child(h, 'driver'), 'name') ?? 'vfio') === 'vfio';
  const agent = children(devices, 'channel').some((c) => attr(child(c, 'target'), 'name') === 'org.qemu.guest_agent.0' && attr(child(c, 'target'), 'state') === 'connected');
  const files = [...dom.root.getElementsByTagName('source'), ...dom.root.getElementsByTagName('nvram')].flatMap((el) => [attr(el, 'file'), attr(el, 'dev')].filter((x): x is string => !!x));
  for (const tag of ['loader', 'kernel', 'initrd', 'nvram']) {
    const t = child(child(dom.root, 'os'), tag)?.textContent?.trim();
    if (t) files.push(t);
  }
  const mem = Number(child(dom.root, 'currentMemory')?.textContent ?? child(dom.root, 'memory')?.textContent ?? NaN);
  const unit = (attr(child(dom.root, 'currentMemory') ?? child(dom.root, 'memory'), 'unit') ?? 'KiB').toLowerCase();
  const scale: Record<string, number> = { b: 1 / 1024, bytes: 1 / 1024, k: 1, kib: 1, m: 1024, mib: 1024, g: 1024 ** 2, gib: 1024 ** 2 };
  const memoryKiB = Number.isFinite(mem) && scale[unit] !== undefined ? mem * scale[unit]! : null;
  return { memoryKiB, files, name: dom.name, disks, pflash: attr(loader, 'type') === 'pflash', vfio: children(devices, 'hostdev').some(isVfio), agentConnected: agent };
}

/** Why internal snapshots are off for these disks/firmware, or undefined when they are fine. */
function internalRefusal(f: VmFacts): string | undefined {
  // libvirt's message for an explicit pflash loader (qemu_snapshot.c, 9.0).
  if (f.pflash) return 'internal snapshots of a VM with pflash based firmware are not supported';
  if (f.disks.length === 0) return 'this VM has no disk to keep an internal snapshot in';
  const raw = f.disks.find((d) => d.format !== 'qcow2');
  if (raw) return `internal snapshot for disk ${raw.target} unsupported for storage type ${raw.format} (convert it to qcow2 while the VM is off, or take an external snapshot)`;
  const notFile = f.disks.find((d) => d.type !== 'file' && d.type !== 'block');
  if (notFile) return `disk ${notFile.target} is a ${notFile.type} disk: internal snapshots need a local qcow2 file`;
  return undefined;
}

function externalDiskRefusal(f: VmFacts): string | undefined {
  if (f.disks.length === 0) return 'this VM has no disk to put an overlay on';
  const notFile = f.disks.find((d) => d.type !== 'file' || !d.source);
  if (notFile) return `disk ${notFile.target} is a ${notFile.type} disk: Virtdeck puts overlays next to disk files only`;
  return undefined;
}

/**
 * Checkpoints (made by Virtdeck's backups for incremental ones) keep dirty bitmaps in the disks.
 * Checked on libvirt 9.0 / QEMU 7.2: a shut-off VM's internal snapshot is refused ("cannot perform
 * block operations while checkpoint exists"), and reverting a running VM to an internal snapshot
 * fails with "Device has active dirty bitmaps" after libvirt already stopped QEMU.
 */
export function checkpointsBlockInternal(checkpoints: readonly string[]): string | undefined {
  if (checkpoints.length === 0) return undefined;
  return `this VM has backup checkpoints (${checkpoints.join(', ')}): QEMU 7.2 cannot load an internal snapshot while their dirty bitmaps exist ("Device has active dirty bitmaps"), and libvirt 9.0 refuses internal snapshots of it shut off ("cannot perform block operations while checkpoint exists"). Delete the backups' checkpoints first (the next backup is then full), or take an external snapshot`;
}

export function decideModes(f: VmFacts, running: boolean, hasMemoryPool: boolean, checkpoints: readonly string[] = []): ModeOffer[] {
  const internal = internalRefusal(f) ?? checkpointsBlockInternal(checkpoints);
  const external = externalDiskRefusal(f);
  const vfio = f.vfio ? 'a VFIO host device cannot have its state saved: take a disk-only snapshot' : undefined;
  const offer = (mode: SnapshotMode, ...reasons: (string | undefined)[]): ModeOffer => {
    const reason = reasons.find((r) => r !== undefined);
    return reason === undefined ? { mode, ok: true } : { mode, ok: false, reason };
  };
  return [
    offer('internal-memory', running ? undefined : 'the VM is shut off: there is no memory to save (take an internal disk-only snapshot)', internal, vfio),
    // libvirt 9.0: "internal snapshot of a running VM must include the memory state".
    offer('internal-disk', running ? 'internal snapshot of a running VM must include the memory state' : undefined, internal),
    offer('external-disk', external),
    offer(
      'external-memory',
      running ? undefined : 'only a running VM has memory to save',
      vfio,
      hasMemoryPool ? undefined : 'no active directory pool to hold the memory file',
      // With no disks the memory alone is saved; otherwise every disk gets its overlay.
      f.disks.length === 0 ? undefined : external,
    ),
  ];
}

export function capabilities(f: VmFacts, running: boolean, version: string, pools: SnapshotCapabilities['memoryPools'], checkpoints: readonly string[] = []): SnapshotCapabilities {
  const revert = versionAtLeast(version, EXTERNAL_REVERT_SINCE);
  return {
    libvirtVersion: version,
    running,
    modes: decideModes(f, running, pools.length > 0, checkpoints),
    nvram: f.pflash,
    quiesce: running && f.agentConnected,
    externalRevert: revert ? { ok: true } : { ok: false, reason: `revert to external snapshot not supported yet (libvirt ${version}; it needs ${EXTERNAL_REVERT_SINCE} or newer)` },
    memoryPools: pools,
    rawDisks: f.disks.filter((d) => d.format === 'raw' && d.type === 'file' && d.source).map((d) => d.target),
  };
}
