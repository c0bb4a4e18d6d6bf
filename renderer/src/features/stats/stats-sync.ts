import { useEffect, useMemo } from 'react';
import { useApi } from '../../api/ApiProvider';
import { setStatsProblem, useHostsStore } from '../../stores/hosts';
import { notify } from '../../stores/notifications';
import { ingestAddresses, ingestTick } from '../../stores/stats';
import { TickLayouts } from './tick-layouts';

function isConnected(hostId: string): boolean {
  return useHostsStore.getState().hosts.some((h) => h.config.id === hostId && h.status.state === 'connected');
}

/** Known and not connected: a straggler from a closed connection. Unknown hosts may just not be listed yet. */
function isGone(hostId: string): boolean {
  return useHostsStore.getState().hosts.some((h) => h.config.id === hostId && h.status.state !== 'connected');
}

/**
 * Live data pushed by the backend: usage ticks, guest addresses, and guests that ignored a
 * shutdown or reboot. Events for hosts no longer connected are late stragglers and dropped
 * (a tick for a host not yet listed is dropped too: the next one comes within seconds).
 */
export function useStatsSync() {
  const api = useApi();
  const layouts = useMemo(() => new TickLayouts((hostId) => api.request('stats.layout', { hostId })), [api]);
  useEffect(() => {
    const offs = [
      api.on('stats.tick', (tick) => {
        if (!isConnected(tick.hostId)) return layouts.forget(tick.hostId);
        const uuids = layouts.resolve(tick);
        if (uuids) ingestTick(tick, uuids);
      }),
      api.on('domains.addresses', (event) => {
        // Addresses come rarely (on changes, else every 30 s): one arriving before the host list is kept.
        if (!isGone(event.hostId)) ingestAddresses(event);
      }),
      api.on('stats.problem', ({ hostId, message }) => setStatsProblem(hostId, message)),
      api.on('domains.notice', ({ hostId, uuid, name, kind }) => {
        notify({ kind: 'notice', hostId, uuid, name, notice: kind });
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [api, layouts]);
}
