/**
 * The Performance tab's time series for one VM: the last five minutes of stats ticks as columns
 * uPlot draws directly (x in seconds). A tick missing for longer than a few intervals (polling
 * paused, host reconnecting) becomes a null row, so the graph shows a gap instead of a line
 * across it.
 */
import type { DomainSample } from '../../../../../shared/model/stats';

export const WINDOW_SECONDS = 300;

export const SERIES = ['cpu', 'mem', 'diskRd', 'diskWr', 'netRx', 'netTx'] as const;
export type SeriesKey = (typeof SERIES)[number];

/** What a sample needs for the charts: a VM's stats tick, or a host page's sampler tick. */
export type PerfSample = Pick<DomainSample, 'cpuPct' | 'memUsedKiB' | 'diskRdBps' | 'diskWrBps' | 'netRxBps' | 'netTxBps'> & Partial<Pick<DomainSample, 'memSource'>>;

export class PerfHistory {
  readonly t: number[] = [];
  readonly cols: Record<SeriesKey, (number | null)[]> = { cpu: [], mem: [], diskRd: [], diskWr: [], netRx: [], netTx: [] };
  /** Where memory figures come from at the newest sample: the guest's balloon stats or QEMU's RSS. */
  memSource: DomainSample['memSource'] = null;
  /** Bumped on every change, for React to notice. */
  version = 0;

  push(atMs: number, intervalMs: number, s: PerfSample): void {
    const t = atMs / 1000;
    const last = this.t[this.t.length - 1];
    if (last !== undefined && t <= last) return; // a duplicate or late tick
    if (last !== undefined && t - last > (3 * intervalMs) / 1000) this.row(last + intervalMs / 1000, null);
    // Guest-reported use and QEMU's RSS are different quantities: one graph never mixes them
    // (the guest's balloon driver typically starts reporting a few seconds after boot).
    if (s.memSource != null && this.memSource !== null && s.memSource !== this.memSource) this.cols.mem.fill(null);
    this.row(t, s);
    this.memSource = s.memSource ?? this.memSource;
    this.trim(t - WINDOW_SECONDS);
    this.version++;
  }

  private row(t: number, s: PerfSample | null): void {
    this.t.push(t);
    this.cols.cpu.push(s?.cpuPct ?? null);
    this.cols.mem.push(s?.memUsedKiB ?? null);
    this.cols.diskRd.push(s?.diskRdBps ?? null);
    this.cols.diskWr.push(s?.diskWrBps ?? null);
    this.cols.netRx.push(s?.netRxBps ?? null);
    this.cols.netTx.push(s?.netTxBps ?? null);
  }

  private trim(oldest: number): void {
    let n = 0;
    while (n < this.t.length && this.t[n]! < oldest) n++;
    if (n === 0) return;
    this.t.splice(0, n);
    for (const k of SERIES) this.cols[k].splice(0, n);
  }

  /** uPlot's data layout: [x, ...series], each an array of the same length. */
  data(...keys: SeriesKey[]): [number[], ...(number | null)[][]] {
    return [this.t, ...keys.map((k) => this.cols[k])];
  }

  /** Samples with a value for `key`. */
  count(key: SeriesKey): number {
    return this.cols[key].filter((v) => v !== null).length;
  }
}
