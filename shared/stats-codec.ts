/**
 * The compact stats.tick format (see StatsTick in model/stats.ts): the backend encodes one
 * tick's samples into columns, the renderer reads them back per VM without building 1,000
 * objects a second.
 */
import type { DomainSample, StatsLayout, StatsTick } from './model/stats';

type Num = number | null;

const pct = (v: Num) => (v === null ? null : Math.round(v * 100) / 100);
const int = (v: Num) => (v === null ? null : Math.round(v));

/** A column, or null when every entry is null (so a driver without a stats group costs nothing). */
function column(samples: readonly DomainSample[], pick: (s: DomainSample) => Num): Num[] | null {
  let any = false;
  const out = new Array<Num>(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const v = pick(samples[i]!);
    out[i] = v;
    if (v !== null) any = true;
  }
  return any ? out : null;
}

/** One per host poller: remembers the UUID order it last sent. */
export class TickEncoder {
  private layoutId = Math.floor(Math.random() * 0x3fffffff);
  private uuids: readonly string[] = [];
  private sent = false;

  /** The current order, for a client that missed the tick that carried it (`stats.layout`). */
  get layout(): StatsLayout | null {
    return this.sent ? { layout: this.layoutId, uuids: [...this.uuids] } : null;
  }

  encode(head: { hostId: string; at: number; intervalMs: number; hostCpus: number }, samples: readonly DomainSample[]): StatsTick {
    const changed = !this.sent || samples.length !== this.uuids.length || samples.some((s, i) => s.uuid !== this.uuids[i]);
    if (changed) {
      this.layoutId = (this.layoutId + 1) & 0x3fffffff;
      this.uuids = samples.map((s) => s.uuid);
      this.sent = true;
    }
    const mem = samples.some((s) => s.memSource !== null) ? samples.map((s) => (s.memSource === 'guest' ? 'g' : s.memSource === 'rss' ? 'r' : '-')).join('') : null;
    return {
      ...head,
      layout: this.layoutId,
      n: samples.length,
      uuids: changed ? [...this.uuids] : null,
      cpu: column(samples, (s) => pct(s.cpuPct)),
      hostCpu: column(samples, (s) => pct(s.hostCpuPct)),
      mem: column(samples, (s) => int(s.memUsedKiB)),
      memSource: mem,
      diskRd: column(samples, (s) => int(s.diskRdBps)),
      diskWr: column(samples, (s) => int(s.diskWrBps)),
      netRx: column(samples, (s) => int(s.netRxBps)),
      netTx: column(samples, (s) => int(s.netTxBps)),
    };
  }
}

/** A sample the reader overwrites in place (the renderer keeps one per VM). */
export type MutableSample = { -readonly [K in keyof DomainSample]: DomainSample[K] };

export function emptySample(uuid: string): MutableSample {
  return { uuid, cpuPct: null, hostCpuPct: null, memUsedKiB: null, memSource: null, diskRdBps: null, diskWrBps: null, netRxBps: null, netTxBps: null };
}

/** Fills `into` with the i-th VM's values (its uuid stays as it is). */
export function readSample(t: StatsTick, i: number, into: MutableSample): MutableSample {
  into.cpuPct = t.cpu?.[i] ?? null;
  into.hostCpuPct = t.hostCpu?.[i] ?? null;
  into.memUsedKiB = t.mem?.[i] ?? null;
  const m = t.memSource?.[i];
  into.memSource = m === 'g' ? 'guest' : m === 'r' ? 'rss' : null;
  into.diskRdBps = t.diskRd?.[i] ?? null;
  into.diskWrBps = t.diskWr?.[i] ?? null;
  into.netRxBps = t.netRx?.[i] ?? null;
  into.netTxBps = t.netTx?.[i] ?? null;
  return into;
}

/**
 * The UUID order of a tick: its own, or the known one for its layout. undefined when neither
 * is there (the caller asks `stats.layout`) or when the counts disagree.
 */
export function uuidsOf(t: StatsTick, known: StatsLayout | undefined): readonly string[] | undefined {
  const uuids = t.uuids ?? (known?.layout === t.layout ? known.uuids : undefined);
  return uuids && uuids.length === t.n ? uuids : undefined;
}

/** Every sample as objects: for tests, tools and the few consumers that want one VM's values. */
export function decodeTick(t: StatsTick, uuids: readonly string[]): DomainSample[] {
  return uuids.map((uuid, i) => readSample(t, i, emptySample(uuid)));
}
