import { describe, expect, it } from 'vitest';
import { StatsTick, type DomainSample } from './model/stats';
import { TickEncoder, decodeTick, emptySample, readSample, uuidsOf } from './stats-codec';

const u = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const full = (i: number): DomainSample => ({
  uuid: u(i),
  cpuPct: 12.3456,
  hostCpuPct: 0.0049,
  memUsedKiB: 1024.4,
  memSource: i % 2 ? 'guest' : 'rss',
  diskRdBps: 1.6,
  diskWrBps: null,
  netRxBps: 99.5,
  netTxBps: 0,
});
const empty = (i: number): DomainSample => emptySample(u(i));
const head = { hostId: 'h', at: 5, intervalMs: 1000, hostCpus: 8 };

describe('compact stats ticks', () => {
  it('round-trips samples through columns, rounded (percent to 0.01, the rest to integers)', () => {
    const t = new TickEncoder().encode(head, [full(1), full(2)]);
    expect(StatsTick.safeParse(t).success).toBe(true);
    expect(t.n).toBe(2);
    expect(t.uuids).toEqual([u(1), u(2)]);
    expect(t.memSource).toBe('gr');
    expect(decodeTick(t, t.uuids!)).toEqual([
      { ...full(1), cpuPct: 12.35, hostCpuPct: 0, memUsedKiB: 1024, diskRdBps: 2, netRxBps: 100 },
      { ...full(2), cpuPct: 12.35, hostCpuPct: 0, memUsedKiB: 1024, diskRdBps: 2, netRxBps: 100 },
    ]);
  });

  it('sends a column as null when no VM has a value (the test driver: only states)', () => {
    const e = new TickEncoder();
    const t = e.encode(head, [empty(1), empty(2)]);
    expect(t).toMatchObject({ cpu: null, hostCpu: null, mem: null, memSource: null, diskRd: null, diskWr: null, netRx: null, netTx: null });
    expect(decodeTick(t, t.uuids!)).toEqual([empty(1), empty(2)]);
    // Later ticks of the same VMs: a fixed ~200 bytes whatever the number of VMs.
    expect(JSON.stringify(e.encode(head, [empty(1), empty(2)])).length).toBeLessThan(220);
  });

  it('sends the UUIDs only when the VM order changes, with a new layout id', () => {
    const e = new TickEncoder();
    const a = e.encode(head, [full(1), full(2)]);
    const b = e.encode({ ...head, at: 6 }, [full(1), full(2)]);
    expect(b.uuids).toBeNull();
    expect(b.layout).toBe(a.layout);
    const c = e.encode({ ...head, at: 7 }, [full(2)]);
    expect(c.uuids).toEqual([u(2)]);
    expect(c.layout).not.toBe(a.layout);
    const d = e.encode({ ...head, at: 8 }, [full(1), full(2)]); // back to the old order: still a new layout
    expect(d.layout).not.toBe(a.layout);
    expect(d.layout).not.toBe(c.layout);
    expect(e.layout).toEqual({ layout: d.layout, uuids: [u(1), u(2)] });
  });

  it('resolves a tick without UUIDs only against the same layout and count', () => {
    const e = new TickEncoder();
    const a = e.encode(head, [full(1)]);
    const b = e.encode(head, [full(1)]);
    expect(uuidsOf(a, undefined)).toEqual([u(1)]);
    expect(uuidsOf(b, undefined)).toBeUndefined();
    expect(uuidsOf(b, { layout: a.layout, uuids: [u(1)] })).toEqual([u(1)]);
    expect(uuidsOf(b, { layout: a.layout + 1, uuids: [u(1)] })).toBeUndefined();
    expect(uuidsOf(b, { layout: a.layout, uuids: [u(1), u(2)] })).toBeUndefined();
  });

  it('layout ids differ between encoders (a restarted backend never reuses one by accident)', () => {
    const ids = new Set(Array.from({ length: 20 }, () => new TickEncoder().encode(head, [full(1)]).layout));
    expect(ids.size).toBeGreaterThan(15);
  });

  it('readSample overwrites a kept object in place', () => {
    const e = new TickEncoder();
    const kept = emptySample(u(1));
    readSample(e.encode(head, [full(1)]), 0, kept);
    expect(kept.cpuPct).toBe(12.35);
    readSample(e.encode(head, [empty(1)]), 0, kept);
    expect(kept).toEqual(empty(1));
  });

  it('is about a third of the object form for 500 busy VMs', () => {
    const samples = Array.from({ length: 500 }, (_, i) => ({ ...full(i), cpuPct: Math.random() * 100, diskRdBps: Math.random() * 1e8 }));
    const compact = JSON.stringify(new TickEncoder().encode(head, samples)).length;
    const objects = JSON.stringify({ ...head, samples }).length;
    expect(compact).toBeLessThan(objects / 2.5);
    const later = new TickEncoder();
    later.encode(head, samples);
    expect(JSON.stringify(later.encode(head, samples)).length).toBeLessThan(compact - 500 * 36);
  });
});
