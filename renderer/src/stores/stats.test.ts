import { describe, expect, it } from 'vitest';
import type { DomainSample, StatsTick } from '../../../shared/model/stats';
import { TickEncoder } from '../../../shared/stats-codec';
import { addressSortKey, primaryAddress } from '../lib/ip';
import { HISTORY_SLOTS, applyAddresses, applyTick, ingestTick, readHistory, slotsPerMinute, useStatsStore, type HostStats } from './stats';

const u = (i: number) => `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`;
const sample = (i: number, cpuPct: number | null): DomainSample => ({
  uuid: u(i),
  cpuPct,
  hostCpuPct: cpuPct === null ? null : cpuPct / 4,
  memUsedKiB: null,
  memSource: null,
  diskRdBps: null,
  diskWrBps: null,
  netRxBps: null,
  netTxBps: null,
});
/** Ticks as the backend sends them: one encoder per host, so the layout id follows the VM order. */
let encoder = new TickEncoder();
const tick = (at: number, samples: DomainSample[], intervalMs = 1000): StatsTick =>
  encoder.encode({ hostId: 'h', at, intervalMs, hostCpus: 4 }, samples);
const apply = (prev: HostStats | undefined, t: StatsTick) => applyTick(prev, t, encoder.layout!.uuids);
const history = (vm: Parameters<typeof readHistory>[0] | undefined, n: number) =>
  [...readHistory(vm!, n)].map((v) => (Number.isNaN(v) ? null : v));

describe('applyTick', () => {
  it('keeps the latest sample and appends to the ring in place, without new objects per tick', () => {
    encoder = new TickEncoder();
    const a = apply(undefined, tick(1000, [sample(1, 10), sample(2, null)]));
    const first = a.vms.get(u(1))!;
    const writtenBefore = first.written;
    const b = apply(a, tick(2000, [sample(1, 20), sample(2, 5)]));
    expect(b.vms.get(u(1))?.sample.cpuPct).toBe(20);
    expect(b.vms.get(u(1))?.ring).toBe(a.vms.get(u(1))?.ring);
    expect(history(b.vms.get(u(1)), 3)).toEqual([null, 10, 20]);
    expect(history(b.vms.get(u(2)), 2)).toEqual([null, 5]);
    // Same objects (same layout); a row sees the change by `written`.
    expect(b.vms).toBe(a.vms);
    expect(b.vms.get(u(1))).toBe(first);
    expect(b.vms.get(u(1))!.written).toBe(writtenBefore + 1);
    expect(b).not.toBe(a);
  });

  it('drops VMs missing from a tick and keeps the history of the others', () => {
    encoder = new TickEncoder();
    const a = apply(undefined, tick(1000, [sample(1, 10), sample(2, 10)]));
    const b = apply(a, tick(2000, [sample(2, 20)]));
    expect([...b.vms.keys()]).toEqual([u(2)]);
    expect(history(b.vms.get(u(2)), 2)).toEqual([10, 20]);
  });

  it('wraps around after HISTORY_SLOTS values', () => {
    encoder = new TickEncoder();
    let s = apply(undefined, tick(0, [sample(1, 0)]));
    for (let i = 1; i < HISTORY_SLOTS + 5; i++) s = apply(s, tick(i * 1000, [sample(1, i)]));
    const vm = s.vms.get(u(1))!;
    expect(vm.written).toBe(HISTORY_SLOTS + 5);
    expect(history(vm, 3)).toEqual([HISTORY_SLOTS + 2, HISTORY_SLOTS + 3, HISTORY_SLOTS + 4]);
    expect(readHistory(vm, HISTORY_SLOTS)[0]).toBe(5);
  });

  it('records a pause in polling as a gap', () => {
    encoder = new TickEncoder();
    const a = apply(undefined, tick(1000, [sample(1, 10)]));
    const b = apply(a, tick(4000, [sample(1, 30)]));
    expect(history(b.vms.get(u(1)), 4)).toEqual([10, null, null, 30]);
  });

  it('restarts history when the interval changes', () => {
    encoder = new TickEncoder();
    const a = apply(undefined, tick(1000, [sample(1, 10)]));
    const ringBefore = a.vms.get(u(1))!.ring;
    const b = apply(a, tick(3000, [sample(1, 30)], 2000));
    expect(b.vms.get(u(1))?.written).toBe(1);
    expect(b.vms.get(u(1))?.ring).not.toBe(ringBefore);
  });

  it('updates the store in one set per tick', () => {
    encoder = new TickEncoder();
    let calls = 0;
    const off = useStatsStore.subscribe(() => (calls += 1));
    const t = tick(1000, Array.from({ length: 1000 }, (_, i) => sample(i, i % 100)));
    ingestTick(t, encoder.layout!.uuids);
    off();
    expect(calls).toBe(1);
    expect(useStatsStore.getState().byHost.h?.vms.size).toBe(1000);
  });

  it('is cheap for 1000 VMs', () => {
    encoder = new TickEncoder();
    const samples = Array.from({ length: 1000 }, (_, i) => sample(i, i % 100));
    let s = apply(undefined, tick(0, samples));
    const ticks = Array.from({ length: 100 }, (_, i) => tick((i + 1) * 1000, samples));
    const t0 = performance.now();
    for (const t of ticks) s = apply(s, t);
    // Generous bound for slow CI machines; typically well under 1 ms per tick.
    expect((performance.now() - t0) / 100).toBeLessThan(5);
  });
});

describe('slotsPerMinute', () => {
  it('covers a minute, within the ring', () => {
    expect(slotsPerMinute(1000)).toBe(60);
    expect(slotsPerMinute(500)).toBe(120);
    expect(slotsPerMinute(5000)).toBe(12);
    expect(slotsPerMinute(250)).toBe(HISTORY_SLOTS);
    expect(slotsPerMinute(0)).toBe(60);
  });
});

describe('addresses', () => {
  it('patches per VM and forgets empty lists', () => {
    const a = applyAddresses(undefined, { hostId: 'h', addresses: [{ uuid: u(1), ips: ['10.0.0.2/24'], source: 'lease' }] });
    const b = applyAddresses(a, {
      hostId: 'h',
      addresses: [
        { uuid: u(2), ips: ['fe80::1', '192.168.1.9'], source: 'agent' },
        { uuid: u(1), ips: [], source: 'lease' },
      ],
    });
    expect([...b.entries()]).toEqual([[u(2), ['fe80::1', '192.168.1.9']]]);
  });

  it('shows the first IPv4 without its prefix', () => {
    expect(primaryAddress(['fe80::1/64', '192.168.1.9/24', '10.0.0.1'])).toBe('192.168.1.9');
    expect(primaryAddress(['fe80::1/64'])).toBe('fe80::1');
    expect(primaryAddress([])).toBe('');
    expect(primaryAddress(undefined)).toBe('');
  });

  it('sorts IPv4 numerically', () => {
    const ips = ['10.0.0.10', 'fe80::1', '10.0.0.9', '9.1.1.1'];
    expect([...ips].sort((a, b) => addressSortKey(a).localeCompare(addressSortKey(b)))).toEqual([
      '9.1.1.1',
      '10.0.0.9',
      '10.0.0.10',
      'fe80::1',
    ]);
  });
});
