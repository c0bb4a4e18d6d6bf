import { useEffect } from 'react';
import type { Api } from '../../../../shared/contract';
import type { HostId } from '../../../../shared/model/host';
import type { ActionResult, DomainAction, DomainUuid } from '../../../../shared/model/domain';
import type { AppErrorShape } from '../../../../shared/errors';
import { useApi } from '../../api/ApiProvider';
import { coalescedByKey } from '../../lib/coalesce';
import { toErrorShape } from '../../lib/format-error';
import { selectBackendReady, useBackendStore } from '../../stores/backend';
import {
  clearDomains,
  markActionFinished,
  markActionStarted,
  setDomains,
  setDomainsLoadError,
  useDomainsStore,
} from '../../stores/domains';
import { useHostsStore } from '../../stores/hosts';
import { useUiStore } from '../../stores/ui';

const refreshers = new WeakMap<Api, (hostId: HostId) => Promise<void>>();

/** Refetches one host's VM list; bursts of domains.changed collapse into one trailing fetch. */
export function refreshDomains(api: Api, hostId: HostId): Promise<void> {
  let refresh = refreshers.get(api);
  if (!refresh) {
    refresh = coalescedByKey(async (id: HostId) => {
      try {
        setDomains(id, await api.request('domains.list', { hostId: id }));
      } catch (e) {
        setDomainsLoadError(id, toErrorShape(e));
      }
    });
    refreshers.set(api, refresh);
  }
  return refresh(hostId);
}

function isConnected(hostId: HostId): boolean {
  return useHostsStore.getState().hosts.some((h) => h.config.id === hostId && h.status.state === 'connected');
}

/**
 * Keeps the selected host's VM list current: fetch on selection, on connect and after a backend
 * reconnect; refetch on domains.changed. Only the selected host is fetched, since only it is shown.
 */
export function useDomainsSync() {
  const api = useApi();
  const ready = useBackendStore(selectBackendReady);
  const hostId = useUiStore((s) => s.selectedHostId);
  const connected = useHostsStore((s) => s.hosts.some((h) => h.config.id === hostId && h.status.state === 'connected'));

  useEffect(() => {
    if (ready && hostId !== null && connected) void refreshDomains(api, hostId);
  }, [api, ready, hostId, connected]);

  useEffect(
    () =>
      api.on('domains.changed', ({ hostId: changed }) => {
        if (changed === useUiStore.getState().selectedHostId && isConnected(changed)) void refreshDomains(api, changed);
      }),
    [api],
  );

  // A list from an earlier session must never pass for the current one: forget it on disconnect.
  const hosts = useHostsStore((s) => s.hosts);
  useEffect(() => {
    const known = useDomainsStore.getState().byHost;
    for (const id of Object.keys(known)) {
      const host = hosts.find((h) => h.config.id === id);
      if (!host || host.status.state !== 'connected') clearDomains(id);
    }
  }, [hosts]);
}

/** Sends one action for several VMs; per-VM failures end up next to each VM. */
export async function runDomainAction(api: Api, hostId: HostId, uuids: DomainUuid[], action: DomainAction) {
  if (uuids.length === 0) return;
  markActionStarted(hostId, uuids, action);
  const results: ActionResult[] = [];
  let requestError: AppErrorShape | null = null;
  try {
    // The contract caps one request at 1000 VMs.
    for (let i = 0; i < uuids.length; i += 1000) {
      results.push(...(await api.request('domains.action', { hostId, uuids: uuids.slice(i, i + 1000), action })));
    }
  } catch (e) {
    requestError = toErrorShape(e);
  }
  markActionFinished(hostId, results, requestError, uuids);
  await refreshDomains(api, hostId);
}
