import { useEffect, useRef, useState } from 'react';
import { useApi } from '../../../api/ApiProvider';
import { PerfHistory } from './perf-history';

/**
 * Collects the VM's samples from the bulk `stats.tick` events (the same ticks the list uses;
 * nothing extra is polled) for as long as the details view is open.
 */
export function usePerfHistory(hostId: string, uuid: string): { history: PerfHistory; version: number } {
  const api = useApi();
  const ref = useRef<PerfHistory | null>(null);
  ref.current ??= new PerfHistory();
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const history = new PerfHistory();
    ref.current = history;
    setVersion(0);
    return api.on('stats.tick', (tick) => {
      if (tick.hostId !== hostId) return;
      const s = tick.samples.find((x) => x.uuid === uuid);
      if (!s) return;
      history.push(tick.at, tick.intervalMs, s);
      setVersion(history.version);
    });
  }, [api, hostId, uuid]);
  return { history: ref.current, version };
}
