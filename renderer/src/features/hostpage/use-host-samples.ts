import { useEffect, useRef, useState } from 'react';
import type { AppErrorShape } from '../../../../shared/errors';
import { useApi } from '../../api/ApiProvider';
import { toErrorShape } from '../../lib/format-error';
import { selectBackendReady, useBackendStore } from '../../stores/backend';
import { PerfHistory } from '../details/performance/perf-history';
import { useHostConnected } from '../storage/use-host-data';

/**
 * Attaches the page to the host's sampler while it is mounted and the host connected: watch on
 * mount, unwatch on unmount (the backend also drops a client that goes away). The samples of
 * the last five minutes are kept in a PerfHistory, as the VM Performance tab keeps its own.
 */
export function useHostSamples(hostId: string): { history: PerfHistory; version: number; error: AppErrorShape | null; problem: string | null } {
  const api = useApi();
  const ready = useBackendStore(selectBackendReady);
  const connected = useHostConnected(hostId);
  const ref = useRef<PerfHistory | null>(null);
  ref.current ??= new PerfHistory();
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<AppErrorShape | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (!ready || !connected) return;
    const history = new PerfHistory();
    ref.current = history;
    setVersion(0);
    setError(null);
    let intervalMs = 1000;
    let attached = true;
    const offSample = api.on('hostpage.sample', (s) => {
      if (s.hostId !== hostId) return;
      history.push(s.at, intervalMs, s);
      setVersion(history.version);
    });
    const offProblem = api.on('hostpage.problem', (p) => p.hostId === hostId && setProblem(p.message));
    api.request('hostpage.watch', { hostId }).then(
      (r) => (intervalMs = r.intervalMs),
      (e: unknown) => attached && setError(toErrorShape(e)),
    );
    return () => {
      attached = false;
      offSample();
      offProblem();
      void api.request('hostpage.unwatch', { hostId }).catch(() => {});
    };
  }, [api, hostId, ready, connected]);

  return { history: ref.current, version, error, problem };
}
