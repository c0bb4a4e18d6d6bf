import { describe, expect, it } from 'vitest';
import { events } from '../../../shared/contract';
import type { DomainSample } from '../../../shared/model/stats';
import { TickEncoder } from '../../../shared/stats-codec';
import { isActivityBatch, isStatsTick } from './fast-events';

const sample: DomainSample = {
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
const head = { hostId: 'h', at: 1, intervalMs: 1000, hostCpus: 8 };
const tick = new TickEncoder().encode(head, [sample]);
const later = (() => {
  const e = new TickEncoder();
  e.encode(head, [sample]);
  return e.encode(head, [sample]); // same layout: no uuids
})();

/** Each case changes one thing; the hand check must agree with zod on every one. */
const cases: [string, unknown][] = [
  ['valid', tick],
  ['same layout, no uuids', later],
  ['no samples', new TickEncoder().encode(head, [])],
  ['all null columns', { ...tick, cpu: null, hostCpu: null, mem: null, memSource: null, diskRd: null, diskWr: null, netRx: null, netTx: null }],
  ['null inside a column', { ...tick, cpu: [null] }],
  ['rss', { ...tick, memSource: 'r' }],
  ['extra key', { ...tick, extra: 1 }],
  ['null', null],
  ['array', [tick]],
  ['hostId number', { ...tick, hostId: 1 }],
  ['no at', { ...tick, at: undefined }],
  ['string interval', { ...tick, intervalMs: '1000' }],
  ['fractional hostCpus', { ...tick, hostCpus: 1.5 }],
  ['fractional layout', { ...tick, layout: 0.5 }],
  ['no n', { ...tick, n: undefined }],
  ['negative n', { ...tick, n: -1, uuids: null, cpu: null, hostCpu: null, mem: null, memSource: null, diskRd: null, diskWr: null, netRx: null, netTx: null }],
  ['n disagrees with uuids', { ...tick, n: 2 }],
  ['column too short', { ...tick, cpu: [] }],
  ['column not array', { ...tick, cpu: {} }],
  ['uuids missing', { ...tick, uuids: undefined }],
  ['bad uuid', { ...tick, uuids: ['nope'] }],
  ['string in column', { ...tick, cpu: ['5'] }],
  ['infinite', { ...tick, netRx: [Infinity] }],
  ['bad memSource', { ...tick, memSource: 's' }],
  ['memSource too long', { ...tick, memSource: 'gg' }],
];

describe('isStatsTick', () => {
  it.each(cases)('agrees with the zod schema: %s', (_name, payload) => {
    expect(isStatsTick(payload)).toBe(events['stats.tick'].safeParse(payload).success);
  });

  it('accepts a 1,000-VM tick (its cost is measured by npm run bench, not asserted here)', () => {
    const samples = Array.from({ length: 1000 }, (_, i) => ({ ...sample, uuid: `11111111-2222-3333-4444-${String(i).padStart(12, '0')}` }));
    const big = new TickEncoder().encode(head, samples);
    expect(isStatsTick(big)).toBe(true);
    expect(isStatsTick({ ...big, cpu: [...big.cpu!.slice(0, 999), 'x'] })).toBe(false);
  });
});

const entry = { seq: 1, at: 2, hostId: 'h', argv: ['virsh', 'list'], outcome: 'ok', durationMs: 1.5 };
const batchCases: [string, unknown][] = [
  ['valid', { entries: [entry] }],
  ['empty', { entries: [] }],
  ['with stdin and error', { entries: [{ ...entry, stdin: '<x/>', outcome: 'error', error: 'boom' }] }],
  ['running, no duration', { entries: [{ ...entry, outcome: 'running', durationMs: undefined }] }],
  ['not a batch', entry],
  ['bad outcome', { entries: [{ ...entry, outcome: 'done' }] }],
  ['argv not strings', { entries: [{ ...entry, argv: [1] }] }],
  ['fractional seq', { entries: [{ ...entry, seq: 1.5 }] }],
  ['error not string', { entries: [{ ...entry, error: 5 }] }],
  ['entry null', { entries: [null] }],
];

describe('isActivityBatch', () => {
  it.each(batchCases)('agrees with the zod schema: %s', (_name, payload) => {
    expect(isActivityBatch(payload)).toBe(events['activity.added'].safeParse(payload).success);
  });
});
