import { create } from 'zustand';
import type { AppErrorShape } from '../../../shared/errors';
import type { HostId } from '../../../shared/model/host';
import type { ActionResult, Domain, DomainUuid } from '../../../shared/model/domain';
import type { VmCommand } from '../features/domains/domain-actions';

export type VmError = NonNullable<ActionResult['error']>;

export interface HostDomains {
  domains: Domain[];
  loaded: boolean;
  loadError: AppErrorShape | null;
  /** Per-VM failures of the last command on that VM, shown next to it until the next command. */
  vmErrors: Readonly<Record<DomainUuid, VmError>>;
  /** VMs with a command in flight, and which. */
  pending: Readonly<Record<DomainUuid, VmCommand>>;
}

export interface DomainsState {
  byHost: Readonly<Record<HostId, HostDomains>>;
}

export const emptyHostDomains: HostDomains = {
  domains: [],
  loaded: false,
  loadError: null,
  vmErrors: {},
  pending: {},
};

export const useDomainsStore = create<DomainsState>()(() => ({ byHost: {} }));

function update(hostId: HostId, fn: (d: HostDomains) => Partial<HostDomains>) {
  useDomainsStore.setState((s) => {
    const current = s.byHost[hostId] ?? emptyHostDomains;
    return { byHost: { ...s.byHost, [hostId]: { ...current, ...fn(current) } } };
  });
}

/**
 * Replaces a host's list, reusing the previous object of every VM that did not change, so a
 * refetch after one VM changed re-renders that row only (rows are memoised by identity).
 */
export function setDomains(hostId: HostId, domains: Domain[]) {
  update(hostId, (d) => {
    const before = new Map(d.domains.map((x) => [x.uuid, x]));
    const merged = domains.map((x) => {
      const old = before.get(x.uuid);
      return old && sameDomain(old, x) ? old : x;
    });
    return { domains: merged, loaded: true, loadError: null };
  });
}

function sameDomain(a: Domain, b: Domain): boolean {
  for (const k of Object.keys(b) as (keyof Domain)[]) if (a[k] !== b[k]) return false;
  return Object.keys(a).length === Object.keys(b).length;
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

export function markStarted(hostId: HostId, uuids: readonly DomainUuid[], command: VmCommand) {
  update(hostId, (d) => {
    const pending = { ...d.pending };
    const vmErrors = { ...d.vmErrors };
    for (const u of uuids) {
      pending[u] = command;
      delete vmErrors[u];
    }
    return { pending, vmErrors };
  });
}

/** Ends a command: `errors` are per-VM failures (virsh's message), shown next to each VM. */
export function markFinished(hostId: HostId, uuids: readonly DomainUuid[], errors: ReadonlyMap<DomainUuid, VmError>) {
  update(hostId, (d) => {
    const pending = { ...d.pending };
    const vmErrors = { ...d.vmErrors };
    for (const u of uuids) delete pending[u];
    for (const [u, e] of errors) vmErrors[u] = e;
    return { pending, vmErrors };
  });
}

export function dismissVmError(hostId: HostId, uuid: DomainUuid) {
  update(hostId, (d) => {
    if (!(uuid in d.vmErrors)) return {};
    const vmErrors = { ...d.vmErrors };
    delete vmErrors[uuid];
    return { vmErrors };
  });
}
