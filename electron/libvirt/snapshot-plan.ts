/**
 * The steps of Create, Revert and Describe, built from the request and the VM as it is now. The
 * same functions feed "Show commands" and the run, and each refuses — before anything changes —
 * what libvirt would refuse, with the reason. https://libvirt.org/manpages/virsh.html#snapshot-create-as
 */
import { posix } from 'node:path';
import type { z } from 'zod';
import type { CreateSnapshotArgs } from '../../shared/api/snapshots';
import { AppError } from '../../shared/errors';
import type { Snapshot } from '../../shared/model/snapshot';
import type { HostConnection } from '../hosts/host-connection';
import { parseXml, serializeXml, setChildText } from '../xml/dom';
import { parseSnapshotNames } from '../virsh/parse/snapshot';
import { fileSafe } from './file-names';
import type { Step } from './plan';
import { checkpointsBlockInternal } from './snapshot-capabilities';
import { findSnapshot, listSnapshots, snapshotXml, vmSnapshotState, type VmSnapshotState } from './snapshots';

type CreateArgs = z.output<typeof CreateSnapshotArgs>;

/** virsh's --diskspec/--memspec split on ',' and read ',,' as a literal comma (vshParseSnapshotMemspec). */
const specValue = (s: string) => s.replaceAll(',', ',,');

/** Where an external overlay of `source` goes: next to it, named after the snapshot. */
export function overlayPath(source: string, snapshot: string): string {
  const dir = posix.dirname(source);
  const stem = posix.basename(source).replace(/\.(qcow2|img|raw)$/i, '');
  return posix.join(dir, `${stem}.${fileSafe(snapshot)}.qcow2`);
}

export function memoryPath(poolPath: string, vmName: string, snapshot: string): string {
  return posix.join(poolPath, `${fileSafe(vmName)}.${fileSafe(snapshot)}.mem`);
}

/** The create steps for this VM state; throws `unsupported` with the reason for a mode that is off. */
export function createSteps(uuid: string, a: CreateArgs, vm: VmSnapshotState): Step[] {
  const offer = vm.caps.modes.find((m) => m.mode === a.mode)!;
  if (!offer.ok) throw new AppError('unsupported', offer.reason ?? `${a.mode} snapshots are not possible for this VM`);
  if (a.quiesce && !vm.caps.quiesce) throw new AppError('unsupported', 'quiesce needs a connected guest agent (org.qemu.guest_agent.0)');
  // https://libvirt.org/html/libvirt-libvirt-domain-snapshot.html#virDomainSnapshotCreateFlags: QUIESCE goes with DISK_ONLY.
  if (a.quiesce && a.mode !== 'external-disk') throw new AppError('unsupported', 'quiesce is only possible with a disk-only external snapshot');
  const argv = ['snapshot-create-as', '--domain', uuid, '--name', a.name];
  if (a.description !== '') argv.push('--description', a.description);
  if (a.mode === 'external-disk') argv.push('--disk-only');
  if (a.mode === 'external-memory') {
    const pool = vm.caps.memoryPools.find((p) => p.name === a.memoryPool);
    if (!pool) throw new AppError('invalid_args', a.memoryPool ? `pool "${a.memoryPool}" is not an active directory pool` : 'choose a pool for the memory file');
    // The memory file holds up to the guest's current memory; libvirt would fail half-way (and leave a partial file) on a full pool.
    const need = vm.facts.memoryKiB === null ? null : vm.facts.memoryKiB * 1024;
    if (need !== null && pool.available !== null && Number(pool.available) < need)
      throw new AppError('unsupported', `pool "${pool.name}" has ${pool.available} bytes free; the memory file needs up to ${need} bytes (the VM's current memory)`);
    argv.push('--memspec', `file=${specValue(memoryPath(pool.path, vm.facts.name, a.name))},snapshot=external`);
  }
  if (a.mode === 'external-disk' || a.mode === 'external-memory')
    for (const d of vm.facts.disks) argv.push('--diskspec', `${specValue(d.target)},snapshot=external,file=${specValue(overlayPath(d.source!, a.name))}`);
  if (a.atomic) argv.push('--atomic');
  if (a.quiesce) argv.push('--quiesce');
  return [{ argv }];
}

export async function planCreate(host: HostConnection, a: CreateArgs): Promise<Step[]> {
  // Names only: a clash check needs no snapshot XML (one dumpxml per snapshot would grow with the tree).
  const [vm, names] = await Promise.all([vmSnapshotState(host, a.uuid), host.run(['virsh', 'snapshot-list', '--domain', a.uuid, '--name']).then((r) => parseSnapshotNames(r.stdout))]);
  if (names.includes(a.name)) throw new AppError('invalid_args', `a snapshot named "${a.name}" exists already`);
  return createSteps(a.uuid, a, vm);
}

export interface RevertArgs {
  uuid: string;
  name: string;
  after: 'as-taken' | 'running' | 'paused';
  force: boolean;
  resetNvram: boolean;
}

/** Refuses an external revert where libvirt cannot do it, instead of a half revert. */
export function revertSteps(a: RevertArgs, snap: Snapshot, externalRevert: VmSnapshotState['caps']['externalRevert'], checkpoints: readonly string[] = []): Step[] {
  if (snap.location === 'external' && !externalRevert.ok) throw new AppError('unsupported', externalRevert.reason ?? 'revert to external snapshot not supported');
  const cp = snap.location === 'internal' ? checkpointsBlockInternal(checkpoints) : undefined;
  if (cp !== undefined) throw new AppError('unsupported', cp);
  const argv = ['snapshot-revert', '--domain', a.uuid, '--snapshotname', a.name];
  if (a.after === 'running') argv.push('--running');
  if (a.after === 'paused') argv.push('--paused');
  if (a.force) argv.push('--force');
  if (a.resetNvram) argv.push('--reset-nvram');
  return [{ argv }];
}

export async function planRevert(host: HostConnection, a: RevertArgs): Promise<Step[]> {
  const [vm, snaps] = await Promise.all([vmSnapshotState(host, a.uuid), listSnapshots(host, a.uuid)]);
  return revertSteps(a, findSnapshot(snaps, a.name), vm.caps.externalRevert, vm.checkpoints ?? []);
}

/** <domainsnapshot>'s children in libvirt's output order (virDomainSnapshotDefFormat). */
const SNAPSHOT_ORDER = ['name', 'description', 'state', 'parent', 'creationTime', 'memory', 'disks', 'domain', 'inactiveDomain', 'cookie'] as const;

/** The snapshot's XML with a new <description>, everything else kept as libvirt wrote it. */
export function withDescription(xml: string, description: string): string {
  const doc = parseXml(xml);
  setChildText(doc.documentElement!, 'description', description === '' ? undefined : description, SNAPSHOT_ORDER);
  return serializeXml(doc);
}

/** `snapshot-create --redefine` (snapshot-edit is interactive); `--current` keeps it current. */
export async function planDescribe(host: HostConnection, a: { uuid: string; name: string; description: string }): Promise<Step[]> {
  const [xml, snaps] = await Promise.all([snapshotXml(host, a.uuid, a.name), listSnapshots(host, a.uuid)]);
  const current = findSnapshot(snaps, a.name).current;
  return [{ argv: ['snapshot-create', '--domain', a.uuid, '--xmlfile', '/dev/stdin', '--redefine', ...(current ? ['--current'] : [])], stdin: withDescription(xml, a.description) }];
}
