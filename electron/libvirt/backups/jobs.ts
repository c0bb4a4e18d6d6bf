/**
 * Running a backup to its end: one at a time per VM, with progress and cancel, as a transaction.
 * Running VM: target volumes created → checkpoint-create → `backup-begin --reuse-external`, then
 * `domjobinfo --rawstats` polled for progress (disk_processed/disk_total) until the job ends.
 * Shut-off VM: `vol-create-from` per disk. The manifest is stored first with state 'running' and
 * rewritten 'complete' at the end, so a backup cut off by a quit app or a dropped connection is
 * still listed with its files (store.ts: 'interrupted') and can be deleted; a failure or a cancel
 * (`domjobabort`) removes what this backup made, the manifest last.
 * https://libvirt.org/manpages/virsh.html#backup-begin https://libvirt.org/manpages/virsh.html#domjobinfo
 */
import type { z } from 'zod';
import type { CreateBackupArgs } from '../../../shared/api/backups';
import { AppError } from '../../../shared/errors';
import type { Backup, BackupManifest, BackupProgress } from '../../../shared/model/backup';
import type { HostConnection } from '../../hosts/host-connection';
import { parseJobStats } from '../../virsh/parse/jobinfo';
import { abortArgv, completedJobArgv, jobInfoArgv } from '../domain-job';
import { runStep, type Step } from '../plan';
import { undoAll, type Undo } from '../undo';
import { backupId, checkpointName, copySteps, diskVolume, poolPath, runningPlan, type TargetDisk } from './backup-plan';
import { checkpointRefusal, incrementalParent, vmBackupState, type VmBackupState } from './options';
import { volumeXml } from '../volumes';
import { findBackup, findPool, listBackups, manifestSteps, manifestVolume, volumeNames } from './store';

type CreateArgs = z.output<typeof CreateBackupArgs>;

/** What a create will do, decided before anything changes (the preview shows `steps`). */
export interface CreatePlan {
  vm: VmBackupState;
  pool: string;
  manifest: BackupManifest;
  targets: (TargetDisk & { source: string })[];
  /** Make the manifest volume and write it 'running': before any other step. */
  begin: Step[];
  /** In run order; `backup-begin` is the step after which a running backup is a libvirt job. */
  steps: Step[];
  /** Rewrites the manifest 'complete' once the copy is whole. */
  complete: Step;
}

export async function planBackup(host: HostConnection, a: CreateArgs, now = new Date()): Promise<CreatePlan> {
  const [vm, pool, backups] = await Promise.all([vmBackupState(host, a.uuid), findPool(host, a.pool), listBackups(host, a.uuid)]);
  if (vm.disks.length === 0) throw new AppError('unsupported', `${vm.name} has no file disk to back up${vm.skipped.length ? ` (${vm.skipped.map((s) => `${s.target}: ${s.reason}`).join('; ')})` : ''}`);
  const unknown = vm.disks.find((d) => d.capacity === null);
  if (unknown) throw new AppError('virsh', `the size of disk ${unknown.target} cannot be read (domblkinfo)`);
  let parent: Backup | null = null;
  if (a.incremental) {
    const inc = incrementalParent(vm, backups);
    if (!inc.parent) throw new AppError('unsupported', `no incremental backup: ${inc.reason}`);
    if (inc.parent.pool !== a.pool) throw new AppError('invalid_args', `an incremental backup goes to the pool of the backup it builds on ("${inc.parent.pool}")`);
    parent = inc.parent;
  }
  const existing = new Set(await volumeNames(host, a.pool));
  const id = backupId(now, new Set(backups.map((b) => b.id)));
  const targets = vm.disks.map((d) => {
    const volume = diskVolume(vm.name, id, d.target);
    const backing = parent?.disks.find((p) => p.target === d.target)?.path;
    return { target: d.target, source: d.source, capacity: d.capacity!, volume, path: poolPath(pool.targetPath, volume), ...(backing !== undefined ? { backingPath: backing } : {}) };
  });
  // libvirt refuses an existing target ("store … exists"): every name must be fresh.
  const taken = [manifestVolume(a.uuid, id), ...targets.map((t) => t.volume)].find((n) => existing.has(n));
  if (taken) throw new AppError('invalid_args', `a volume "${taken}" exists already in pool "${a.pool}"`);
  const checkpoint = vm.running && checkpointRefusal(vm) === null ? checkpointName(id) : null;
  const manifest: BackupManifest = {
    format: 'virtdeck-backup/1',
    id,
    vm: { name: vm.name, uuid: a.uuid.toLowerCase() },
    createdAt: now.getTime(),
    kind: parent ? 'incremental' : 'full',
    method: vm.running ? 'backup-begin' : 'vol-copy',
    checkpoint,
    parent: parent?.id ?? null,
    disks: targets.map((t) => ({ target: t.target, source: t.source, volume: t.volume, path: t.path, capacity: t.capacity })),
    domainXml: vm.inactive,
    state: 'running',
  };
  const skipped = vm.skipped.map((s) => s.target);
  const steps = vm.running
    ? (({ volumes, checkpoint: cp, begin }) => [...volumes, ...(cp ? [cp] : []), begin])(runningPlan(a.uuid, a.pool, targets, skipped, parent?.checkpoint ?? null, checkpoint))
    : copySteps(a.pool, targets);
  const m = manifestSteps(a.pool, manifest);
  return { vm, pool: a.pool, manifest, targets, begin: m.begin, steps, complete: m.complete };
}

/** What finishing an orphaned backup writes once its job completed: the manifest, 'complete'. */
export async function planFinish(host: HostConnection, a: { uuid: string; pool: string; id: string }): Promise<{ backup: Backup; step: Step }> {
  const b = await findBackup(host, a.uuid, a.pool, a.id);
  if (b.status !== 'running') throw new AppError('invalid_args', `backup ${b.id} is ${b.status}: only a backup whose libvirt job still runs can be finished`);
  const capacity = (await volumeXml(host, a.pool, b.manifestVolume)).capacity;
  const { pool: _p, manifestVolume: _m, allocation: _a, children: _c, status: _s, ...manifest } = b;
  const step = manifestSteps(a.pool, manifest).complete;
  if (capacity === null || Buffer.byteLength(step.stdin!) !== Number(capacity)) throw new AppError('invalid_args', `${b.manifestVolume} is not the size this app writes: not rewritten`);
  return { backup: b, step };
}

interface Active {
  pool: string;
  progress: BackupProgress;
  cancel: () => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One backup per VM at a time, with its progress; owned by the backend (one per host registry). */
export class BackupJobs {
  private readonly active = new Map<string, Active>();

  progress(hostId: string, uuid: string): BackupProgress | null {
    return this.active.get(`${hostId}/${uuid.toLowerCase()}`)?.progress ?? null;
  }

  /** `pool/id` of the backups running on this host now (store.ts lists them as running). */
  activeKeys(hostId: string): Set<string> {
    return new Set([...this.active].filter(([k]) => k.startsWith(`${hostId}/`)).map(([, a]) => `${a.pool}/${a.progress.id}`));
  }

  cancel(hostId: string, uuid: string): boolean {
    const a = this.active.get(`${hostId}/${uuid.toLowerCase()}`);
    if (!a) return false;
    a.cancel();
    return true;
  }

  async run(host: HostConnection, a: CreateArgs): Promise<Backup> {
    const key = `${host.id}/${a.uuid.toLowerCase()}`;
    if (this.active.has(key)) throw new AppError('invalid_args', 'a backup of this VM is running already');
    const plan = await planBackup(host, a);
    const total = plan.targets.reduce((s, t) => s + t.capacity, 0);
    const abort = new AbortController();
    const entry: Active = { pool: a.pool, progress: { id: plan.manifest.id, phase: plan.vm.running ? 'preparing' : 'copying', processed: 0, total }, cancel: () => abort.abort() };
    this.active.set(key, entry);
    const undo: Undo[] = [];
    try {
      // The manifest first: from here on the backup is listed, whatever happens to this process.
      const manifestName = manifestVolume(a.uuid, plan.manifest.id);
      await runStep(host, plan.begin[0]!);
      undo.unshift({ what: manifestName, step: { argv: ['vol-delete', '--pool', a.pool, '--vol', manifestName] } });
      await runStep(host, plan.begin[1]!);
      if (plan.vm.running) await this.runLive(host, a.uuid, plan, entry, abort.signal, undo);
      else await this.runCopy(host, plan, entry, abort.signal, undo);
      entry.progress = { ...entry.progress, phase: 'finishing', processed: total };
      await runStep(host, plan.complete);
      return { ...plan.manifest, state: 'complete', status: 'complete', pool: a.pool, manifestVolume: manifestName, allocation: null, children: [] };
    } catch (e) {
      entry.progress = { ...entry.progress, phase: 'cancelling' };
      const { left } = await undoAll(host, undo);
      const err = abort.signal.aborted ? new AppError('cancelled', 'the backup was cancelled') : AppError.from(e);
      const note = left.length
        ? ` Could not remove: ${left.join(', ')}${left.includes(manifestVolume(a.uuid, plan.manifest.id)) ? ' (listed as an interrupted backup: delete it from the list)' : ''}.`
        : ` Removed what it had made (${undo.length} item${undo.length === 1 ? '' : 's'}).`;
      throw new AppError(err.code, `${err.message}.${note}`.replace('..', '.'), err.detail);
    } finally {
      this.active.delete(key);
    }
  }

  /**
   * A backup whose libvirt job outlived the app that started it (status 'running', not ours):
   * follows that job to its end and, only when QEMU completed it, rewrites the manifest
   * 'complete' (the files are then whole: the job wrote every block). A failed or cancelled job
   * leaves it interrupted, to delete: its files are never trusted half-written.
   */
  async finish(host: HostConnection, a: { uuid: string; pool: string; id: string }): Promise<Backup> {
    const key = `${host.id}/${a.uuid.toLowerCase()}`;
    if (this.active.has(key)) throw new AppError('invalid_args', 'a backup of this VM is running already in this app');
    const { backup: b, step } = await planFinish(host, a);
    const abort = new AbortController();
    const total = b.disks.reduce((n, d) => n + d.capacity, 0);
    const entry: Active = { pool: a.pool, progress: { id: b.id, phase: 'copying', processed: 0, total }, cancel: () => abort.abort() };
    this.active.set(key, entry);
    try {
      await waitJob(host, a.uuid, entry, abort.signal);
      entry.progress = { ...entry.progress, phase: 'finishing', processed: total };
      await runStep(host, step);
      return { ...b, state: 'complete', status: 'complete' };
    } catch (e) {
      const err = AppError.from(e);
      throw new AppError(err.code, `${err.message}: backup ${b.id} stays listed as interrupted (delete it)`, err.detail);
    } finally {
      this.active.delete(key);
    }
  }

  private async runLive(host: HostConnection, uuid: string, plan: CreatePlan, entry: Active, signal: AbortSignal, undo: Undo[]): Promise<void> {
    const pool = plan.pool;
    let made = 0;
    for (const step of plan.steps) {
      if (signal.aborted) throw new AppError('cancelled', 'cancelled');
      await runStep(host, step);
      if (step.argv[0] === 'vol-create') {
        const t = plan.targets[made++]!;
        undo.unshift({ what: t.volume, step: { argv: ['vol-delete', '--pool', pool, '--vol', t.volume] } });
      }
      if (step.argv[0] === 'checkpoint-create' && plan.manifest.checkpoint)
        undo.unshift({ what: `checkpoint ${plan.manifest.checkpoint}`, step: { argv: ['checkpoint-delete', '--domain', uuid, '--checkpointname', plan.manifest.checkpoint] } });
    }
    await waitJob(host, uuid, entry, signal);
  }

  private async runCopy(host: HostConnection, plan: CreatePlan, entry: Active, signal: AbortSignal, undo: Undo[]): Promise<void> {
    for (const [i, step] of plan.steps.entries()) {
      if (signal.aborted) throw new AppError('cancelled', 'cancelled');
      const t = plan.targets[i]!;
      // Registered before it runs: a cancel mid-copy leaves a partial volume to remove.
      undo.unshift({ what: t.volume, step: { argv: ['vol-delete', '--pool', plan.pool, '--vol', t.volume] } });
      await host.run(['virsh', ...step.argv], { stdin: step.stdin!, timeoutMs: 6 * 60 * 60_000, signal });
      entry.progress = { ...entry.progress, processed: entry.progress.processed + t.capacity };
    }
  }
}

/**
 * Follows the domain's backup job to its end with progress; cancel aborts it. QEMU's job ends as
 * Completed, Failed or Cancelled; only a completed one returns.
 */
async function waitJob(host: HostConnection, uuid: string, entry: Active, signal: AbortSignal): Promise<void> {
  if (!signal.aborted) entry.progress = { ...entry.progress, phase: 'copying' };
  let aborting = false;
  for (;;) {
    if (signal.aborted && !aborting) {
      aborting = true;
      entry.progress = { ...entry.progress, phase: 'cancelling' };
      await host.run(['virsh', ...abortArgv(uuid)], { allowFailure: true });
    }
    const now = parseJobStats((await host.run(['virsh', ...jobInfoArgv(uuid)])).stdout);
    if (now.type === 'None') break;
    const { disk_processed: processed = 0, disk_total: total = 0 } = now.fields;
    if (total > 0 && !aborting) entry.progress = { ...entry.progress, processed, total };
    await sleep(250);
  }
  const done = parseJobStats((await host.run(['virsh', ...completedJobArgv(uuid)])).stdout);
  if (done.type === 'Cancelled' || signal.aborted) throw new AppError('cancelled', 'the backup was cancelled');
  if (done.type !== 'Completed') throw new AppError('virsh', `the backup job failed${done.errmsg ? `: ${done.errmsg}` : ''}`);
}
