import { AppError } from '../../shared/errors';
import type { ActionResult, DeletePlan, DeleteResult, DomainAction } from '../../shared/model/domain';
import type { HostConnection } from '../hosts/host-connection';
import { parseDomblklist, parseDomstateReason } from '../virsh/parse';

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

/** Runs one action on each VM; one failure does not stop the others. */
export async function runDomainAction(host: HostConnection, uuids: readonly string[], action: DomainAction): Promise<ActionResult[]> {
  return Promise.all(
    uuids.map(async (uuid): Promise<ActionResult> => {
      try {
        const argv = actionArgv(action, uuid);
        if (LONG_ACTIONS.has(action)) await host.virshExec(argv, { timeoutMs: 30 * 60_000 });
        else await host.virsh(argv, { timeoutMs: 120_000 });
        return { uuid, ok: true };
      } catch (e) {
        const err = AppError.from(e);
        return { uuid, ok: false, error: { code: err.code, message: err.message } };
      }
    }),
  );
}

/** `virsh save` / `virsh restore` (the seed's way): long jobs on their own exec channel. */
export async function saveToFile(host: HostConnection, uuid: string, path: string): Promise<void> {
  await host.virshExec(['save', '--domain', uuid, '--file', path], { timeoutMs: 60 * 60_000 });
}

export async function restoreFromFile(host: HostConnection, path: string): Promise<void> {
  await host.virshExec(['restore', '--file', path], { timeoutMs: 60 * 60_000 });
}

export async function deletePlan(host: HostConnection, uuid: string): Promise<DeletePlan> {
  const [name, state, blk] = await Promise.all([
    host.virsh(['domname', '--domain', uuid]),
    host.virsh(['domstate', '--domain', uuid, '--reason']),
    host.virsh(['domblklist', '--domain', uuid, '--details']),
  ]);
  return {
    uuid,
    name: name.stdout.replace(/\n+$/, ''),
    state: parseDomstateReason(state.stdout).state,
    disks: parseDomblklist(blk.stdout).filter((d) => d.source !== ''),
  };
}

/**
 * Deletes a VM like virt-manager: force off if it runs, undefine together with its managed-save
 * image, snapshot/checkpoint metadata and UEFI NVRAM (https://libvirt.org/manpages/virsh.html#undefine),
 * then delete only the volumes the user ticked — each one checked against the VM's own disks.
 */
export async function deleteDomain(host: HostConnection, uuid: string, deleteSources: readonly string[]): Promise<DeleteResult> {
  const plan = await deletePlan(host, uuid);
  const ownSources = new Set(plan.disks.map((d) => d.source));
  const foreign = deleteSources.filter((s) => !ownSources.has(s));
  if (foreign.length > 0) throw new AppError('invalid_args', `not a disk of ${plan.name}: ${foreign.join(', ')}`);
  if (plan.state !== 'shutoff') await host.virsh(['destroy', '--domain', uuid]);
  try {
    await host.virsh(['undefine', '--domain', uuid, '--managed-save', '--snapshots-metadata', '--checkpoints-metadata', '--nvram']);
  } catch (e) {
    // Drivers without NVRAM or checkpoints (the test driver) refuse those flags as a whole.
    if (!/unsupported flags/i.test(AppError.from(e).message)) throw e;
    await host.virsh(['undefine', '--domain', uuid, '--managed-save', '--snapshots-metadata']);
  }
  const volumeErrors: DeleteResult['volumeErrors'] = [];
  for (const source of deleteSources) {
    try {
      await host.virsh(['vol-delete', '--vol', source]);
    } catch (e) {
      volumeErrors.push({ source, message: AppError.from(e).message });
    }
  }
  return { undefined: true, volumeErrors };
}
