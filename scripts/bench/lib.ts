/**
 * Shared helpers for `npm run bench`: JSON-line output, statistics, CPU/RSS probes, the libvirt
 * test-driver node file generator and the "naive" one-virsh-process-per-call runner.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Harness } from '../../e2e/support/backend-harness';

/** One measurement = one JSON line on stdout. Progress goes to stderr. */
export function emit(record: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ ...record, loadavg1: Math.round(loadavg()[0]! * 100) / 100, at: new Date().toISOString() })}\n`);
}

export function log(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

/** Rounds for printing: 2 decimals below 10, 1 below 1000, integers above. */
export function r(x: number): number {
  if (!Number.isFinite(x)) return x;
  const a = Math.abs(x);
  return a < 10 ? Math.round(x * 100) / 100 : a < 1000 ? Math.round(x * 10) / 10 : Math.round(x);
}

export const sleep = (ms: number) => new Promise<void>((res) => setTimeout(res, ms));

export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export function peakRssMB(): number {
  return process.resourceUsage().maxRSS / 1024; // maxRSS is in KiB
}

/** CPU time (ms) of this process's direct children named `comm` (e.g. the virsh session). */
export function childCpuMs(comm: string): number {
  const hz = 100; // USER_HZ on Linux
  let total = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    const close = stat.lastIndexOf(')');
    const name = stat.slice(stat.indexOf('(') + 1, close);
    const f = stat.slice(close + 2).split(' ');
    // fields after "(comm) ": state ppid ... utime is field 14 overall → index 11 here
    if (name !== comm || Number(f[1]) !== process.pid) continue;
    total += ((Number(f[11]) + Number(f[12])) * 1000) / hz;
  }
  return total;
}

/** CPU time (ms) of this process's children that have exited and been waited for (cutime+cstime). */
export function reapedChildrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[13]) + Number(f[14])) * 1000) / 100; // fields 16, 17 overall; USER_HZ 100
}

/**
 * Counts the virsh commands a Backend ran since reset(), by subcommand, from its activity log
 * (which keeps the newest 2,000; the events arrive batched, up to 100 ms late).
 */
export function countCommands(h: Harness): { snapshot(): Record<string, number>; reset(): void } {
  let after = 0;
  const lastSeq = () => h.backend.activity.list().at(-1)?.seq ?? 0;
  return {
    reset: () => void (after = lastSeq()),
    snapshot: () => {
      const counts: Record<string, number> = {};
      for (const e of h.backend.activity.list(after)) {
        const sub = e.argv[e.argv.indexOf('-c') + 2] ?? '?';
        counts[sub] = (counts[sub] ?? 0) + 1;
      }
      return counts;
    },
  };
}

/**
 * A libvirt test-driver node file (https://libvirt.org/drvtest.html): host CPU info and `count`
 * domains with distinct names/uuids; even-numbered ones shut off (test:runstate 5), odd ones
 * running. Sizes vary so the list has something to show.
 */
export function writeTestNodeXml(path: string, count: number): { running: number; names: string[] } {
  const ns = 'http://libvirt.org/schemas/domain/test/1.0';
  const parts = [
    '<node>',
    '  <cpu><mhz>2400</mhz><model>x86_64</model><active>16</active><nodes>1</nodes><sockets>1</sockets><cores>8</cores><threads>2</threads></cpu>',
    '  <memory>67108864</memory>',
  ];
  const names: string[] = [];
  let running = 0;
  for (let i = 1; i <= count; i++) {
    const name = `bench-vm-${String(i).padStart(4, '0')}`;
    names.push(name);
    const on = i % 2 === 1;
    if (on) running++;
    parts.push(
      `  <domain type='test' xmlns:test='${ns}'><name>${name}</name><uuid>b3c4d5e6-0000-4000-8000-${i.toString(16).padStart(12, '0')}</uuid>` +
        `<memory unit='MiB'>${256 * (1 + (i % 4))}</memory><vcpu>${1 + (i % 4)}</vcpu><os><type>hvm</type></os>` +
        `${on ? '' : '<test:runstate>5</test:runstate>'}</domain>`,
    );
  }
  parts.push('</node>', '');
  writeFileSync(path, parts.join('\n'));
  return { running, names };
}

/** Runs a program to the end; resolves with its stdout (rejects on a non-zero exit). */
export function run(argv: readonly string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C.UTF-8' } });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${argv.join(' ')} exited ${code}: ${err.trim()}`))));
    child.stdin.end(input ?? '');
  });
}

export interface PoolResult {
  /** Wall time for all `total` jobs, measured or extrapolated from the ones that ran. */
  ms: number;
  done: number;
  total: number;
  extrapolated: boolean;
}

/**
 * Runs `job(i)` for i < total with `concurrency` in flight. After `budgetMs` no new job starts
 * and the wall time is extrapolated linearly from the finished ones (the naive way on a
 * 1,000-VM test host would otherwise take minutes: every virsh process re-reads the XML file).
 */
export async function pool(total: number, concurrency: number, job: (i: number) => Promise<unknown>, budgetMs = Infinity): Promise<PoolResult> {
  const t0 = performance.now();
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < total && performance.now() - t0 < budgetMs) {
      const i = next++;
      await job(i);
      done++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  const elapsed = performance.now() - t0;
  return { ms: done === total ? elapsed : (elapsed * total) / Math.max(1, done), done, total, extrapolated: done < total };
}

export const CORES = availableParallelism();

/** Accept host keys, and stop the first-start demo host so only the measured host runs. */
export async function quietHarness(h: Harness): Promise<void> {
  h.answerPrompts(() => ({ accept: true }));
  for (const v of await h.call('hosts.list', {})) {
    if (v.status.state !== 'disconnected') await h.call('hosts.disconnect', { hostId: v.config.id });
  }
}

/** Resolves with the first stats.tick of `hostId` seen from now on. */
export function firstTick(h: Harness, hostId: () => string | undefined, timeoutMs = 120_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no stats.tick within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = h.backend.onEvent((name, payload) => {
      if (name === 'stats.tick' && (payload as { hostId: string }).hostId === hostId()) {
        clearTimeout(timer);
        off();
        resolve(performance.now());
      }
    });
  });
}
