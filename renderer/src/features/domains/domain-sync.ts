import { useEffect, useRef } from 'react';
import type { Api } from '../../../../shared/contract';
import type { HostId } from '../../../../shared/model/host';
import { useApi } from '../../api/ApiProvider';
import { coalescedByKey } from '../../lib/coalesce';
import { toErrorShape } from '../../lib/format-error';
import { selectBackendReady, useBackendStore } from '../../stores/backend';
import { clearDomains, setDomains, setDomainsLoadError, useDomainsStore } from '../../stores/domains';
import { useHostsStore } from '../../stores/hosts';
import { clearHostStats, useStatsStore } from '../../stores/stats';

const refreshers = new WeakMap<Api, (hostId: HostId) => Promise<void>>();

/** Refetches one host's VM list; bursts of domains.changed collapse into one trailing fetch. */
export function refreshDomains(api: Api, hostId: HostId): Promise<void> {
  let refresh = refreshers.get(api);
  if (!refresh) {
    refresh = coalescedByKey(async (id: HostId) => {
      try {
        const list = await api.request('domains.list', { hostId: id });
        // The host may have disconnected while the request was out: do not resurrect its list.
        if (isConnected(id)) setDomains(id, list);
      } catch (e) {
        if (isConnected(id)) setDomainsLoadError(id, toErrorShape(e));
      }
    });
    refreshers.set(api, refresh);
  }
  return refresh(hostId);
}

function isConnected(hostId: HostId): boolean {
  return useHostsStore.getState().hosts.some((h) => h.config.id === hostId && h.status.state === 'connected');
}

/** Connected host ids as one string, so the effect below runs only when that set changes. */
const selectConnectedIds = (s: ReturnType<typeof useHostsStore.getState>) =>
  s.hosts
    .filter((h) => h.status.state === 'connected')
    .map((h) => h.config.id)
    .join('\n');

/**
 * Keeps every connected host's VM list current (the tree shows them all): fetch on connect and
 * after a backend reconnect, refetch on domains.changed, forget on disconnect.
 */
export function useDomainsSync() {
  const api = useApi();
  const ready = useBackendStore(selectBackendReady);
  const connectedIds = useHostsStore(selectConnectedIds);
  const fetched = useRef(new Set<HostId>());

  useEffect(() => {
    if (!ready) {
      // Events may be missed while the backend is away: refetch everything once it is back.
      fetched.current.clear();
      return;
    }
    const connected = new Set(connectedIds ? connectedIds.split('\n') : []);
    for (const id of connected) {
      if (!fetched.current.has(id)) void refreshDomains(api, id);
    }
    fetched.current = connected;
  }, [api, ready, connectedIds]);

  useEffect(
    () =>
      api.on('domains.changed', ({ hostId }) => {
        if (isConnected(hostId)) void refreshDomains(api, hostId);
      }),
    [api],
  );

  // A list (or numbers) from an earlier session must never pass for the current one.
  useEffect(() => {
    const connected = new Set(connectedIds ? connectedIds.split('\n') : []);
    for (const id of Object.keys(useDomainsStore.getState().byHost)) if (!connected.has(id)) clearDomains(id);
    const stats = useStatsStore.getState();
    for (const id of new Set([...Object.keys(stats.byHost), ...Object.keys(stats.addresses)])) {
      if (!connected.has(id)) clearHostStats(id);
    }
  }, [connectedIds]);
}
