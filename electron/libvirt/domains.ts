import { AppError } from '../../shared/errors';
import type { ActionResult, DeletePlan, DeleteResult, DomainAction } from '../../shared/model/domain';
import type { HostConnection } from '../hosts/host-connection';
import { parseDomblklist, parseDomstateReason } from '../virsh/parse';
import { baseRefusal, baseUses, volumeDiskPaths } from './backing-chains';
import type { Step } from './plan';
import type { Snapshot } from '../../shared/model/snapshot';
import { listSnapshots } from './snapshots';

/** virsh argv per action; the domain is addressed by UUID, never by name. */
export function actionArgv(action: DomainAction, uuid: string): string[] {
  switch (action) {
    case 'autostart':
      return ['autostart', '--domain', uuid];
    case 'noautostart':
      return ['autostart', '--domain', uuid, '--disable'];
    default:
      return [action, '--domain', uuid];
  }
}

/** managedsave writes the guest's RAM to disk: it can take long, so it gets its own channel. */
const LONG_ACTIONS = new Set<DomainAction>(['managedsave']);

/** The steps of one action on several VMs (what `commands.preview` shows and runDomainAction runs). */
export function domainActionSteps(action: DomainAction, uuids: readonly string[]): Step[] {
  return uuids.map((uuid) => ({ argv: actionArgv(action, uuid), long: LONG_ACTIONS.has(action) }));
}

/** Runs one action on each VM; one failure does not stop the others. */
export async function runDomainAction(host: HostConnection, uuids: readonly string[], action: DomainAction): Promise<ActionResult[]> {
  return Promise.all(
    uuids.map(async (uuid): Promise<ActionResult> => {
      try {
        const [step] = domainActionSteps(action, [uuid]);
        await host.run(['virsh', ...step!.argv], step!.long ? { job: true, timeoutMs: 30 * 60_000 } : { timeoutMs: 120_000 });
        return { uuid, ok: true };
      } catch (e) {
        const err = AppError.from(e);
        return { uuid, ok: false, error: { code: err.code, message: err.message } };
      }
    }),
  );
}

/** `virsh save` / `virsh restore` (the seed's way): long jobs on their own exec channel. */
export const saveToFileSteps = (uuid: string, path: string): Step[] => [{ argv: ['save', '--domain', uuid, '--file', path], long: true }];
export const restoreFromFileSteps = (path: string): Step[] => [{ argv: ['restore', '--file', path], long: true }];

export async function saveToFile(host: HostConnection, uuid: string, path: string): Promise<void> {
  for (const step of saveToFileSteps(uuid, path)) await host.run(['virsh', ...step.argv], { job: true, timeoutMs: 60 * 60_000 });
}

export async function restoreFromFile(host: HostConnection, path: string): Promise<void> {
  for (const step of restoreFromFileSteps(path)) await host.run(['virsh', ...step.argv], { job: true, timeoutMs: 60 * 60_000 });
}

export async function deletePlan(host: HostConnection, uuid: string): Promise<DeletePlan> {
  const [name, state, blk, snaps, volPaths] = await Promise.all([
    host.run(['virsh', 'domname', '--domain', uuid]),
    host.run(['virsh', 'domstate', '--domain', uuid, '--reason']),
    host.run(['virsh', 'domblklist', '--domain', uuid, '--details']),
    // Drivers without snapshots (or a failure reading one) only lose this extra list.
    listSnapshots(host, uuid).catch(() => []),
    volumeDiskPaths(host, uuid),
  ]);
  const rows = parseDomblklist(blk.stdout).filter((d) => d.source !== '');
  const snapshotFiles = snapshotFilesOf(snaps, rows.map((d) => d.source));
  // A linked clone's base looks unused to domblklist: every VM's backing chain and every pool's
  // volumes are checked, so the dialog shows the disks that must stay before Delete is pressed.
  const fileOf = (d: { type: string; target: string; source: string }) => (d.type === 'volume' ? volPaths.get(d.target) : d.source);
  const own = [...rows.map(fileOf), ...snapshotFiles.map((f) => f.path)].filter((p): p is string => p !== undefined);
  const uses = await baseUses(host, own, uuid, own);
  const withBase = <T extends object>(x: T, file: string | undefined): T & { baseOf?: DeletePlan['disks'][number]['baseOf'] } => {
    const u = file === undefined ? undefined : uses.get(file);
    return u ? { ...x, baseOf: u } : x;
  };
  return {
    uuid,
    name: name.stdout.replace(/\n+$/, ''),
    state: parseDomstateReason(state.stdout).state,
    disks: rows.map((d) => withBase(d, fileOf(d))),
    snapshotFiles: snapshotFiles.map((f) => withBase(f, f.path)),
  };
}

/** External snapshot files (memory, overlays) not already listed as a disk, once each. */
export function snapshotFilesOf(snaps: readonly Snapshot[], diskSources: readonly string[]): DeletePlan['snapshotFiles'] {
  const seen = new Set(diskSources);
  const out: DeletePlan['snapshotFiles'] = [];
  for (const s of snaps)
    for (const f of s.files)
      if (f.role !== 'internal' && !seen.has(f.path)) {
        seen.add(f.path);
        out.push({ snapshot: s.name, role: f.role, path: f.path });
      }
  return out;
}

/**
 * Deletes a VM like virt-manager: force off if it runs, undefine together with its managed-save
 * image, snapshot/checkpoint metadata and UEFI NVRAM (https://libvirt.org/manpages/virsh.html#undefine),
 * then delete only the volumes the user ticked — each one checked against the VM's own disks.
 */
export async function deleteDomain(host: HostConnection, uuid: string, deleteSources: readonly string[]): Promise<DeleteResult> {
  const { destroy, undefine, volumes } = await deleteDomainSteps(host, uuid, deleteSources);
  if (destroy) await host.run(['virsh', ...destroy.argv]);
  try {
    await host.run(['virsh', ...undefine.argv]);
  } catch (e) {
    // Drivers without NVRAM or checkpoints (the test driver) refuse those flags as a whole.
    if (!/unsupported flags/i.test(AppError.from(e).message)) throw e;
    await host.run(['virsh', 'undefine', '--domain', uuid, '--managed-save', '--snapshots-metadata']);
  }
  const volumeErrors: DeleteResult['volumeErrors'] = [];
  for (const [i, step] of volumes.entries()) {
    try {
      await host.run(['virsh', ...step.argv]);
    } catch (e) {
      volumeErrors.push({ source: deleteSources[i]!, message: AppError.from(e).message });
    }
  }
  return { undefined: true, volumeErrors };
}

/** The steps of a delete (checked against the VM's own disks), for deleteDomain and the preview. */
export async function deleteDomainSteps(host: HostConnection, uuid: string, deleteSources: readonly string[]): Promise<{ destroy?: Step; undefine: Step; volumes: Step[]; all: Step[] }> {
  const plan = await deletePlan(host, uuid);
  const ownSources = new Set([...plan.disks.map((d) => d.source), ...plan.snapshotFiles.map((f) => f.path)]);
  const foreign = deleteSources.filter((s) => !ownSources.has(s));
  if (foreign.length > 0) throw new AppError('invalid_args', `not a disk of ${plan.name}: ${foreign.join(', ')}`);
  // Checked on the host when the plan was read (just now), not on what the dialog showed.
  const bases = [...plan.disks.map((d) => [d.source, d.baseOf] as const), ...plan.snapshotFiles.map((f) => [f.path, f.baseOf] as const)].filter(
    ([src, b]) => b !== undefined && deleteSources.includes(src),
  );
  const refusal = baseRefusal(bases.map(([src, b]) => [src, b!] as const));
  if (refusal) throw refusal;
  const destroy: Step | undefined = plan.state !== 'shutoff' ? { argv: ['destroy', '--domain', uuid] } : undefined;
  // The test driver refuses --checkpoints-metadata/--nvram as a whole: plan without them there, so the preview shows what runs.
  const extra = host.uri.driver === 'test' ? [] : ['--checkpoints-metadata', '--nvram'];
  const undefine: Step = { argv: ['undefine', '--domain', uuid, '--managed-save', '--snapshots-metadata', ...extra] };
  const volumes = deleteSources.map((source): Step => ({ argv: ['vol-delete', '--vol', source] }));
  return { ...(destroy ? { destroy } : {}), undefine, volumes, all: [...(destroy ? [destroy] : []), undefine, ...volumes] };
}
