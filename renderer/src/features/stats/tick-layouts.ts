import type { StatsLayout, StatsTick } from '../../../../shared/model/stats';
import { uuidsOf } from '../../../../shared/stats-codec';

/**
 * The VM order (layout) of each host's stats ticks. A tick carries its UUIDs only when the
 * order changed; a window that opened (or reconnected) after that asks `stats.layout` once and
 * skips ticks until the answer is there (one tick, typically).
 */
export class TickLayouts {
  private readonly known = new Map<string, StatsLayout>();
  private readonly asking = new Set<string>();

  constructor(private readonly ask: (hostId: string) => Promise<StatsLayout | null>) {}

  /** The tick's UUIDs in column order, or undefined when they are not known yet. */
  resolve(tick: StatsTick): readonly string[] | undefined {
    if (tick.uuids) this.known.set(tick.hostId, { layout: tick.layout, uuids: tick.uuids });
    const uuids = uuidsOf(tick, this.known.get(tick.hostId));
    if (uuids) return uuids;
    const hostId = tick.hostId;
    if (!this.asking.has(hostId)) {
      this.asking.add(hostId);
      const before = this.known.get(hostId);
      this.ask(hostId)
        .then(
          (l) => {
            // A tick that carried its UUIDs meanwhile is newer than this answer: it wins.
            if (l && this.known.get(hostId) === before) this.known.set(hostId, l);
          },
          () => {}, // disconnected meanwhile: the next tick asks again
        )
        .finally(() => this.asking.delete(hostId));
    }
    return undefined;
  }

  forget(hostId: string): void {
    this.known.delete(hostId);
  }
}
