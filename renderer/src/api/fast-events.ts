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
const isNumOrNull = (v: unknown) => v === null || isNum(v);

function isSample(v: unknown): boolean {
  if (!isObj(v)) return false;
  return (
    typeof v.uuid === 'string' &&
    uuidPattern.test(v.uuid) &&
    isNumOrNull(v.cpuPct) &&
    isNumOrNull(v.hostCpuPct) &&
    isNumOrNull(v.memUsedKiB) &&
    (v.memSource === null || v.memSource === 'guest' || v.memSource === 'rss') &&
    isNumOrNull(v.diskRdBps) &&
    isNumOrNull(v.diskWrBps) &&
    isNumOrNull(v.netRxBps) &&
    isNumOrNull(v.netTxBps)
  );
}

export function isStatsTick(v: unknown): v is EventPayload<'stats.tick'> {
  if (!isObj(v)) return false;
  if (typeof v.hostId !== 'string' || !isNum(v.at) || !isNum(v.intervalMs)) return false;
  if (!isNum(v.hostCpus) || !Number.isSafeInteger(v.hostCpus) || !Array.isArray(v.samples)) return false;
  for (const s of v.samples) if (!isSample(s)) return false;
  return true;
}

/** Events validated by hand instead of by their zod schema. */
export const fastEventChecks: Partial<Record<EventName, (v: unknown) => boolean>> = {
  'stats.tick': isStatsTick,
};
