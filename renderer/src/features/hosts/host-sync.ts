import { useEffect } from 'react';
import type { Api } from '../../../../shared/contract';
import { useApi } from '../../api/ApiProvider';
import { toErrorShape } from '../../lib/format-error';
import { coalescedByKey } from '../../lib/coalesce';
import { selectBackendReady, useBackendStore } from '../../stores/backend';
import { setHostStatus, setHosts, setHostsLoadError, useHostsStore } from '../../stores/hosts';
import { selectHostId, useUiStore } from '../../stores/ui';

const refreshers = new WeakMap<Api, () => Promise<void>>();

/** Refetches the connection list; concurrent calls collapse into one trailing fetch. */
export function refreshHosts(api: Api): Promise<void> {
  let refresh = refreshers.get(api);
  if (!refresh) {
    const run = coalescedByKey(async () => {
      try {
        setHosts(await api.request('hosts.list', {}));
      } catch (e) {
        setHostsLoadError(toErrorShape(e));
      }
    });
    refresh = () => run(null);
    refreshers.set(api, refresh);
  }
  return refresh();
}

/** Keeps the hosts store in step with the backend: initial load, resync after reconnect, events. */
export function useHostsSync() {
  const api = useApi();
  const ready = useBackendStore(selectBackendReady);

  useEffect(() => {
    const offChanged = api.on('hosts.changed', () => void refreshHosts(api));
    const offStatus = api.on('hosts.status', ({ hostId, status }) => setHostStatus(hostId, status));
    return () => {
      offChanged();
      offStatus();
    };
  }, [api]);

  // Events may have been missed while the backend was unreachable, so every (re)open refetches.
  useEffect(() => {
    if (ready) void refreshHosts(api);
  }, [api, ready]);

  // Keep the active host pointing at an existing one (host-level commands use it); default to the first.
  const hosts = useHostsStore((s) => s.hosts);
  const active = useUiStore((s) => s.selection.hostId);
  useEffect(() => {
    if (active !== null && hosts.some((h) => h.config.id === active)) return;
    selectHostId(hosts[0]?.config.id ?? null);
  }, [hosts, active]);
}
