import type { DomainSample } from '../../shared/model/stats';
import { domstatsNumber, type DomstatsRecord } from '../virsh/parse';

/** The counters of one VM at one instant, from one domstats block. */
export interface RawCounters {
  at: number; // ms
  cpuTimeNs?: number;
  rdBytes?: number;
  wrBytes?: number;
  rxBytes?: number;
  txBytes?: number;
  memUsedKiB: number | null;
  memSource: 'guest' | 'rss' | null;
}

/** Sums `<prefix>.N.<field>` over `<prefix>.count` entries (all disks, all NICs). */
function sumIndexed(f: ReadonlyMap<string, string>, prefix: 'block' | 'net', field: string): number | undefined {
  const count = domstatsNumber(f, `${prefix}.count`);
  if (count === undefined) return undefined;
  let total = 0;
  for (let i = 0; i < count; i++) total += domstatsNumber(f, `${prefix}.${i}.${field}`) ?? 0;
  return total;
}

export function countersOf(rec: DomstatsRecord, at: number): RawCounters {
  const f = rec.fields;
  const available = domstatsNumber(f, 'balloon.available');
  const unused = domstatsNumber(f, 'balloon.unused');
  const rss = domstatsNumber(f, 'balloon.rss');
  // Guest-reported usage needs the balloon driver's stats; otherwise QEMU's RSS, labelled so.
  const guest = available !== undefined && unused !== undefined ? available - unused : undefined;
  return {
    at,
    cpuTimeNs: domstatsNumber(f, 'cpu.time'),
    rdBytes: sumIndexed(f, 'block', 'rd.bytes'),
    wrBytes: sumIndexed(f, 'block', 'wr.bytes'),
    rxBytes: sumIndexed(f, 'net', 'rx.bytes'),
    txBytes: sumIndexed(f, 'net', 'tx.bytes'),
    memUsedKiB: guest ?? rss ?? null,
    memSource: guest !== undefined ? 'guest' : rss !== undefined ? 'rss' : null,
  };
}

function rate(cur: number | undefined, prev: number | undefined, dtSec: number): number | null {
  if (cur === undefined || prev === undefined || dtSec <= 0 || cur < prev) return null; // counters reset on restart
  return (cur - prev) / dtSec;
}

/**
 * Usage over the interval between two samples of the same VM. CPU % is relative to the VM's
 * own vCPUs; host share is relative to every logical CPU of the host.
 */
export function sampleOf(uuid: string, cur: RawCounters, prev: RawCounters | undefined, vcpus: number | null, hostCpus: number): DomainSample {
  const dtSec = prev ? (cur.at - prev.at) / 1000 : 0;
  const cpuNsPerSec = rate(cur.cpuTimeNs, prev?.cpuTimeNs, dtSec);
  const cpuShare = cpuNsPerSec === null ? null : cpuNsPerSec / 1e9; // CPUs' worth of time used
  const clamp = (v: number) => Math.max(0, Math.min(100, v));
  return {
    uuid,
    cpuPct: cpuShare === null || !vcpus ? null : clamp((cpuShare / vcpus) * 100),
    hostCpuPct: cpuShare === null || hostCpus <= 0 ? null : clamp((cpuShare / hostCpus) * 100),
    memUsedKiB: cur.memUsedKiB,
    memSource: cur.memSource,
    diskRdBps: rate(cur.rdBytes, prev?.rdBytes, dtSec),
    diskWrBps: rate(cur.wrBytes, prev?.wrBytes, dtSec),
    netRxBps: rate(cur.rxBytes, prev?.rxBytes, dtSec),
    netTxBps: rate(cur.txBytes, prev?.txBytes, dtSec),
  };
}

/**
 * A fast tick (no --balloon/--block) carries the memory and disk figures of the last slow
 * tick, so the tooltip and the Performance tab hold a value instead of blinking to empty.
 */
export function carrySlow(sample: DomainSample, slow: DomainSample | undefined): DomainSample {
  if (!slow) return sample;
  return { ...sample, memUsedKiB: slow.memUsedKiB, memSource: slow.memSource, diskRdBps: slow.diskRdBps, diskWrBps: slow.diskWrBps };
}
