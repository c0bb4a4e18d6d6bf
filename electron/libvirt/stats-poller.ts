import type { Settings, StatsTick } from '../../shared/model/stats';
import type { HostConnection } from '../hosts/host-connection';
import { parseDomstatsRaw, parseKeyValueTable } from '../virsh/parse';
import type { DomainInventory } from './domain-inventory';
import { countersOf, sampleOf, type RawCounters } from './stats-compute';

/**
 * Usage numbers for every running VM of a host from ONE bulk `domstats` call per tick (never
 * one call per VM). Re-armed with setTimeout after each tick, so a slow host never piles up
 * calls; paused while no window is visible.
 */
export class StatsPoller {
  private timer?: NodeJS.Timeout;
  private running = false;
  private stopped = false;
  private hostCpus = 0;
  private prev = new Map<string, RawCounters>();

  constructor(
    private readonly host: HostConnection,
    private readonly inventory: DomainInventory,
    private readonly settings: () => Settings,
    private readonly emit: (tick: StatsTick) => void,
    /** A VM name the inventory does not know: the list is out of date. */
    private readonly onUnknownVm: () => void,
  ) {}

  start(): void {
    this.stopped = false;
    this.arm(0);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** Settings changed: apply the new interval or pause at once. */
  rearm(): void {
    clearTimeout(this.timer);
    if (!this.running) this.arm(0);
  }

  private arm(delay: number): void {
    if (this.stopped || this.settings().statsPaused) return;
    this.timer = setTimeout(() => void this.tick(), delay);
  }

  async tick(): Promise<StatsTick | undefined> {
    this.running = true;
    try {
      if (this.hostCpus === 0) this.hostCpus = Number(parseKeyValueTable((await this.host.virsh(['nodeinfo'])).stdout)['CPU(s)'] ?? 0);
      const out = await this.host.virsh(['domstats', '--raw', '--list-active', '--cpu-total', '--balloon', '--interface', '--block']);
      const at = Date.now();
      const sizing = new Map(this.inventory.domains.map((d) => [d.uuid, d.vcpus]));
      const next = new Map<string, RawCounters>();
      const samples = [];
      let unknown = false;
      for (const rec of parseDomstatsRaw(out.stdout)) {
        const uuid = this.inventory.uuidOf(rec.name);
        if (!uuid) {
          unknown = true;
          continue;
        }
        const cur = countersOf(rec, at);
        next.set(uuid, cur);
        samples.push(sampleOf(uuid, cur, this.prev.get(uuid), sizing.get(uuid) ?? null, this.hostCpus));
      }
      this.prev = next;
      if (unknown) this.onUnknownVm();
      const tick: StatsTick = { hostId: this.host.id, at, intervalMs: this.settings().statsIntervalMs, hostCpus: this.hostCpus, samples };
      this.emit(tick);
      return tick;
    } catch {
      return undefined; // disconnected or reconnecting: the host status says so; try again next tick
    } finally {
      this.running = false;
      this.arm(this.settings().statsIntervalMs);
    }
  }
}
