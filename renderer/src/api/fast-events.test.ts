import { describe, expect, it } from 'vitest';
import { events } from '../../../shared/contract';
import { isStatsTick } from './fast-events';

const sample = {
  uuid: '11111111-2222-3333-4444-555555555555',
  cpuPct: 12.5,
  hostCpuPct: 1.5,
  memUsedKiB: 1024,
  memSource: 'guest',
  diskRdBps: 0,
  diskWrBps: null,
  netRxBps: 10,
  netTxBps: 20,
};
const tick = { hostId: 'h', at: 1, intervalMs: 1000, hostCpus: 8, samples: [sample] };

/** Each case changes one thing; the hand check must agree with zod on every one. */
const cases: [string, unknown][] = [
  ['valid', tick],
  ['no samples', { ...tick, samples: [] }],
  ['all nulls', { ...tick, samples: [{ ...sample, cpuPct: null, hostCpuPct: null, memUsedKiB: null, memSource: null, diskRdBps: null, netTxBps: null }] }],
  ['rss', { ...tick, samples: [{ ...sample, memSource: 'rss' }] }],
  ['extra key', { ...tick, extra: 1 }],
  ['null', null],
  ['array', [tick]],
  ['hostId number', { ...tick, hostId: 1 }],
  ['no at', { ...tick, at: undefined }],
  ['string interval', { ...tick, intervalMs: '1000' }],
  ['fractional hostCpus', { ...tick, hostCpus: 1.5 }],
  ['samples not array', { ...tick, samples: {} }],
  ['bad uuid', { ...tick, samples: [{ ...sample, uuid: 'nope' }] }],
  ['missing cpuPct', { ...tick, samples: [{ ...sample, cpuPct: undefined }] }],
  ['string cpuPct', { ...tick, samples: [{ ...sample, cpuPct: '5' }] }],
  ['infinite', { ...tick, samples: [{ ...sample, netRxBps: Infinity }] }],
  ['bad memSource', { ...tick, samples: [{ ...sample, memSource: 'swap' }] }],
  ['sample null', { ...tick, samples: [null] }],
];

describe('isStatsTick', () => {
  it.each(cases)('agrees with the zod schema: %s', (_name, payload) => {
    expect(isStatsTick(payload)).toBe(events['stats.tick'].safeParse(payload).success);
  });

  it('accepts a 1,000-VM tick (its cost is measured by npm run bench, not asserted here)', () => {
    const big = { ...tick, samples: Array.from({ length: 1000 }, () => ({ ...sample })) };
    expect(isStatsTick(big)).toBe(true);
    expect(isStatsTick({ ...big, samples: [...big.samples.slice(0, 999), { ...sample, cpuPct: 'x' }] })).toBe(false);
  });
});
