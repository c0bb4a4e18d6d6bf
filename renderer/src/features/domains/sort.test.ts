import { describe, expect, it } from 'vitest';
import type { Domain, DomainState } from '../../../../shared/model/domain';
import type { DomainSample } from '../../../../shared/model/stats';
import { nextSort, sortDomains, type SortSpec } from './sort';

let n = 0;
const vm = (name: string, extra: Partial<Domain> = {}): Domain => ({
  uuid: `00000000-0000-0000-0000-${String(++n).padStart(12, '0')}`,
  name,
  state: 'running' as DomainState,
  reason: 0,
  persistent: true,
  autostart: false,
  managedSave: false,
  vcpus: null,
  memoryKiB: null,
  maxMemoryKiB: null,
  ...extra,
});
const names = (list: Domain[]) => list.map((d) => d.name);
const asc = (key: SortSpec['key']): SortSpec => ({ key, dir: 'asc' });
const desc = (key: SortSpec['key']): SortSpec => ({ key, dir: 'desc' });

describe('sortDomains', () => {
  it('sorts names naturally and case-insensitively, both ways', () => {
    const list = [vm('vm10'), vm('VM2'), vm('db'), vm('vm1')];
    expect(names(sortDomains(list, asc('name')))).toEqual(['db', 'vm1', 'VM2', 'vm10']);
    expect(names(sortDomains(list, desc('name')))).toEqual(['vm10', 'VM2', 'vm1', 'db']);
    expect(names(list)).toEqual(['vm10', 'VM2', 'db', 'vm1']); // input untouched
  });

  it('puts unknown values last in either direction and breaks ties by name', () => {
    const list = [vm('c', { vcpus: 2 }), vm('a', { vcpus: null }), vm('b', { vcpus: 2 }), vm('d', { vcpus: 8 })];
    expect(names(sortDomains(list, asc('vcpus')))).toEqual(['b', 'c', 'd', 'a']);
    expect(names(sortDomains(list, desc('vcpus')))).toEqual(['d', 'b', 'c', 'a']);
  });

  it('orders states active first', () => {
    const list = [vm('off', { state: 'shutoff' }), vm('p', { state: 'paused' }), vm('r', { state: 'running' })];
    expect(names(sortDomains(list, asc('state')))).toEqual(['r', 'p', 'off']);
  });

  it('reads live values through the given sources', () => {
    const a = vm('a');
    const b = vm('b');
    const c = vm('c');
    const cpu = new Map([
      [a.uuid, 5],
      [b.uuid, 50],
    ]);
    const sample = (uuid: string) =>
      cpu.has(uuid) ? ({ cpuPct: cpu.get(uuid)!, hostCpuPct: Number.NaN } as DomainSample) : undefined;
    expect(names(sortDomains([a, b, c], desc('cpu'), { sample }))).toEqual(['b', 'a', 'c']);
    expect(names(sortDomains([a, b, c], asc('cpu'), { sample }))).toEqual(['a', 'b', 'c']);
    // NaN counts as unknown.
    expect(names(sortDomains([c, b, a], asc('hostCpu'), { sample }))).toEqual(['a', 'b', 'c']);
  });

  it('sorts addresses numerically, VMs without one last', () => {
    const a = vm('a');
    const b = vm('b');
    const c = vm('c');
    const ips = new Map([
      [a.uuid, ['10.0.0.10']],
      [b.uuid, ['fe80::1', '10.0.0.9/24']],
    ]);
    expect(names(sortDomains([c, a, b], asc('ip'), { addresses: (u) => ips.get(u) }))).toEqual(['b', 'a', 'c']);
  });

  it('is deterministic for equal names', () => {
    const x = vm('same');
    const y = vm('same');
    expect(sortDomains([y, x], asc('name'))).toEqual([x, y]);
    expect(sortDomains([y, x], desc('name'))).toEqual([x, y]);
  });
});

describe('nextSort', () => {
  it('flips the same column and starts new ones in a sensible direction', () => {
    expect(nextSort(asc('name'), 'name')).toEqual(desc('name'));
    expect(nextSort(desc('name'), 'name')).toEqual(asc('name'));
    expect(nextSort(asc('name'), 'cpu')).toEqual(desc('cpu'));
    expect(nextSort(desc('cpu'), 'state')).toEqual(asc('state'));
  });
});
