/**
 * Live usage per VM, fed by one stats.tick event per host per interval. Built for 1,000 VMs
 * a second: a tick is applied in ONE set() and allocates almost nothing. It arrives in columns
 * (shared/stats-codec.ts); each VM keeps ONE VmStats object whose sample and history ring are
 * overwritten in place, and whose `written` counter says that they changed (rows compare it,
 * not the object). The per-host Map is reused while the tick's layout (its VM order) stays
 * the same. Every row reads only its own VM's entry, so only rows on screen repaint. Nothing
 * here sorts.
 */
import { create } from 'zustand';
import type { HostId } from '../../../shared/model/host';
import type { DomainUuid } from '../../../shared/model/domain';
import type { DomainAddresses, DomainSample, StatsTick } from '../../../shared/model/stats';
import { emptySample, readSample, type MutableSample } from '../../../shared/stats-codec';

/** 60 s of history at the fastest offered interval (0.5 s); slower intervals use the newest part. */
export const HISTORY_SLOTS = 120;

export interface VmStats {
  /** The newest values, overwritten in place by each tick: copy what must outlive the tick. */
  readonly sample: DomainSample;
  /** cpuPct history, NaN where there was no value; written in place. */
  readonly ring: Float32Array;
  /** Values ever written; the newest is at (written - 1) % HISTORY_SLOTS. Changes with every tick that has this VM. */
  readonly written: number;
}

/** What applyTick updates in place (the store hands it out read-only). */
interface LiveVm {
  sample: MutableSample;
  ring: Float32Array;
  written: number;
}

export interface HostStats {
  at: number;
  intervalMs: number;
  hostCpus: number;
  /** The tick layout the `vms` map was built for. */
  layout: number;
  vms: ReadonlyMap<DomainUuid, VmStats>;
}

export interface StatsState {
  byHost: Readonly<Record<HostId, HostStats>>;
  /** Guest addresses per VM, as the backend last reported them. */
  addresses: Readonly<Record<HostId, ReadonlyMap<DomainUuid, readonly string[]>>>;
}

export const useStatsStore = create<StatsState>()(() => ({ byHost: {}, addresses: {} }));

function newRing(): Float32Array {
  return new Float32Array(HISTORY_SLOTS).fill(Number.NaN);
}

/**
 * The next HostStats for a tick whose VMs are `uuids` (its layout). VMs missing from the tick
 * (shut off, gone) drop out, with their history. A gap (polling paused while the window was
 * hidden) is recorded as NaN slots so the sparkline shows a break instead of joining two
 * distant points; an interval change restarts history because the slots would no longer be
 * evenly spaced in time.
 */
export function applyTick(prev: HostStats | undefined, tick: StatsTick, uuids: readonly string[]): HostStats {
  const sameInterval = prev !== undefined && prev.intervalMs === tick.intervalMs;
  const missed = sameInterval && tick.intervalMs > 0
    ? Math.min(HISTORY_SLOTS, Math.max(0, Math.round((tick.at - prev.at) / tick.intervalMs) - 1))
    : 0;
  let vms: Map<DomainUuid, LiveVm>;
  if (sameInterval && prev.layout === tick.layout) vms = prev.vms as Map<DomainUuid, LiveVm>;
  else {
    vms = new Map();
    for (const uuid of uuids) {
      const before = sameInterval ? (prev.vms.get(uuid) as LiveVm | undefined) : undefined;
      vms.set(uuid, before ?? { sample: emptySample(uuid), ring: newRing(), written: 0 });
    }
  }
  for (let i = 0; i < uuids.length; i++) {
    const vm = vms.get(uuids[i]!)!;
    const ring = vm.ring;
    for (let k = 0; k < missed && vm.written > 0; k++) ring[(vm.written++) % HISTORY_SLOTS] = Number.NaN;
    readSample(tick, i, vm.sample);
    ring[vm.written % HISTORY_SLOTS] = vm.sample.cpuPct ?? Number.NaN;
    vm.written++;
  }
  return { at: tick.at, intervalMs: tick.intervalMs, hostCpus: tick.hostCpus, layout: tick.layout, vms };
}

/** The newest `count` history values, oldest first (NaN where unknown), into `out`. */
export function readHistory(vm: VmStats, count: number, out: Float32Array = new Float32Array(count)): Float32Array {
  const n = Math.min(count, HISTORY_SLOTS, out.length);
  const firstWritten = vm.written - n;
  for (let i = 0; i < n; i++) {
    const k = firstWritten + i;
    out[i] = k < 0 ? Number.NaN : vm.ring[k % HISTORY_SLOTS]!;
  }
  return out;
}

/** How many slots make up the last minute at this interval. */
export function slotsPerMinute(intervalMs: number): number {
  if (!(intervalMs > 0)) return 60;
  return Math.max(2, Math.min(HISTORY_SLOTS, Math.round(60_000 / intervalMs)));
}

/** Address reports patch per VM; an empty list forgets the VM's addresses. */
export function applyAddresses(
  prev: ReadonlyMap<DomainUuid, readonly string[]> | undefined,
  event: DomainAddresses,
): ReadonlyMap<DomainUuid, readonly string[]> {
  const next = new Map(prev);
  for (const { uuid, ips } of event.addresses) {
    if (ips.length === 0) next.delete(uuid);
    else next.set(uuid, ips);
  }
  return next;
}

export function ingestTick(tick: StatsTick, uuids: readonly string[]) {
  useStatsStore.setState((s) => ({ byHost: { ...s.byHost, [tick.hostId]: applyTick(s.byHost[tick.hostId], tick, uuids) } }));
}

export function ingestAddresses(event: DomainAddresses) {
  useStatsStore.setState((s) => ({
    addresses: { ...s.addresses, [event.hostId]: applyAddresses(s.addresses[event.hostId], event) },
  }));
}

/** Forgets a host's numbers, e.g. when it disconnects, so stale values are never shown as live. */
export function clearHostStats(hostId: HostId) {
  useStatsStore.setState((s) => {
    if (!(hostId in s.byHost) && !(hostId in s.addresses)) return s;
    const byHost = { ...s.byHost };
    const addresses = { ...s.addresses };
    delete byHost[hostId];
    delete addresses[hostId];
    return { byHost, addresses };
  });
}

export const selectVmStats = (hostId: HostId, uuid: DomainUuid) => (s: StatsState) => s.byHost[hostId]?.vms.get(uuid);
export const selectVmAddresses = (hostId: HostId, uuid: DomainUuid) => (s: StatsState) => s.addresses[hostId]?.get(uuid);
