/**
 * virt-clone's rules as a pure plan: from the source's facts and the user's choices, the exact
 * virsh steps (volumes first, the definition last) and, for each step, the step that undoes it.
 * https://github.com/virt-manager/virt-manager/blob/main/virtinst/cloner.py and
 * https://libvirt.org/manpages/virsh.html#vol-clone / #vol-create-from / #vol-create-as
 */
import { posix } from 'node:path';
import { AppError } from '../../../shared/errors';
import type { CloneArgs, CloneDiskChoice, CloneDiskMode, CloneOptions } from '../../../shared/model/clone';
import { child, elementChildren, h, insertChild, removeElement, setAttr } from '../../xml/dom';
import { DomainXml } from '../../xml/domain-xml';
import { defineStep } from '../domain-config';
import { freshName } from '../file-names';
import type { Step } from '../plan';
import { newVolumeXml } from '../volume-xml';
import type { CloneFacts, DiskFact, PoolFact } from './facts';
import { extOf, giveNewIdentity } from './identity';

export interface CloneStep extends Step {
  /** What the step made, so that a failure later removes it (in reverse order). */
  undo?: Step;
  /** Shown to the user in the list of what was cleaned up. */
  made?: string;
  /** A copy: progress is the new volume's allocation against `total`. */
  progress?: { poolUuid: string; name: string; target: string; total: number };
}

export interface ClonePlan {
  name: string;
  xml: string;
  steps: CloneStep[];
  volumes: string[];
}

/** `NAME-clone`, then `NAME-clone1`, `NAME-clone2`… (virt-clone's generate_clone_name). */
export function defaultCloneName(source: string, taken: ReadonlySet<string>): string {
  for (let i = 0; ; i++) {
    const n = `${source}-clone${i === 0 ? '' : i}`;
    if (!taken.has(n)) return n;
  }
}

/**
 * A new volume name that says whose it is (virt-manager#862): the old VM name replaced by the
 * new one, else `NEWNAME-TARGET.ext`; `-2`, `-3`… until it is not taken.
 */
export function proposeVolumeName(volName: string, oldVm: string, newVm: string, target: string, taken: ReadonlySet<string>, ext = extOf(volName)): string {
  const base = oldVm !== '' && volName.includes(oldVm) ? volName.replaceAll(oldVm, newVm) : `${newVm}-${target}${ext}`;
  const e = extOf(base);
  return freshName(base.slice(0, base.length - e.length), taken, { ext: e, first: 2 });
}

type Offer = { mode: CloneDiskMode; ok: boolean; reason?: string };

/** Which modes a disk allows, and why the others are off. */
export function diskModes(d: DiskFact, template: boolean): { modes: Offer[]; defaultMode: CloneDiskMode } {
  const media = d.device === 'cdrom' || d.device === 'floppy';
  const sharedOk = media || d.readonly || d.shareable || d.source === null;
  const inPool = d.vol !== null;
  const noPool = d.source === null ? 'the drive is empty' : `${d.source} is in no active storage pool with a directory: add its directory as a pool to copy it`;
  const modes: Offer[] = [
    media ? { mode: 'copy', ok: false, reason: 'removable media are shared, not copied' } : inPool ? { mode: 'copy', ok: true } : { mode: 'copy', ok: false, reason: noPool },
    media
      ? { mode: 'linked', ok: false, reason: 'removable media are shared, not copied' }
      : !inPool
        ? { mode: 'linked', ok: false, reason: noPool }
        : template || d.readonly
          ? { mode: 'linked', ok: true }
          : { mode: 'linked', ok: false, reason: 'a linked clone is safe only while its base never changes: mark the VM as a template first' },
    sharedOk ? { mode: 'share', ok: true } : { mode: 'share', ok: false, reason: 'two VMs writing one disk corrupt it: only read-only and shareable disks are shared' },
    { mode: 'skip', ok: true },
  ];
  const defaultMode: CloneDiskMode = sharedOk ? 'share' : inPool ? (template ? 'linked' : 'copy') : 'skip';
  return { modes, defaultMode };
}

export function cloneOptions(f: CloneFacts): CloneOptions {
  const defaultName = defaultCloneName(f.name, f.names);
  const taken = new Map([...f.volumes].map(([k, v]) => [k, new Set(v)]));
  const warnings: string[] = [];
  if (f.tpmEmulator)
    warnings.push('This VM has an emulated TPM. libvirt does not copy its state (keys, measured-boot secrets), and a non-root SSH user cannot copy it either: the clone starts with an empty TPM.');
  if (f.nvram && !f.nvram.vol) warnings.push(`The UEFI variables file ${f.nvram.path} is in no storage pool, so it cannot be copied: the clone gets fresh variables from the firmware's template.`);
  const disks = f.disks.map((d) => {
    const { modes, defaultMode } = diskModes(d, f.template);
    const pool = d.vol?.pool ?? null;
    const set = pool ? (taken.get(pool.uuid) ?? new Set<string>()) : new Set<string>();
    const proposedName = d.vol ? proposeVolumeName(d.vol.name, f.name, defaultName, d.target, set, defaultMode === 'linked' ? '.qcow2' : undefined) : '';
    if (pool && proposedName) set.add(proposedName);
    if (!d.vol && d.source !== null && defaultMode === 'skip') warnings.push(`Disk ${d.target} (${d.source}) cannot be copied by libvirt: it is skipped unless you choose otherwise.`);
    return {
      target: d.target,
      device: d.device,
      source: d.source,
      format: d.format,
      readonly: d.readonly,
      shareable: d.shareable,
      pool: pool ? { uuid: pool.uuid, name: pool.name } : null,
      capacity: d.vol?.capacity ?? null,
      allocation: d.vol?.allocation ?? null,
      backing: d.backing,
      modes,
      defaultMode,
      proposedName,
    };
  });
  return { sourceName: f.name, running: f.running, template: f.template, defaultName, disks, pools: f.pools.map((p) => ({ uuid: p.uuid, name: p.name, path: p.path, available: p.available })), warnings };
}


interface ResolvedDisk {
  d: DiskFact;
  mode: CloneDiskMode;
  pool?: PoolFact;
  newName?: string;
}

/** The user's choices checked against what each disk allows, names made unique and checked. */
function resolveDisks(f: CloneFacts, name: string, choices: readonly CloneDiskChoice[]): ResolvedDisk[] {
  const unknown = choices.filter((c) => !f.disks.some((d) => d.target === c.target));
  if (unknown.length > 0) throw new AppError('invalid_args', `${f.name} has no disk ${unknown.map((u) => u.target).join(', ')}`);
  const taken = new Map([...f.volumes].map(([k, v]) => [k, new Set(v)]));
  return f.disks.map((d) => {
    const choice = choices.find((c) => c.target === d.target);
    const { modes, defaultMode } = diskModes(d, f.template);
    const mode = choice?.mode ?? defaultMode;
    const offer = modes.find((m) => m.mode === mode)!;
    if (!offer.ok) throw new AppError('unsupported', `Disk ${d.target}: ${mode} is not possible: ${offer.reason}`);
    if (mode !== 'copy' && mode !== 'linked') return { d, mode };
    const pool = choice?.poolUuid ? f.pools.find((p) => p.uuid === choice.poolUuid) : d.vol!.pool;
    if (!pool) throw new AppError('invalid_args', `Disk ${d.target}: pool ${choice?.poolUuid} is not an active pool with a directory`);
    const set = taken.get(pool.uuid) ?? new Set<string>();
    taken.set(pool.uuid, set);
    let newName = choice?.newName;
    if (newName !== undefined && set.has(newName)) throw new AppError('invalid_args', `Disk ${d.target}: a volume “${newName}” exists already in pool ${pool.name}`);
    newName ??= proposeVolumeName(d.vol!.name, f.name, name, d.target, set, mode === 'linked' ? '.qcow2' : undefined);
    set.add(newName);
    return { d, mode, pool, newName };
  });
}

const volArgs = (poolUuid: string, name: string) => ['--pool', poolUuid, '--vol', name];

/** The new definition: virt-clone's changes, each disk pointed at its new volume (or removed). */
export function cloneXml(f: CloneFacts, name: string, disks: readonly ResolvedDisk[], nvramPath: string | null): string {
  const x = DomainXml.parse(f.xml);
  giveNewIdentity(x, name, nvramPath);
  const devs = x.devices!;
  const diskEls = elementChildren(devs, 'disk');
  for (const rd of disks) {
    const el = diskEls[rd.d.index]!;
    if (rd.mode === 'skip') removeElement(el);
    if (rd.mode !== 'copy' && rd.mode !== 'linked') continue;
    const path = posix.join(rd.pool!.path, rd.newName!);
    const src = child(el, 'source') ?? insertChild(el, h(x.doc, 'source'), ['driver', 'source']);
    for (const a of ['file', 'dev', 'pool', 'volume']) setAttr(src, a, undefined);
    if (rd.d.type === 'volume') {
      setAttr(src, 'pool', rd.pool!.name);
      setAttr(src, 'volume', rd.newName!);
    } else setAttr(src, rd.d.type === 'block' ? 'dev' : 'file', path);
    const bs = child(el, 'backingStore');
    if (bs) removeElement(bs);
    if (rd.mode === 'linked') setAttr(child(el, 'driver') ?? insertChild(el, h(x.doc, 'driver', { name: 'qemu' }), ['driver']), 'type', 'qcow2');
  }
  return x.toXml();
}

/** The whole clone: checked first (shut off, name free, modes allowed, names unique), then the steps. */
export function planClone(f: CloneFacts, a: Pick<CloneArgs, 'name' | 'disks'>): ClonePlan {
  if (f.running) throw new AppError('unsupported', `${f.name} is running: shut it down first. A running QEMU holds a write lock on its disks (vol-clone fails with “Failed to get shared write lock”), and a copy of a live disk is inconsistent.`);
  if (f.names.has(a.name)) throw new AppError('invalid_args', `a VM named “${a.name}” exists already`);
  const disks = resolveDisks(f, a.name, a.disks);
  const steps: CloneStep[] = [];
  const volumes: string[] = [];
  for (const rd of disks) {
    if (rd.mode !== 'copy' && rd.mode !== 'linked') continue;
    const src = rd.d.vol!;
    const pool = rd.pool!;
    const newName = rd.newName!;
    const undo: Step = { argv: ['vol-delete', ...volArgs(pool.uuid, newName)] };
    const made = `volume “${newName}” in pool ${pool.name}`;
    volumes.push(posix.join(pool.path, newName));
    if (rd.mode === 'linked') {
      steps.push({
        argv: ['vol-create-as', '--pool', pool.uuid, '--name', newName, '--capacity', String(src.capacity ?? 0), '--allocation', '0', '--format', 'qcow2', '--backing-vol', src.path, '--backing-vol-format', src.format ?? 'raw'],
        undo,
        made,
      });
    } else if (pool.uuid === src.pool.uuid) {
      steps.push({ argv: ['vol-clone', ...volArgs(src.pool.uuid, src.name), '--newname', newName], long: true, undo, made, progress: { poolUuid: pool.uuid, name: newName, target: rd.d.target, total: src.allocation ?? 0 } });
    } else {
      steps.push({
        argv: ['vol-create-from', '--pool', pool.uuid, '--file', '/dev/stdin', '--inputpool', src.pool.uuid, '--vol', src.name],
        stdin: newVolumeXml({ name: newName, capacity: src.capacity ?? 0, allocation: 0, format: src.format ?? 'raw' }),
        long: true,
        undo,
        made,
        progress: { poolUuid: pool.uuid, name: newName, target: rd.d.target, total: src.allocation ?? 0 },
      });
    }
  }
  let nvramPath: string | null = null;
  if (f.nvram?.vol) {
    const nv = f.nvram.vol;
    const newName = proposeVolumeName(nv.name, f.name, a.name, 'VARS', f.volumes.get(nv.pool.uuid) ?? new Set(), extOf(nv.name));
    nvramPath = posix.join(nv.pool.path, newName);
    steps.push({ argv: ['vol-clone', ...volArgs(nv.pool.uuid, nv.name), '--newname', newName], undo: { argv: ['vol-delete', ...volArgs(nv.pool.uuid, newName)] }, made: `NVRAM volume “${newName}” in pool ${nv.pool.name}` });
    volumes.push(nvramPath);
  }
  const xml = cloneXml(f, a.name, disks, nvramPath);
  // --keep-nvram: the NVRAM copy is removed by its own undo step, through its pool.
  steps.push({ ...defineStep(xml), undo: { argv: ['undefine', '--domain', a.name, '--keep-nvram'] }, made: `the definition of “${a.name}”` });
  return { name: a.name, xml, steps, volumes };
}
