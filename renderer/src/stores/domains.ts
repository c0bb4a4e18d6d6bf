import { create } from 'zustand';
import type { AppErrorShape } from '../../../shared/errors';
import type { HostId } from '../../../shared/model/host';
import type { ActionResult, Domain, DomainAction, DomainUuid } from '../../../shared/model/domain';

export type VmError = NonNullable<ActionResult['error']>;

export interface HostDomains {
  domains: Domain[];
  loaded: boolean;
  loadError: AppErrorShape | null;
  /** Per-VM failures of the last action on that VM, shown next to it until the next action. */
  vmErrors: Record<DomainUuid, VmError>;
  /** VMs with an action in flight. */
  pending: Record<DomainUuid, DomainAction>;
  /** A whole domains.action request that failed (e.g. the backend went away). */
  actionError: AppErrorShape | null;
}

export interface DomainsState {
  byHost: Record<HostId, HostDomains>;
}

export const emptyHostDomains: HostDomains = {
  domains: [],
  loaded: false,
  loadError: null,
  vmErrors: {},
  pending: {},
  actionError: null,
};

export const useDomainsStore = create<DomainsState>()(() => ({ byHost: {} }));

function update(hostId: HostId, fn: (d: HostDomains) => Partial<HostDomains>) {
  useDomainsStore.setState((s) => {
    const current = s.byHost[hostId] ?? emptyHostDomains;
    return { byHost: { ...s.byHost, [hostId]: { ...current, ...fn(current) } } };
  });
}

export function setDomains(hostId: HostId, domains: Domain[]) {
  update(hostId, () => ({ domains, loaded: true, loadError: null }));
}

export function setDomainsLoadError(hostId: HostId, error: AppErrorShape) {
  update(hostId, () => ({ loadError: error }));
}

/** Forgets a host's VMs, e.g. when it disconnects, so stale rows are never shown as current. */
export function clearDomains(hostId: HostId) {
  useDomainsStore.setState((s) => {
    if (!(hostId in s.byHost)) return s;
    const next = { ...s.byHost };
    delete next[hostId];
    return { byHost: next };
  });
}

export function markActionStarted(hostId: HostId, uuids: DomainUuid[], action: DomainAction) {
  update(hostId, (d) => {
    const pending = { ...d.pending };
    const vmErrors = { ...d.vmErrors };
    for (const u of uuids) {
      pending[u] = action;
      delete vmErrors[u];
    }
    return { pending, vmErrors, actionError: null };
  });
}

export function markActionFinished(hostId: HostId, results: ActionResult[], requestError: AppErrorShape | null, uuids: DomainUuid[]) {
  update(hostId, (d) => {
    const pending = { ...d.pending };
    const vmErrors = { ...d.vmErrors };
    for (const u of uuids) delete pending[u];
    for (const r of results) if (!r.ok && r.error) vmErrors[r.uuid] = r.error;
    return { pending, vmErrors, actionError: requestError };
  });
}

export function dismissActionError(hostId: HostId) {
  update(hostId, () => ({ actionError: null }));
}
