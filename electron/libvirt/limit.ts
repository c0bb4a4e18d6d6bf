/**
 * Runs `fn` over `items` with at most `limit` calls in flight. Background work (sizes, guest
 * addresses) goes through this so that it never queues hundreds of commands on the host's one
 * virsh session ahead of a list or a stats tick: those wait behind at most `limit` commands.
 */
export async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
