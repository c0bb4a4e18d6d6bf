/**
 * Keeps the phase store in step with the backend. Events only invalidate: on `newvm.phase`,
 * `domains.changed` or a (re)connect of a host, its list is fetched again (newvm.phases reads the
 * VMs' <metadata>, so it is right after a restart of Virtdeck too).
 */
import { useEffect } from 'react';
import type { Api } from '../../../../shared/contract';
import { useApi } from '../../api/ApiProvider';
import { selectBackendReady, useBackendStore } from '../../stores/backend';
import { markFinished } from '../../stores/domains';
import { useHostsStore } from '../../stores/hosts';
import { setHostPhases, type ActivePhase } from './phase-store';

function refetch(api: Api, hostId: string, seq: Map<string, number>): void {
  const mine = (seq.get(hostId) ?? 0) + 1;
  seq.set(hostId, mine);
  api.request('newvm.phases', { hostId }).then(
    (list) => {
      if (seq.get(hostId) !== mine) return;
      const phases: Record<string, ActivePhase> = {};
      for (const x of list) phases[x.uuid] = x.phase;
      setHostPhases(hostId, phases);
    },
    () => {}, // A host that cannot answer keeps no marks rather than stale ones.
  );
}

export function useInstallPhasesSync(): void {
  const api = useApi();
  const ready = useBackendStore(selectBackendReady);
  const connectedKey = useHostsStore((s) =>
    s.hosts
      .filter((h) => h.status.state === 'connected')
      .map((h) => h.config.id)
      .join('\n'),
  );

  useEffect(() => {
    if (!ready) return;
    const seq = new Map<string, number>();
    const connected = new Set(connectedKey ? connectedKey.split('\n') : []);
    for (const id of connected) refetch(api, id, seq);
    let timers = new Map<string, ReturnType<typeof setTimeout>>();
    const later = (hostId: string) => {
      if (!connected.has(hostId)) return;
      clearTimeout(timers.get(hostId));
      timers.set(hostId, setTimeout(() => refetch(api, hostId, seq), 200));
    };
    const offs = [
      api.on('newvm.phase', (e) => {
        // A phase that moved on with a problem (the final configuration did not start): shown next to the VM, like a failed command.
        if (e.message) markFinished(e.hostId, [e.uuid], new Map([[e.uuid, { code: 'virsh', message: e.message }]]));
        later(e.hostId);
      }),
      api.on('domains.changed', (e) => later(e.hostId)),
    ];
    return () => {
      offs.forEach((off) => off());
      timers.forEach((t) => clearTimeout(t));
      timers = new Map();
      // Bump every host's sequence so answers still on their way are dropped.
      for (const id of seq.keys()) seq.set(id, -1);
    };
  }, [api, ready, connectedKey]);
}
