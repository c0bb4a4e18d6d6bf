/**
 * Runs VM commands: the one entry point for toolbar, context menu, keyboard and notices.
 * Destructive commands open a confirmation naming the VMs, file commands ask for a path on the
 * host, delete opens its dialog; everything else runs at once. Failures are kept next to each
 * VM and raised as an error toast.
 */
import type { Api } from '../../../../shared/contract';
import type { HostId } from '../../../../shared/model/host';
import type { DeleteResult, Domain, DomainAction, DomainUuid } from '../../../../shared/model/domain';
import { toErrorShape } from '../../lib/format-error';
import { markFinished, markStarted, type VmError } from '../../stores/domains';
import { dismiss, notify } from '../../stores/notifications';
import { openDomainDialog, type VmRef } from '../../stores/ui';
import { needsConfirmation, type VmCommand } from './domain-actions';
import { previewBeforeRunNow } from '../storage/preview-setting';
import { refreshDomains } from './domain-sync';
import { isTemplate } from '../clone/template-store';
import { startWithChecks } from '../guards/start-check';

/** The contract caps one domains.action request at 1000 VMs. */
const maxPerRequest = 1000;

/**
 * Asks first where needed; `targets` are already filtered by commandTargets. With "Show commands
 * before running" on, one-click actions open the command dialog (their virsh lines, then run).
 */
export function requestCommand(api: Api, hostId: HostId, command: VmCommand, targets: readonly Domain[]) {
  const refs = targets.map(({ uuid, name }) => ({ uuid, name }));
  if (command === 'restorefile') return openDomainDialog({ kind: 'restorefile', hostId });
  const first = refs[0];
  if (!first) return;
  if (command === 'delete') return openDomainDialog({ kind: 'delete', hostId, vm: first });
  if (command === 'savefile') return openDomainDialog({ kind: 'savefile', hostId, vm: first });
  // A template's disks are linked clones' bases: it never starts by accident.
  if (command === 'start' && refs.some((r) => isTemplate(hostId, r.uuid))) return openDomainDialog({ kind: 'startTemplate', hostId, targets: refs });
  if (needsConfirmation.has(command)) return openDomainDialog({ kind: 'confirm', hostId, command, targets: refs });
  const run = (vms: readonly VmRef[]) => {
    if (previewBeforeRunNow()) return openDomainDialog({ kind: 'command', hostId, vms: targets.filter((d) => vms.some((v) => v.uuid === d.uuid)), action: command });
    void runDomainAction(api, hostId, vms, command);
  };
  // A VM that would not start (too few free hugepages) says why before it is started.
  if (command === 'start') return void startWithChecks(api, hostId, targets, run);
  run(refs);
}

function reportFailures(command: VmCommand, targets: readonly VmRef[], errors: ReadonlyMap<DomainUuid, VmError>) {
  if (errors.size === 0) return;
  const failures = targets.flatMap((t) => {
    const error = errors.get(t.uuid);
    return error ? [{ name: t.name, error }] : [];
  });
  notify({ kind: 'failed', command, failures });
}

/** Sends one libvirt action for several VMs of one host. */
export async function runDomainAction(api: Api, hostId: HostId, targets: readonly VmRef[], action: DomainAction) {
  const uuids = targets.map((t) => t.uuid);
  if (uuids.length === 0) return;
  markStarted(hostId, uuids, action);
  const errors = new Map<DomainUuid, VmError>();
  for (let i = 0; i < uuids.length; i += maxPerRequest) {
    const chunk = uuids.slice(i, i + maxPerRequest);
    try {
      const results = await api.request('domains.action', { hostId, uuids: chunk, action });
      for (const r of results) if (!r.ok) errors.set(r.uuid, r.error ?? { code: 'internal', message: '' });
    } catch (e) {
      // The whole request failed (e.g. the backend went away): every VM in it gets the reason.
      const shape = toErrorShape(e);
      for (const u of chunk) errors.set(u, shape);
    }
  }
  markFinished(hostId, uuids, errors);
  reportFailures(action, targets, errors);
  await refreshDomains(api, hostId);
}

/** Runs one VM's long job (save to file, delete) with the row showing it as pending. */
async function runJob<T>(
  api: Api,
  hostId: HostId,
  vm: VmRef,
  command: 'savefile' | 'delete',
  job: () => Promise<T>,
): Promise<T> {
  markStarted(hostId, [vm.uuid], command);
  try {
    const result = await job();
    markFinished(hostId, [vm.uuid], new Map());
    return result;
  } catch (e) {
    const errors = new Map([[vm.uuid, toErrorShape(e)]]);
    markFinished(hostId, [vm.uuid], errors);
    throw e;
  } finally {
    void refreshDomains(api, hostId);
  }
}

export async function runSaveToFile(api: Api, hostId: HostId, vm: VmRef, path: string) {
  try {
    await runJob(api, hostId, vm, 'savefile', () => api.request('domains.saveToFile', { hostId, uuid: vm.uuid, path }));
    notify({ kind: 'done', command: 'savefile', name: vm.name, path });
  } catch (e) {
    notify({ kind: 'failed', command: 'savefile', failures: [{ name: vm.name, error: toErrorShape(e) }] });
  }
}

/** Restoring has no VM row yet (the VM appears when it is running), so only toasts report it. */
export async function runRestoreFromFile(api: Api, hostId: HostId, path: string) {
  const started = notify({ kind: 'started', command: 'restorefile', path });
  try {
    await api.request('domains.restoreFromFile', { hostId, path });
    notify({ kind: 'done', command: 'restorefile', name: path, path });
  } catch (e) {
    notify({ kind: 'failed', command: 'restorefile', failures: [{ name: path, error: toErrorShape(e) }] });
  } finally {
    dismiss(started);
    void refreshDomains(api, hostId);
  }
}

/** Deletes; the dialog shows failures itself, so this only rethrows them. */
export async function runDelete(api: Api, hostId: HostId, vm: VmRef, deleteSources: string[]): Promise<DeleteResult> {
  const result = await runJob(api, hostId, vm, 'delete', () =>
    api.request('domains.delete', { hostId, uuid: vm.uuid, deleteSources }),
  );
  if (result.volumeErrors.length === 0) notify({ kind: 'done', command: 'delete', name: vm.name });
  return result;
}
