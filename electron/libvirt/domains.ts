import { AppError } from '../../shared/errors';
import type { ActionResult, Domain, DomainAction } from '../../shared/model/domain';
import type { HostConnection } from '../hosts/host-connection';
import { domainStateFromCode, parseDomstatsRaw, parseListUuidName, parseUuidList } from '../virsh/parse';

/**
 * The VM list in a handful of bulk calls, whatever the number of VMs: names by UUID, three
 * flag lists, and one `domstats --state` for every state. (Never one call per VM.)
 */
export async function listDomains(host: HostConnection): Promise<Domain[]> {
  const [names, persistent, autostart, saved, stats] = await Promise.all([
    host.virsh(['list', '--all', '--uuid', '--name']),
    host.virsh(['list', '--all', '--uuid', '--persistent']),
    host.virsh(['list', '--all', '--uuid', '--autostart']),
    host.virsh(['list', '--all', '--uuid', '--with-managed-save']),
    host.virsh(['domstats', '--raw', '--state']),
  ]);
  const isPersistent = new Set(parseUuidList(persistent.stdout));
  const isAutostart = new Set(parseUuidList(autostart.stdout));
  const hasSave = new Set(parseUuidList(saved.stdout));
  // domstats names its blocks by name; names are unique per host.
  const stateByName = new Map<string, { state: number; reason: number }>();
  for (const block of parseDomstatsRaw(stats.stdout)) {
    stateByName.set(block.name, {
      state: Number(block.fields.get('state.state') ?? 0),
      reason: Number(block.fields.get('state.reason') ?? 0),
    });
  }
  return parseListUuidName(names.stdout).map(({ uuid, name }) => {
    const st = stateByName.get(name);
    return {
      uuid,
      name,
      state: domainStateFromCode(st?.state ?? 0),
      reason: st?.reason ?? 0,
      persistent: isPersistent.has(uuid),
      autostart: isAutostart.has(uuid),
      managedSave: hasSave.has(uuid),
    };
  });
}

/** virsh commands per action; the domain is addressed by UUID, never by name. */
const ACTION_COMMAND: Record<DomainAction, string> = {
  start: 'start',
  shutdown: 'shutdown',
  reboot: 'reboot',
  reset: 'reset',
  destroy: 'destroy',
  suspend: 'suspend',
  resume: 'resume',
};

export function actionArgv(action: DomainAction, uuid: string): string[] {
  return [ACTION_COMMAND[action], '--domain', uuid];
}

/** Runs one action on each VM; one failure does not stop the others. */
export async function runDomainAction(host: HostConnection, uuids: readonly string[], action: DomainAction): Promise<ActionResult[]> {
  return Promise.all(
    uuids.map(async (uuid): Promise<ActionResult> => {
      try {
        await host.virsh(actionArgv(action, uuid), { timeoutMs: 120_000 });
        return { uuid, ok: true };
      } catch (e) {
        const err = AppError.from(e);
        return { uuid, ok: false, error: { code: err.code, message: err.message } };
      }
    }),
  );
}
