import { describe, expect, it } from 'vitest';
import type { DomainSample } from '../../../../../shared/model/stats';
import { PerfHistory, WINDOW_SECONDS } from './perf-history';

const sample = (cpu: number, memSource: DomainSample['memSource'] = 'guest'): DomainSample => ({
  uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ffee01',
  cpuPct: cpu,
  hostCpuPct: cpu / 2,
  memUsedKiB: 1024,
  memSource,
  diskRdBps: 10,
  diskWrBps: 20,
  netRxBps: 30,
  netTxBps: 40,
});

describe('the Performance tab’s five minutes of history', () => {
  it('keeps samples in columns uPlot draws', () => {
    const h = new PerfHistory();
    h.push(1000, 1000, sample(5));
    h.push(2000, 1000, sample(7));
    expect(h.data('cpu', 'netTx')).toEqual([[1, 2], [5, 7], [40, 40]]);
    expect(h.version).toBe(2);
  });

  it('forgets what is older than five minutes', () => {
    const h = new PerfHistory();
    for (let s = 0; s <= WINDOW_SECONDS + 10; s++) h.push(s * 1000, 1000, sample(s));
    expect(h.t[0]).toBe(10);
    expect(h.t.length).toBe(WINDOW_SECONDS + 1);
  });

  it('shows a gap where ticks were missing, and ignores late duplicates', () => {
    const h = new PerfHistory();
    h.push(1000, 1000, sample(1));
    h.push(10_000, 1000, sample(2));
    h.push(9_000, 1000, sample(3));
    expect(h.data('cpu')).toEqual([[1, 2, 10], [1, null, 2]]);
    expect(h.count('cpu')).toBe(2);
  });

  it('remembers whether memory is the guest’s own figure or QEMU’s RSS, and never mixes the two', () => {
    const h = new PerfHistory();
    h.push(1000, 1000, sample(1, 'rss'));
    h.push(2000, 1000, sample(1, 'rss'));
    expect(h.memSource).toBe('rss');
    h.push(3000, 1000, sample(1, 'guest'));
    expect(h.memSource).toBe('guest');
    expect(h.data('mem')[1]).toEqual([null, null, 1024]);
  });
});
