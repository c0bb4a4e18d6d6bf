/**
 * Hand-written checks for the high-volume events, equivalent to their zod schemas. zod (jitless,
 * as our CSP requires) takes 10–15 ms to parse a stats.tick with 1,000 VMs, more than the whole
 * per-tick budget; this loop takes well under a millisecond. Unknown keys are left in place
 * (zod would strip them), which no consumer can observe. fast-events.test.ts checks these
 * against the zod schemas so the two cannot drift apart unnoticed.
 */
import type { EventName, EventPayload } from '../../../shared/contract';

type Obj = Record<string, unknown>;

const uuidPattern = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

const COLUMNS = ['cpu', 'hostCpu', 'mem', 'diskRd', 'diskWr', 'netRx', 'netTx'] as const;

/** null, or an array of n finite numbers / nulls. */
function isColumn(v: unknown, n: number): boolean {
  if (v === null) return true;
  if (!Array.isArray(v) || v.length !== n) return false;
  for (const x of v) if (x !== null && !isNum(x)) return false;
  return true;
}

export function isStatsTick(v: unknown): v is EventPayload<'stats.tick'> {
  if (!isObj(v)) return false;
  if (typeof v.hostId !== 'string' || !isNum(v.at) || !isNum(v.intervalMs)) return false;
  if (!isNum(v.hostCpus) || !Number.isSafeInteger(v.hostCpus) || !isNum(v.layout) || !Number.isSafeInteger(v.layout)) return false;
  const n = v.n;
  if (!isNum(n) || !Number.isSafeInteger(n) || n < 0) return false;
  if (v.uuids !== null) {
    if (!Array.isArray(v.uuids) || v.uuids.length !== n) return false;
    for (const u of v.uuids) if (typeof u !== 'string' || !uuidPattern.test(u)) return false;
  }
  if (v.memSource !== null && (typeof v.memSource !== 'string' || v.memSource.length !== n || !/^[gr-]*$/.test(v.memSource))) return false;
  for (const k of COLUMNS) if (!isColumn(v[k], n)) return false;
  return true;
}

const optional = (v: unknown, check: (x: unknown) => boolean) => v === undefined || check(v);
const isString = (v: unknown) => typeof v === 'string';

function isActivityEntry(v: unknown): boolean {
  if (!isObj(v)) return false;
  if (!isNum(v.seq) || !Number.isSafeInteger(v.seq) || !isNum(v.at) || typeof v.hostId !== 'string') return false;
  if (!Array.isArray(v.argv) || !v.argv.every(isString)) return false;
  if (v.outcome !== 'ok' && v.outcome !== 'error' && v.outcome !== 'running') return false;
  return optional(v.stdin, isString) && optional(v.error, isString) && optional(v.durationMs, isNum);
}

/** A batch of finished commands: up to hundreds a second while a big host refreshes addresses. */
export function isActivityBatch(v: unknown): v is EventPayload<'activity.added'> {
  return isObj(v) && Array.isArray(v.entries) && v.entries.every(isActivityEntry);
}

/** Events validated by hand instead of by their zod schema. */
export const fastEventChecks: Partial<Record<EventName, (v: unknown) => boolean>> = {
  'stats.tick': isStatsTick,
  'activity.added': isActivityBatch,
};
