/**
 * Restoring and deleting backups, as transactions. A restore copies each backup volume into the
 * target pool with `vol-create-from` (qemu-img convert reads the whole backing chain, so an
 * incremental backup comes out as the full disk), then defines the VM; a failure removes the
 * copies (and the definition). Restoring over a VM keeps the disks it had: they are listed, and
 * its previous definition goes to the XML history (undo). https://libvirt.org/manpages/virsh.html#vol-create-from
 */
import type { z } from 'zod';
import type { RestoreAsNewArgs, RestoreOverArgs } from '../../../shared/api/backups';
import { AppError } from '../../../shared/errors';
import type { Backup } from '../../../shared/model/backup';
import type { HostConnection } from '../../hosts/host-connection';
import { defineDomain, domainStatus } from '../domain-config';
import type { DomainXmlHistory } from '../domain-history';
import { fileSafe } from '../file-names';
import { parseJobStats } from '../../virsh/parse/jobinfo';
import { abortArgv, jobInfoArgv } from '../domain-job';
import { runStep, type Step } from '../plan';
import { undoAll } from '../undo';
import { poolPath, targetVolumeXml } from './backup-plan';
import { vmBackupState } from './options';
import { findBackup, findPool, volumeNames, type ActiveBackups } from './store';
import { restoreAsNewXml, restoreOverXml } from './restore-xml';

interface Copy {
  target: string;
  volume: string;
  path: string;
  step: Step;
}

async function plannedCopies(host: HostConnection, b: Backup, targetPool: string, nameOf: (target: string) => string): Promise<Copy[]> {
  if (b.status !== 'complete') throw new AppError('invalid_args', `backup ${b.id} is ${b.status === 'running' ? 'still being written' : 'incomplete (interrupted before its files were whole)'}: it cannot be restored`);
  const pool = await findPool(host, targetPool);
  const existing = new Set(await volumeNames(host, targetPool));
  return b.disks.map((d) => {
    const volume = nameOf(d.target);
    if (existing.has(volume)) throw new AppError('invalid_args', `a volume "${volume}" exists already in pool "${targetPool}"`);
    return {
      target: d.target,
      volume,
      path: poolPath(pool.targetPath, volume),
      step: { argv: ['vol-create-from', '--pool', targetPool, '--file', '/dev/stdin', '--inputpool', b.pool, '--vol', d.volume], stdin: targetVolumeXml({ volume, capacity: d.capacity }), long: true },
    };
  });
}

const diskMap = (copies: readonly Copy[]) => new Map(copies.map((c) => [c.target, c.path]));

export async function planRestoreAsNew(host: HostConnection, a: z.output<typeof RestoreAsNewArgs>): Promise<{ copies: Copy[]; define: Step }> {
  const b = await findBackup(host, a.uuid, a.pool, a.id);
  const clash = await host.run(['virsh', 'domuuid', '--domain', a.name], { allowFailure: true });
  if (clash.code === 0) throw new AppError('invalid_args', `a VM named "${a.name}" exists already`);
  const copies = await plannedCopies(host, b, a.targetPool, (t) => `${fileSafe(a.name)}.${fileSafe(t)}.qcow2`);
  return { copies, define: { argv: ['define', '--file', '/dev/stdin', '--validate'], stdin: restoreAsNewXml(b.domainXml, a.name, diskMap(copies)) } };
}

/** Runs the copies then `last`; on failure removes the copies made. */
async function copyThen<T>(host: HostConnection, copies: readonly Copy[], pool: string, last: () => Promise<T>): Promise<T> {
  const made: string[] = [];
  try {
    for (const c of copies) {
      made.push(c.volume);
      await runStep(host, c.step);
    }
    return await last();
  } catch (e) {
    const { left } = await undoAll(host, [...made].reverse().map((v) => ({ what: v, step: { argv: ['vol-delete', '--pool', pool, '--vol', v] } })));
    const err = AppError.from(e);
    throw new AppError(err.code, `${err.message} ${left.length ? `Could not remove: ${left.join(', ')}.` : `Removed the copies made (${made.length}).`}`, err.detail);
  }
}

export async function restoreAsNew(host: HostConnection, a: z.output<typeof RestoreAsNewArgs>): Promise<{ uuid: string; name: string }> {
  const plan = await planRestoreAsNew(host, a);
  return copyThen(host, plan.copies, a.targetPool, async () => {
    await runStep(host, plan.define);
    const uuid = (await host.run(['virsh', 'domuuid', '--domain', a.name])).stdout.trim();
    return { uuid, name: a.name };
  });
}

export async function planRestoreOver(host: HostConnection, a: z.output<typeof RestoreOverArgs>): Promise<{ copies: Copy[]; xml: string; kept: string[]; dropCheckpoints: Step[] }> {
  const [b, status, vm] = await Promise.all([findBackup(host, a.uuid, a.pool, a.id), domainStatus(host, a.uuid), vmBackupState(host, a.uuid)]);
  if (status.running) throw new AppError('invalid_args', `${status.name} is running: shut it down before restoring over it`);
  const copies = await plannedCopies(host, b, a.targetPool, (t) => `${fileSafe(status.name)}.restored-${b.id}.${fileSafe(t)}.qcow2`);
  // The checkpoints describe bitmaps in the disks being replaced: only their metadata is dropped.
  const dropCheckpoints = vm.checkpoints.map((c) => ({ argv: ['checkpoint-delete', '--domain', a.uuid, '--checkpointname', c, '--metadata'] }));
  return { copies, xml: restoreOverXml(b.domainXml, status.name, a.uuid.toLowerCase(), diskMap(copies)), kept: vm.disks.map((d) => d.source), dropCheckpoints };
}

export async function restoreOver(host: HostConnection, history: DomainXmlHistory, a: z.output<typeof RestoreOverArgs>): Promise<{ kept: string[] }> {
  const plan = await planRestoreOver(host, a);
  return copyThen(host, plan.copies, a.targetPool, async () => {
    await defineDomain(host, history, { uuid: a.uuid, xml: plan.xml, cause: 'restore', summary: `restored from backup ${a.id} (${a.pool})` });
    for (const s of plan.dropCheckpoints) await runStep(host, s);
    return { kept: plan.kept };
  });
}

/**
 * Disk volumes, then the manifest; the backup's checkpoint is deleted first (libvirt merges its
 * bitmap into the parent's). An interrupted backup loses only the files it got to make; one whose
 * libvirt job still runs with its app gone gets that job aborted first (`active`: this app runs
 * it, so it is cancelled, not deleted).
 */
export async function planDelete(host: HostConnection, uuid: string, pool: string, id: string, active: ActiveBackups = new Set()): Promise<{ steps: Step[]; removed: string[] }> {
  const b = await findBackup(host, uuid, pool, id, active);
  if (active.has(`${pool}/${id}`)) throw new AppError('invalid_args', `backup ${id} is running: cancel it instead`);
  if (b.children.length > 0) throw new AppError('invalid_args', `incremental backup${b.children.length > 1 ? 's' : ''} ${b.children.join(', ')} build${b.children.length > 1 ? '' : 's'} on this one: delete ${b.children.length > 1 ? 'them' : 'it'} first`);
  const steps: Step[] = [];
  if (b.status === 'running') steps.push({ argv: abortArgv(uuid) });
  if (b.checkpoint !== null) {
    const cps = await host.run(['virsh', 'checkpoint-list', '--domain', uuid, '--name'], { allowFailure: true });
    if (cps.code === 0 && cps.stdout.split('\n').includes(b.checkpoint)) steps.push({ argv: ['checkpoint-delete', '--domain', uuid, '--checkpointname', b.checkpoint] });
  }
  const exists = b.status === 'complete' ? null : new Set(await volumeNames(host, pool));
  const disks = b.disks.filter((d) => exists === null || exists.has(d.volume));
  for (const d of disks) steps.push({ argv: ['vol-delete', '--pool', pool, '--vol', d.volume] });
  steps.push({ argv: ['vol-delete', '--pool', pool, '--vol', b.manifestVolume] });
  return { steps, removed: [...disks.map((d) => d.path), b.manifestVolume] };
}

/**
 * Runs a delete plan (stops at the first failure; the manifest goes last, so the backup stays
 * listed with what is left, and a retry plans only the volumes that still exist). domjobabort
 * returns before QEMU has ended a backup job (libvirt 9.0): the files are deleted only once
 * `domjobinfo` shows no job, so nothing writes them afterwards.
 */
export async function runDelete(host: HostConnection, steps: readonly Step[]): Promise<void> {
  for (const s of steps) {
    try {
      await runStep(host, s);
    } catch (e) {
      // A vol-create-from whose virsh client died goes on in libvirtd (checked on 9.0): its volume cannot be deleted before it ends.
      if (s.argv[0] === 'vol-delete' && /still being allocated/.test(AppError.from(e).message))
        throw new AppError('invalid_args', `libvirt is still copying into ${s.argv[4]} (the copy goes on after the app that started it quit): delete the backup again once it ends; the backup stays listed`);
      throw e;
    }
    if (s.argv[0] !== 'domjobabort') continue;
    const deadline = Date.now() + 120_000;
    for (;;) {
      const info = await host.run(['virsh', ...jobInfoArgv(s.argv[2]!)], { allowFailure: true });
      if (info.code !== 0 || parseJobStats(info.stdout).type === 'None') break;
      if (Date.now() > deadline) throw new AppError('virsh', 'the backup job did not end within 2 minutes of domjobabort: nothing was deleted');
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

export const restoreNewSteps = (p: { copies: Copy[]; define: Step }): Step[] => [...p.copies.map((c) => c.step), p.define];
export const restoreOverSteps = (p: { copies: Copy[]; xml: string; dropCheckpoints: Step[] }): Step[] => [...p.copies.map((c) => c.step), { argv: ['define', '--file', '/dev/stdin', '--validate'], stdin: p.xml }, ...p.dropCheckpoints];
