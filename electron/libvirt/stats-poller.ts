import type { DomainSample, Settings, StatsLayout, StatsTick } from '../../shared/model/stats';
import { TickEncoder } from '../../shared/stats-codec';
import type { HostConnection } from '../hosts/host-connection';
import { parseDomstatsRaw, parseKeyValueTable } from '../virsh/parse';
import type { DomainInventory } from './domain-inventory';
import { carrySlow, countersOf, sampleOf, type RawCounters } from './stats-compute';
import { tickDisagreement } from './tick-check';

/**
 * What each tick asks `domstats` for. CPU time (the list's CPU %, sparkline and host share) and
 * NIC counters are cheap for libvirtd. Memory (`--balloon`) and disk counters (`--block`) cost a
 * QEMU monitor round trip per running guest (measured on libvirt 9.0: ~2.5 ms each per guest,
 * most of a 50-guest tick), and are only shown in a tooltip and the details Performance tab:
 * they come every SLOW_EVERY-th tick, and the ticks between carry their last values.
 * `--state` costs nothing (libvirtd's own record) and lets each tick check the VM list
 * (tick-check.ts).
 */
export const FAST_GROUPS = ['--state', '--cpu-total', '--interface'] as const;
export const SLOW_GROUPS = ['--balloon', '--block'] as const;
export const SLOW_EVERY = 5;
/** The longest wait between tries while ticks keep failing. */
const MAX_BACKOFF_MS = 30_000;
/** The same disagreement is not resynced again within this time (a VM libvirt skips in a tick). */
const RESYNC_REPEAT_MS = 10_000;

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
  private ticks = 0;
  private prev = new Map<string, RawCounters>();
  /** Counters of the last tick that asked the slow groups. */
  private prevSlow = new Map<string, RawCounters>();
  private lastSlowSample = new Map<string, DomainSample>();
  private readonly encoder = new TickEncoder();
  private lastResync = { key: '', at: 0 };
  /** The samples of the newest tick, as objects (tools and tests; the wire carries columns). */
  lastSamples: DomainSample[] = [];

  constructor(
    private readonly host: HostConnection,
    private readonly inventory: DomainInventory,
    private readonly settings: () => Settings,
    private readonly emit: (tick: StatsTick) => void,
    /** The tick disagrees with the VM list: these VMs, or (undefined) all, need a refetch. */
    private readonly onOutOfDate: (uuids?: string[]) => void,
    /** Whether any UI client is looking (see ViewerPresence); nobody polls for nobody. */
    private readonly anyoneLooking: () => boolean = () => true,
    /** Ticks fail (message) or work again after failing (null): the UI says so instead of freezing. */
    private readonly onProblem: (message: string | null) => void = () => {},
  ) {}

  /** Ticks failed in a row; each failure doubles the wait (up to MAX_BACKOFF_MS). */
  private failures = 0;

  /** Starts ticking; after stop() it never starts again (one poller per connected host). */
  start(): void {
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

  /** The UUID order of the current layout (`stats.layout`), null before the first tick. */
  layout(): StatsLayout | null {
    return this.encoder.layout;
  }

  private arm(delay: number): void {
    if (this.stopped || !this.anyoneLooking()) return;
    this.timer = setTimeout(() => void this.tick(), delay);
  }

  /**
   * The domstats argv of the next tick. The first tick is a fast one (the first numbers come
   * sooner); the second has every group, so memory and disks show after one interval.
   */
  nextArgv(): string[] {
    const slow = this.ticks % SLOW_EVERY === 1;
    return ['domstats', '--raw', '--list-active', ...FAST_GROUPS, ...(slow ? SLOW_GROUPS : [])];
  }

  async tick(): Promise<StatsTick | undefined> {
    this.running = true;
    try {
      if (this.hostCpus === 0) this.hostCpus = Number(parseKeyValueTable((await this.host.run(['virsh', 'nodeinfo'])).stdout)['CPU(s)'] ?? 0);
      const argv = this.nextArgv();
      const slow = argv.includes(SLOW_GROUPS[0]);
      const out = await this.host.run(['virsh', ...argv]);
      this.ticks++;
      const at = Date.now();
      const next = new Map<string, RawCounters>();
      const nextSlow = slow ? new Map<string, RawCounters>() : this.prevSlow;
      const samples: DomainSample[] = [];
      const records = parseDomstatsRaw(out.stdout);
      this.checkList(records);
      for (const rec of records) {
        const uuid = this.inventory.uuidOf(rec.name);
        if (!uuid) continue;
        const cur = countersOf(rec, at);
        next.set(uuid, cur);
        let sample = sampleOf(uuid, cur, this.prev.get(uuid), this.inventory.vcpusOf(uuid), this.hostCpus);
        if (slow) {
          nextSlow.set(uuid, cur);
          // Disk rates over the interval since the previous slow tick, not since the last (fast) one.
          const full = sampleOf(uuid, cur, this.prevSlow.get(uuid), this.inventory.vcpusOf(uuid), this.hostCpus);
          sample = { ...sample, diskRdBps: full.diskRdBps, diskWrBps: full.diskWrBps };
          this.lastSlowSample.set(uuid, sample);
        } else sample = carrySlow(sample, this.lastSlowSample.get(uuid));
        samples.push(sample);
      }
      this.prev = next;
      if (slow) {
        this.prevSlow = nextSlow;
        for (const uuid of this.lastSlowSample.keys()) if (!next.has(uuid)) this.lastSlowSample.delete(uuid);
      }
      this.lastSamples = samples;
      const tick = this.encoder.encode({ hostId: this.host.id, at, intervalMs: this.settings().statsIntervalMs, hostCpus: this.hostCpus }, samples);
      this.emit(tick);
      if (this.failures > 0) this.onProblem(null);
      this.failures = 0;
      return tick;
    } catch (e) {
      // Said once per run of failures, with the reason; ticks go on being tried, more slowly.
      if (this.failures === 0 && !this.stopped) this.onProblem(`Usage numbers are not updating: ${e instanceof Error ? e.message : String(e)}`);
      this.failures++;
      return undefined;
    } finally {
      this.running = false;
      const interval = this.settings().statsIntervalMs;
      this.arm(this.failures === 0 ? interval : Math.min(interval * 2 ** Math.min(this.failures, 6), MAX_BACKOFF_MS));
    }
  }

  /** Refetches the list when the tick shows a change no event reported (tick-check.ts). */
  private checkList(records: ReturnType<typeof parseDomstatsRaw>): void {
    // A refresh in flight (after an event or an action) brings the truth; the next tick checks it.
    if (this.inventory.refreshing) return;
    const { uuids, unknown } = tickDisagreement(records, this.inventory.domains, (n) => this.inventory.uuidOf(n));
    if (!unknown && uuids.length === 0) return;
    // The same VMs in the same tick states: a new change (paused, then resumed) is a new key.
    const tickState = new Map(records.map((r) => [this.inventory.uuidOf(r.name), r.fields.get('state.state') ?? '']));
    const key = unknown ? '*' : uuids.map((u) => `${u}=${tickState.get(u) ?? 'gone'}`).join(',');
    const now = Date.now();
    if (key === this.lastResync.key && now - this.lastResync.at < RESYNC_REPEAT_MS) return;
    this.lastResync = { key, at: now };
    this.onOutOfDate(unknown ? undefined : uuids);
  }
}
