/**
 * Offline move of a shut-off VM with its disks between two connected hosts (issue 15, path 3):
 * each disk streamed through Virtdeck (vol-download on the source → vol-upload on the
 * destination), backing chains flattened and sparse raw images sent as qcow2 (both by libvirt's
 * own vol-create-from), NVRAM copied through a pool, then define on the
 * destination, verify, and only then undefine the source (and delete its disks if asked).
 *
 * A failure or cancel before the source is undefined rolls back what the move made on the
 * destination (the domain it defined, every volume it created) and the source's temporary
 * volumes and pools: the source VM and its disks are never written.
 */
import { randomBytes } from 'node:crypto';
import type { MigrationProgress, PreflightCheck } from '../../../shared/model/migration';
import { AppError } from '../../../shared/errors';
import type { HostConnection } from '../../hosts/host-connection';
import { parseDominfo } from '../../virsh/parse/keyValue';
import { parseVolumeXml } from '../../virsh/parse/storage';
import { defineStep } from '../domain-config';
import { commandLines, runStep, type Step } from '../plan';
import { planUploadOfSize } from '../transfers';
import { planMove, type DiskCopy, type MovePlan } from './offline-preflight';
import { destDomainXml, moveNeeds, type DiskDest } from './offline-xml';
import * as S from './offline-steps';
import { streamVolume } from './volume-stream';

export interface OfflineMoveInput {
  source: HostConnection;
  dest: HostConnection;
  uuid: string;
  /** Delete the source's disk volumes after the VM is defined and verified on the destination. */
  deleteSourceDisks: boolean;
  signal?: AbortSignal;
  onProgress?: (p: Omit<MigrationProgress, 'jobId'>) => void;
}
export interface HostCommand {
  host: 'source' | 'dest';
  argv: string[];
}
export interface OfflineMoveResult {
  disks: Array<{ source: string; dest: string; bytes: number }>;
  deletedSourceDisks: string[];
  seconds: number;
  log: string[];
}

export { createPoolOnDest, createPoolOnDestCommands } from './offline-pool';

/** Every check, each with its fix; any 'error' blocks the move. */
export async function preflightOffline(input: OfflineMoveInput): Promise<PreflightCheck[]> {
  return (await preflightOfflineReport(input)).checks;
}

/** The checks, plus the directory pools a copied disk needs and the destination lacks (the dialog offers to create them). */
export async function preflightOfflineReport(input: OfflineMoveInput): Promise<{ name: string; checks: PreflightCheck[]; missingPools: Array<{ name: string; path: string }> }> {
  const plan = await planMove(input.source, input.dest, input.uuid);
  const missing = new Map<string, string>();
  for (const c of plan.copies) if (!c.destPool && c.pool.path) missing.set(c.pool.name, c.pool.path);
  return { name: plan.needs.name, checks: plan.checks, missingPools: [...missing].map(([name, path]) => ({ name, path })) };
}

const line = (host: HostConnection, which: HostCommand['host'], step: Step): HostCommand => ({ host: which, argv: commandLines(host, [step])[0]!.argv });

/** The virsh lines the move runs, in order, as "Show command" displays them. */
export async function offlineMoveCommands(input: OfflineMoveInput): Promise<HostCommand[]> {
  const { source, dest, uuid } = input;
  const plan = await planMove(source, dest, uuid);
  const out: HostCommand[] = [];
  for (const c of plan.copies) {
    const poolD = c.destPool?.uuid ?? c.pool.name;
    const r = diskRoute(c, 'XXXX');
    if (r.sourceConvert) out.push(line(source, 'source', r.sourceConvert));
    out.push(line(dest, 'dest', uploadSteps(poolD, r.uploadName, c.bytes).create));
    out.push(line(source, 'source', S.downloadStep(c.pool.uuid, r.readName)));
    out.push(line(dest, 'dest', uploadSteps(poolD, r.uploadName, c.bytes).upload));
    out.push(line(dest, 'dest', { argv: ['pool-refresh', '--pool', poolD] }));
    if (r.destConvert) out.push(line(dest, 'dest', r.destConvert(poolD)), line(dest, 'dest', S.volDeleteStep(poolD, r.uploadName)));
    if (r.sourceConvert) out.push(line(source, 'source', S.volDeleteStep(c.pool.uuid, r.readName)));
  }
  if (plan.needs.nvram) {
    const tmp = 'virtdeck-nvram-XXXX';
    const dir = S.dirOf(plan.needs.nvram);
    out.push(line(source, 'source', S.tempPoolStep(tmp, dir, false)), line(dest, 'dest', S.tempPoolStep(tmp, dir, true)));
    const nv = uploadSteps(tmp, S.baseOf(plan.needs.nvram), 0);
    out.push(line(dest, 'dest', nv.create), line(source, 'source', S.downloadStep(tmp, S.baseOf(plan.needs.nvram))), line(dest, 'dest', nv.upload));
    out.push(line(source, 'source', S.poolDestroyStep(tmp)), line(dest, 'dest', S.poolDestroyStep(tmp)));
  }
  out.push(line(dest, 'dest', defineStep(destDomainXml(plan.xml, destsOf(plan)))));
  out.push(line(dest, 'dest', { argv: ['dominfo', '--domain', uuid] }), line(dest, 'dest', { argv: ['dumpxml', '--domain', uuid, '--inactive'] }));
  if (plan.autostart) out.push(line(dest, 'dest', S.autostartStep(uuid)));
  out.push(line(source, 'source', S.undefineSourceStep(uuid, !!plan.needs.nvram)));
  if (input.deleteSourceDisks) for (const c of plan.copies.filter((x) => x.sharedWith.length === 0)) out.push(line(source, 'source', S.volDeleteStep(c.pool.uuid, c.vol.name)));
  return out;
}

/**
 * How one disk travels: as it is; flattened (a backing chain, merged into one qcow2 on the
 * source); or, for a raw image that is mostly holes, as a qcow2 made on the source and turned
 * back into a (sparse) raw volume on the destination.
 */
function diskRoute(c: DiskCopy, tag: string) {
  const cap = c.vol.capacity ?? '0';
  const transit = S.transitName(c.vol.name, tag);
  if (c.vol.backing) return { sourceConvert: S.convertStep(c.pool.uuid, c.vol.name, transit, cap, 'qcow2'), readName: transit, uploadName: c.vol.name };
  if (S.sparseRaw(c.disk.format ?? c.vol.format, c.vol.physical, c.vol.allocation))
    return {
      sourceConvert: S.convertStep(c.pool.uuid, c.vol.name, transit, cap, 'qcow2'),
      readName: transit,
      uploadName: transit,
      destConvert: (destPool: string) => S.convertStep(destPool, transit, c.vol.name, cap, 'raw'),
    };
  return { readName: c.vol.name, uploadName: c.vol.name };
}

/** The same steps planUploadOfSize runs (without its space check, for the preview; a size the move reads when it runs shows as 0). */
function uploadSteps(poolUuid: string, name: string, size: number) {
  return {
    create: { argv: ['vol-create-as', '--pool', poolUuid, '--name', name, '--capacity', String(size), '--allocation', '0', '--format', 'raw'] },
    upload: { argv: ['vol-upload', '--pool', poolUuid, '--vol', name, '--file', '/dev/stdin'], stdinFile: 'the source host' },
  };
}

/** Where each copied disk lands: same pool name and path on both hosts, so the same path. */
function destsOf(plan: MovePlan, flattened: ReadonlySet<string> = new Set(plan.copies.filter((c) => c.vol.backing).map((c) => c.disk.target))): DiskDest[] {
  return plan.copies.map((c) => ({
    target: c.disk.target,
    path: c.vol.path,
    format: flattened.has(c.disk.target) ? 'qcow2' : (c.disk.format ?? c.vol.format ?? 'raw'),
    flattened: flattened.has(c.disk.target),
  }));
}

/** What the move made, so a failure can remove exactly that. */
interface Made {
  destVolumes: Array<{ pool: string; name: string }>;
  sourceTemp: Array<{ pool: string; name: string }>;
  tempPools: Array<{ host: HostConnection; name: string }>;
  destDefined: boolean;
  /** The defined VM has an NVRAM file (libvirt refuses to undefine it without --nvram). */
  nvram: boolean;
}

export async function runOfflineMove(input: OfflineMoveInput): Promise<OfflineMoveResult> {
  const { source, dest, uuid, signal } = input;
  const t0 = Date.now();
  const log: string[] = [];
  const progress = (p: Omit<MigrationProgress, 'jobId'>) => input.onProgress?.(p);
  const made: Made = { destVolumes: [], sourceTemp: [], tempPools: [], destDefined: false, nvram: false };
  let step = 'pre-flight';
  /** Runs a step on a host, logged; errors name the step. */
  const run = async (host: HostConnection, which: HostCommand['host'], s: Step) => {
    if (signal?.aborted) throw new AppError('cancelled', 'the move was cancelled');
    log.push(`${which}: ${commandLines(host, [s])[0]!.argv.slice(3).join(' ')}`);
    return runStep(host, s);
  };
  const checkCancel = () => {
    if (signal?.aborted) throw new AppError('cancelled', 'the move was cancelled');
  };

  progress({ phase: 'preflight', message: 'checking both hosts' });
  const plan = await planMove(source, dest, uuid);
  const blocking = plan.checks.filter((c) => !c.ok && c.severity === 'error');
  if (blocking.length > 0) {
    const message = `The pre-flight check failed: ${blocking.map((c) => c.message).join(' ')}`;
    progress({ phase: 'failed', message });
    throw new AppError('invalid_args', message);
  }
  /** Nothing locks the source VM while its disks are copied: one started meanwhile must not be undefined under it. */
  const assertStillOff = async () => {
    const st = parseDominfo((await source.run(['virsh', 'dominfo', '--domain', uuid])).stdout);
    if (st.state !== 'shutoff') throw new AppError('invalid_args', `${plan.needs.name} was started on the source during the move (now ${st.stateText}); its copied disks may be out of date`);
  };

  const result: OfflineMoveResult['disks'] = [];
  let sourceUndefined = false;
  try {
    made.nvram = !!plan.needs.nvram;
    // The plan's sizes; a flattened image's own size replaces its overlay's once it is made.
    let total = plan.copies.reduce((n, c) => n + c.bytes, 0);
    let before = 0;
    for (const c of plan.copies) {
      step = `copying disk ${c.disk.target}`;
      const onSize = (size: number) => (total += size - c.bytes);
      const bytes = await copyDisk(input, c, made, run, onSize, (done, bps) => {
        const processed = before + done;
        progress({ phase: 'copy', disk: c.disk.target, dataProcessed: processed, dataTotal: total, dataRemaining: Math.max(0, total - processed), bandwidthBps: bps, ...(bps > 0 ? { etaSeconds: Math.round(Math.max(0, total - processed) / bps) } : {}) });
      });
      before += bytes;
      result.push({ source: c.vol.path, dest: c.vol.path, bytes });
    }
    if (plan.needs.nvram) {
      step = 'copying the NVRAM';
      // The disks' figures stay: the dialog's bar would otherwise fall back to empty for the small NVRAM file.
      progress({ phase: 'copy', disk: 'nvram', message: plan.needs.nvram, ...(total > 0 ? { dataProcessed: before, dataTotal: total, dataRemaining: Math.max(0, total - before) } : {}) });
      await copyNvram(input, plan.needs.nvram, made, run);
    }

    step = 'defining the VM on the destination';
    checkCancel();
    await assertStillOff();
    progress({ phase: 'define' });
    const xml = destDomainXml(plan.xml, destsOf(plan));
    await run(dest, 'dest', defineStep(xml));
    made.destDefined = true;

    step = 'verifying the VM on the destination';
    checkCancel();
    progress({ phase: 'verify' });
    await verify(dest, uuid, plan, run);
    if (plan.autostart) await run(dest, 'dest', S.autostartStep(uuid));

    step = 'undefining the VM on the source';
    checkCancel();
    await assertStillOff();
    progress({ phase: 'cleanup' });
    await run(source, 'source', S.undefineSourceStep(uuid, !!plan.needs.nvram));
    sourceUndefined = true;
  } catch (e) {
    const err = AppError.from(e);
    progress({ phase: err.code === 'cancelled' ? 'cancelled' : 'failed', message: err.message });
    const mark = log.length;
    if (!sourceUndefined) await rollback(input, made, log);
    await dropTemps(input, made, log);
    // What was undone (or could not be) goes with the error, for the user and the activity log.
    const undone = log.slice(mark);
    const failedUndo = undone.some((l) => l.startsWith('cleanup failed'));
    const what = err.code === 'cancelled' ? `The move was cancelled while ${step}` : `Offline move failed while ${step}: ${err.message}`;
    const after = failedUndo ? ' Some of what it made could not be removed (see details).' : err.code === 'cancelled' ? '; nothing is left on the destination and the source is unchanged.' : '';
    throw new AppError(err.code, `${what}${after}`, undone.length > 0 ? undone.join('\n') : err.detail);
  }
  await dropTemps(input, made, log);

  // Past this point the VM lives on the destination: a cancel no longer applies, and leftovers
  // on the source are reported, not rolled back.
  const deleted: string[] = [];
  if (input.deleteSourceDisks)
    for (const c of plan.copies) {
      if (c.sharedWith.length > 0) {
        log.push(`kept ${c.vol.path} on the source: it is also a disk of ${c.sharedWith.join(', ')}`);
        continue;
      }
      try {
        const del = S.volDeleteStep(c.pool.uuid, c.vol.name);
        log.push(`source: ${del.argv.join(' ')}`);
        await runStep(source, del);
        deleted.push(c.vol.path);
      } catch (e) {
        log.push(`could not delete ${c.vol.path} on the source: ${AppError.from(e).message}`);
      }
    }
  progress({ phase: 'done', message: `moved in ${((Date.now() - t0) / 1000).toFixed(1)} s` });
  return { disks: result, deletedSourceDisks: deleted, seconds: (Date.now() - t0) / 1000, log };
}

type Run = (host: HostConnection, which: HostCommand['host'], s: Step) => Promise<string>;

/** One disk along its route: convert on the source if needed, create + stream + refresh (+ convert back) on the destination. */
async function copyDisk(input: OfflineMoveInput, c: DiskCopy, made: Made, run: Run, onSize: (size: number) => void, onBytes: (done: number, bps: number) => void): Promise<number> {
  const { source, dest } = input;
  const destPool = c.destPool!.uuid;
  const r = diskRoute(c, randomBytes(4).toString('hex'));
  if (r.sourceConvert) {
    await run(source, 'source', r.sourceConvert);
    made.sourceTemp.push({ pool: c.pool.uuid, name: r.readName });
  }
  const read = parseVolumeXml(await runStep(source, { argv: ['vol-dumpxml', '--pool', c.pool.uuid, '--vol', r.readName] }));
  const size = Number(read.physical ?? read.capacity ?? '0');
  onSize(size);
  const up = await planUploadOfSize(dest, destPool, r.uploadName, size, 'the source host');
  await run(dest, 'dest', up.create);
  made.destVolumes.push({ pool: destPool, name: r.uploadName });
  const opts = { ...(input.signal ? { signal: input.signal } : {}), onProgress: (p: { done: number; bps: number }) => onBytes(p.done, p.bps) };
  const bytes = await streamVolume(source, dest, S.downloadStep(c.pool.uuid, r.readName), up.upload, size, opts);
  await run(dest, 'dest', up.refresh);
  if (r.destConvert) {
    await run(dest, 'dest', r.destConvert(destPool));
    // Ours only once made: a failed create leaves nothing (libvirt removes it), and the name might be someone else's by then.
    made.destVolumes.push({ pool: destPool, name: c.vol.name });
    await run(dest, 'dest', S.volDeleteStep(destPool, r.uploadName));
    made.destVolumes = made.destVolumes.filter((v) => !(v.pool === destPool && v.name === r.uploadName));
  }
  return bytes;
}

/** The NVRAM file through a transient pool on each side (or a pool that already has its folder). */
async function copyNvram(input: OfflineMoveInput, file: string, made: Made, run: Run): Promise<void> {
  const { source, dest } = input;
  const dir = S.dirOf(file);
  const name = S.baseOf(file);
  const poolFor = async (host: HostConnection, which: HostCommand['host']) => {
    const tmp = `virtdeck-nvram-${randomBytes(4).toString('hex')}`;
    try {
      await run(host, which, S.tempPoolStep(tmp, dir, which === 'dest'));
      made.tempPools.push({ host, name: tmp });
      return tmp;
    } catch (e) {
      const other = S.conflictingPool(AppError.from(e).message);
      if (other) return other; // a pool already covers the folder: use it
      throw e;
    }
  };
  const [srcPool, destPool] = [await poolFor(source, 'source'), await poolFor(dest, 'dest')];
  const taken = await dest.run(['virsh', 'vol-info', '--pool', destPool, '--vol', name], { allowFailure: true });
  if (taken.code === 0) throw new AppError('invalid_args', `the destination already has the NVRAM file ${file}`);
  const size = Number(parseVolumeXml(await runStep(source, { argv: ['vol-dumpxml', '--pool', srcPool, '--vol', name] })).physical ?? '0');
  const up = await planUploadOfSize(dest, destPool, name, size, 'the source host');
  await run(dest, 'dest', up.create);
  made.destVolumes.push({ pool: destPool, name });
  await streamVolume(source, dest, S.downloadStep(srcPool, name), up.upload, size, input.signal ? { signal: input.signal } : {});
}

/** The destination has the VM, shut off, with every disk on the copied volume. */
async function verify(dest: HostConnection, uuid: string, plan: MovePlan, run: Run): Promise<void> {
  const info = parseDominfo(await run(dest, 'dest', { argv: ['dominfo', '--domain', uuid] }));
  if (info.name !== plan.needs.name || info.uuid !== uuid) throw new AppError('internal', `the destination shows ${info.name} ${info.uuid}, not ${plan.needs.name} ${uuid}`);
  const there = moveNeeds(await run(dest, 'dest', { argv: ['dumpxml', '--domain', uuid, '--inactive'] }));
  for (const c of plan.copies) {
    const d = there.disks.find((x) => x.target === c.disk.target);
    const ok = d && (d.path === c.vol.path || (d.pool === c.disk.pool && d.volume === c.disk.volume));
    if (!ok) throw new AppError('internal', `disk ${c.disk.target} on the destination points at ${d?.path ?? d?.volume ?? 'nothing'}, not the copied ${c.vol.path}`);
  }
}

/** Removes what this move made on the destination; libvirt refuses a volume an aborted stream still holds, so it retries. */
async function rollback(input: OfflineMoveInput, made: Made, log: string[]): Promise<void> {
  const { dest, uuid } = input;
  if (made.destDefined) await attempt(dest, S.undefineDestStep(uuid, made.nvram), log);
  for (const v of made.destVolumes.reverse()) await attempt(dest, S.volDeleteStep(v.pool, v.name), log);
  made.destVolumes = [];
}

async function dropTemps(input: OfflineMoveInput, made: Made, log: string[]): Promise<void> {
  for (const v of made.sourceTemp) await attempt(input.source, S.volDeleteStep(v.pool, v.name), log);
  for (const p of made.tempPools) await attempt(p.host, S.poolDestroyStep(p.name), log);
  made.sourceTemp = [];
  made.tempPools = [];
}

/** How long a cleanup waits for a dropped connection to come back (it reconnects by itself). */
const RECONNECT_WAIT_MS = 60_000;

/**
 * One cleanup step, retried: libvirt refuses to delete a volume an aborted stream still holds
 * for a moment, and a connection that dropped mid-copy (the usual cause of a failed copy) is
 * waited for, so the partial volume it left is still removed once the host answers again.
 */
async function attempt(host: HostConnection, s: Step, log: string[]): Promise<void> {
  const deadline = Date.now() + RECONNECT_WAIT_MS;
  for (let i = 0; ; i++) {
    try {
      await runStep(host, s);
      log.push(`cleanup: ${s.argv.join(' ')}`);
      return;
    } catch (e) {
      const err = AppError.from(e);
      if (err.code === 'not_found' || /not found|no storage vol/i.test(err.message)) return;
      const dropped = err.code === 'disconnected' || err.code === 'timeout';
      if ((!dropped && i >= 20) || Date.now() > deadline) {
        log.push(`cleanup failed: ${s.argv.join(' ')}: ${err.message}`);
        return;
      }
      await new Promise((r) => setTimeout(r, dropped ? 1000 : 250));
    }
  }
}
