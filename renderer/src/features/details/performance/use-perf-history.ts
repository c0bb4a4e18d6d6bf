import { useEffect, useRef, useState } from 'react';
import { useStatsStore, type StatsState } from '../../../stores/stats';
import { PerfHistory } from './perf-history';

/**
 * Collects the VM's samples from the stats store, which the bulk `stats.tick` events feed (the
 * same ticks the list uses, decoded once; nothing extra is polled) for as long as the details
 * view is open. The store's sample is overwritten by the next tick: PerfHistory copies it.
 */
export function usePerfHistory(hostId: string, uuid: string): { history: PerfHistory; version: number } {
  const ref = useRef<PerfHistory | null>(null);
  ref.current ??= new PerfHistory();
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const history = new PerfHistory();
    ref.current = history;
    setVersion(0);
    let lastAt = Number.NaN;
    const take = (s: StatsState) => {
      const host = s.byHost[hostId];
      if (!host || host.at === lastAt) return;
      lastAt = host.at;
      const vm = host.vms.get(uuid); // in the map = in this tick (the map follows each tick's layout)
      if (!vm) return;
      history.push(host.at, host.intervalMs, vm.sample);
      setVersion(history.version);
    };
    take(useStatsStore.getState());
    return useStatsStore.subscribe(take);
  }, [hostId, uuid]);
  return { history: ref.current, version };
}
