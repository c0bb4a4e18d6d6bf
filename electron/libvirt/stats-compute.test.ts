import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDomstatsRaw } from '../virsh/parse';
import { carrySlow, countersOf, sampleOf } from './stats-compute';

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'virsh', 'parse', 'fixtures', name), 'utf8');

describe('usage from two domstats samples', () => {
  it('computes CPU % per vCPU and per host, and byte rates, from counter deltas', () => {
    const f = (cpu: number, rd: number, rx: number) =>
      new Map(Object.entries({ 'cpu.time': String(cpu), 'block.count': '2', 'block.0.rd.bytes': String(rd), 'block.1.rd.bytes': '10', 'net.count': '1', 'net.0.rx.bytes': String(rx) }));
    const prev = countersOf({ name: 'a', fields: f(1e9, 1000, 0) }, 0);
    const cur = countersOf({ name: 'a', fields: f(2e9, 3000, 4096) }, 2000);
    // 1 s of CPU over 2 s wall = half a CPU: 25 % of 2 vCPUs, 6.25 % of 8 host CPUs.
    expect(sampleOf('u', cur, prev, 2, 8)).toMatchObject({ cpuPct: 25, hostCpuPct: 6.25, diskRdBps: 1000, netRxBps: 2048, diskWrBps: 0 });
  });

  it('has no rates on the first sample or after a counter reset', () => {
    const a = countersOf({ name: 'a', fields: new Map([['cpu.time', '5000']]) }, 0);
    expect(sampleOf('u', a, undefined, 1, 4).cpuPct).toBeNull();
    const b = countersOf({ name: 'a', fields: new Map([['cpu.time', '10']]) }, 1000);
    expect(sampleOf('u', b, a, 1, 4).cpuPct).toBeNull();
  });

  it('prefers guest-reported memory, falling back to QEMU RSS (virsh 9.0 qemu domstats --raw)', () => {
    const recs = parseDomstatsRaw(fixture('qemu-domstats-raw.txt'));
    const c = countersOf(recs[0]!, 0);
    expect(c.memSource === 'guest' || c.memSource === 'rss').toBe(true);
    expect(c.memUsedKiB).toBeGreaterThan(0);
    expect(c.cpuTimeNs).toBeGreaterThan(0);
    const rssOnly = countersOf({ name: 'x', fields: new Map([['balloon.rss', '2048']]) }, 0);
    expect(rssOnly).toMatchObject({ memUsedKiB: 2048, memSource: 'rss' });
  });

  it('a fast tick (CPU and NICs only) carries memory and disk figures of the last slow tick', () => {
    const fast = sampleOf('u', countersOf({ name: 'a', fields: new Map([['cpu.time', '5000']]) }, 0), undefined, 1, 4);
    expect(fast.memUsedKiB).toBeNull();
    const slow = { ...fast, memUsedKiB: 4096, memSource: 'guest' as const, diskRdBps: 10, diskWrBps: 20, netRxBps: 1 };
    expect(carrySlow(fast, slow)).toEqual({ ...fast, memUsedKiB: 4096, memSource: 'guest', diskRdBps: 10, diskWrBps: 20 });
    expect(carrySlow(fast, undefined)).toBe(fast);
  });
});
