/**
 * Wraps a refetch so that bursts of invalidations (events, several actions finishing) cause at
 * most one run in flight plus one trailing run per key: the trailing run sees every change that
 * happened while the first was in flight, and nothing is fetched more often than needed.
 */
export function coalescedByKey<K>(task: (key: K) => Promise<void>): (key: K) => Promise<void> {
  const running = new Map<K, { again: boolean; done: Promise<void> }>();
  return (key) => {
    const current = running.get(key);
    if (current) {
      current.again = true;
      return current.done;
    }
    const entry = { again: false, done: Promise.resolve() };
    running.set(key, entry);
    entry.done = (async () => {
      try {
        do {
          entry.again = false;
          try {
            await task(key);
          } catch (e) {
            // Tasks record their own failures in stores; this only keeps the loop alive.
            console.error('[coalesce] task failed', e);
          }
        } while (entry.again);
      } finally {
        running.delete(key);
      }
    })();
    return entry.done;
  };
}
