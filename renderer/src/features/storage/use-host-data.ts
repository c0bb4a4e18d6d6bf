import { useCallback, useEffect, useRef, useState } from 'react';
import type { Api, EventName } from '../../../../shared/contract';
import type { AppErrorShape } from '../../../../shared/errors';
import { useApi } from '../../api/ApiProvider';
import { toErrorShape } from '../../lib/format-error';
import { selectBackendReady, useBackendStore } from '../../stores/backend';
import { useHostsStore } from '../../stores/hosts';

export interface HostData<T> {
  data: T | null;
  error: AppErrorShape | null;
  loading: boolean;
  reload: () => void;
}

/** True while the host is connected (nothing can be fetched otherwise). */
export function useHostConnected(hostId: string): boolean {
  return useHostsStore((s) => s.hosts.some((h) => h.config.id === hostId && h.status.state === 'connected'));
}

/**
 * Fetches something of one host while it is connected, and refetches when an invalidation
 * event for that host arrives or the backend reconnects. Events only invalidate: nothing is
 * patched from their data. Bursts collapse into one trailing fetch.
 */
export function useHostData<T>(hostId: string, fetch: ((api: Api) => Promise<T>) | null, events: readonly EventName[], key = ''): HostData<T> {
  const api = useApi();
  const ready = useBackendStore(selectBackendReady);
  const connected = useHostConnected(hostId);
  const [state, setState] = useState<{ data: T | null; error: AppErrorShape | null; loading: boolean }>({ data: null, error: null, loading: false });
  const fetchRef = useRef(fetch);
  fetchRef.current = fetch;
  const running = useRef<{ again: boolean } | null>(null);
  const generation = useRef(0);

  const reload = useCallback(() => {
    const f = fetchRef.current;
    if (!f) return;
    if (running.current) {
      running.current.again = true;
      return;
    }
    const gen = generation.current;
    const run = { again: false };
    running.current = run;
    setState((s) => ({ ...s, loading: true }));
    void (async () => {
      do {
        run.again = false;
        try {
          const data = await f(api);
          if (gen === generation.current) setState({ data, error: null, loading: false });
        } catch (e) {
          if (gen === generation.current) setState((s) => ({ ...s, error: toErrorShape(e), loading: false }));
        }
      } while (run.again && gen === generation.current);
      running.current = null;
    })();
  }, [api]);

  // A different host or query starts from nothing: old data must never pass for the new one.
  useEffect(() => {
    generation.current++;
    running.current = null;
    setState({ data: null, error: null, loading: false });
    if (ready && connected && fetchRef.current) reload();
  }, [hostId, key, ready, connected, reload]);

  useEffect(() => {
    const offs = events.map((name) =>
      api.on(name, (payload) => {
        if ((payload as { hostId?: string }).hostId === hostId) reload();
      }),
    );
    return () => offs.forEach((off) => off());
    // The event list is fixed per call site; re-subscribing on each render would be wasted work.
  }, [api, hostId, reload]);

  return { ...state, reload };
}
