/**
 * Column sorting for the VM list. Values are extracted once per VM (not per comparison), unknown
 * values (null: no stats yet, no address) always sort last whatever the direction, and ties fall
 * back to the name and then the uuid, so the order is stable and deterministic.
 */
import type { Domain, DomainState, DomainUuid } from '../../../../shared/model/domain';
import type { DomainSample } from '../../../../shared/model/stats';
import { addressSortKey, primaryAddress } from '../../lib/ip';

export const sortKeys = ['name', 'state', 'vcpus', 'memory', 'cpu', 'hostCpu', 'ip'] as const;
export type SortKey = (typeof sortKeys)[number];
export type SortDir = 'asc' | 'desc';
export interface SortSpec {
  key: SortKey;
  dir: SortDir;
}

/** Columns whose values change every tick: re-sorting on them is throttled by the caller. */
export const liveSortKeys: ReadonlySet<SortKey> = new Set<SortKey>(['cpu', 'hostCpu']);

/** Where the live values come from; read once per sort, never subscribed to. */
export interface SortSources {
  sample?: (uuid: DomainUuid) => DomainSample | undefined;
  addresses?: (uuid: DomainUuid) => readonly string[] | undefined;
}

/** Active first, in the order people scan for trouble. */
const stateRank: Record<DomainState, number> = {
  running: 0,
  blocked: 1,
  paused: 2,
  pmsuspended: 3,
  shutdown: 4,
  crashed: 5,
  shutoff: 6,
  nostate: 7,
};

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

type Value = number | string | null;

function valueOf(d: Domain, key: SortKey, src: SortSources): Value {
  switch (key) {
    case 'name':
      return d.name;
    case 'state':
      return stateRank[d.state];
    case 'vcpus':
      return d.vcpus;
    case 'memory':
      return d.memoryKiB;
    case 'cpu':
      return src.sample?.(d.uuid)?.cpuPct ?? null;
    case 'hostCpu':
      return src.sample?.(d.uuid)?.hostCpuPct ?? null;
    case 'ip': {
      const ip = primaryAddress(src.addresses?.(d.uuid));
      return ip ? addressSortKey(ip) : null;
    }
  }
}

function compareValues(a: Value, b: Value, key: SortKey): number {
  if (key === 'name') return collator.compare(a as string, b as string);
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return (a as number) - (b as number);
}

/** A sorted copy; the input is left alone. */
export function sortDomains(domains: readonly Domain[], spec: SortSpec, src: SortSources = {}): Domain[] {
  const sign = spec.dir === 'asc' ? 1 : -1;
  const rows = domains.map((d, index) => {
    const v = valueOf(d, spec.key, src);
    return { d, index, v: typeof v === 'number' && Number.isNaN(v) ? null : v };
  });
  rows.sort((x, y) => {
    if (x.v !== y.v) {
      if (x.v === null) return 1;
      if (y.v === null) return -1;
      const c = compareValues(x.v, y.v, spec.key);
      if (c !== 0) return sign * c;
    }
    if (spec.key !== 'name') {
      const byName = collator.compare(x.d.name, y.d.name);
      if (byName !== 0) return byName;
    }
    if (x.d.uuid !== y.d.uuid) return x.d.uuid < y.d.uuid ? -1 : 1;
    return x.index - y.index;
  });
  return rows.map((r) => r.d);
}

/** Clicking a header: a new column starts ascending (numbers descending: biggest first), the same one flips. */
export function nextSort(current: SortSpec, key: SortKey): SortSpec {
  if (current.key === key) return { key, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  const numeric = key === 'vcpus' || key === 'memory' || key === 'cpu' || key === 'hostCpu';
  return { key, dir: numeric ? 'desc' : 'asc' };
}
