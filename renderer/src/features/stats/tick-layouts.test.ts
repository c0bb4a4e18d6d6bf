import { describe, expect, it } from 'vitest';
import type { StatsLayout } from '../../../../shared/model/stats';
import { TickEncoder } from '../../../../shared/stats-codec';
import { emptySample } from '../../../../shared/stats-codec';
import { TickLayouts } from './tick-layouts';

const u = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const head = { hostId: 'h', at: 1, intervalMs: 1000, hostCpus: 4 };

describe('TickLayouts', () => {
  it('decodes later ticks with the UUIDs an earlier tick carried, without asking', () => {
    const asked: string[] = [];
    const l = new TickLayouts(async (h) => (asked.push(h), null));
    const e = new TickEncoder();
    expect(l.resolve(e.encode(head, [emptySample(u(1))]))).toEqual([u(1)]);
    expect(l.resolve(e.encode(head, [emptySample(u(1))]))).toEqual([u(1)]);
    expect(asked).toEqual([]);
  });

  it('asks stats.layout once when it joined late, then decodes', async () => {
    const e = new TickEncoder();
    e.encode(head, [emptySample(u(1)), emptySample(u(2))]); // missed
    let answer: (l: StatsLayout | null) => void = () => {};
    let asks = 0;
    const l = new TickLayouts(() => {
      asks++;
      return new Promise((res) => (answer = res));
    });
    const t = e.encode(head, [emptySample(u(1)), emptySample(u(2))]);
    expect(l.resolve(t)).toBeUndefined();
    expect(l.resolve(t)).toBeUndefined();
    expect(asks).toBe(1);
    answer(e.layout);
    await new Promise((r) => setTimeout(r, 0));
    expect(l.resolve(e.encode(head, [emptySample(u(1)), emptySample(u(2))]))).toEqual([u(1), u(2)]);
  });

  it('keeps a layout a tick carried over an older answer that arrived after it', async () => {
    const e = new TickEncoder();
    e.encode(head, [emptySample(u(1))]);
    const old = e.layout;
    let answer: (l: StatsLayout | null) => void = () => {};
    const l = new TickLayouts(() => new Promise((res) => (answer = res)));
    expect(l.resolve(e.encode(head, [emptySample(u(1))]))).toBeUndefined();
    const fresh = e.encode(head, [emptySample(u(2))]); // carries its UUIDs
    expect(l.resolve(fresh)).toEqual([u(2)]);
    answer(old);
    await new Promise((r) => setTimeout(r, 0));
    expect(l.resolve(e.encode(head, [emptySample(u(2))]))).toEqual([u(2)]);
  });
});
