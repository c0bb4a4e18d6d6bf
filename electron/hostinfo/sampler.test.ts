/**
 * The sampler's lifecycle against a fake host: frames split anywhere across reads, a stop
 * while its channel is still opening, and a program that dies while wanted.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import type { HostSample } from '../../shared/model/hostinfo';
import type { HostConnection } from '../hosts/host-connection';
import type { ExitInfo, ProcessHandle } from '../hosts/transport/transport';
import { SAMPLER_FILES } from './proc-parse';
import { HostSampler, SAMPLER_SCRIPT } from './sampler';

const fx = (f: string) => readFileSync(join(__dirname, 'fixtures', f), 'utf8');
const FILES = { stat: fx('proc-stat.txt'), meminfo: fx('meminfo.txt'), 'net/dev': fx('net-dev.txt'), diskstats: fx('diskstats.txt') } as const;
const frame = SAMPLER_FILES.map((f) => `@@${f}\n${FILES[f]}`).join('') + '@@end\n';

function fakeProc() {
  let exit!: (e: ExitInfo) => void;
  const stdin = new PassThrough();
  const p = {
    stdin,
    stdout: new PassThrough(),
    stderr: new PassThrough(),
    exited: new Promise<ExitInfo>((r) => (exit = r)),
    kill: vi.fn(() => exit({ code: null, signal: 'SIGTERM' })),
  } satisfies ProcessHandle;
  return { p, exit: (e: ExitInfo) => exit(e) };
}

describe('host sampler', () => {
  it('runs the constant script with the interval as its only argument, and emits one sample per frame however the output is split', async () => {
    const proc = fakeProc();
    const open = vi.fn(async () => proc.p);
    const samples: HostSample[] = [];
    const s = new HostSampler({ id: 'h1', open } as unknown as HostConnection, 500, (x) => samples.push(x), () => {});
    s.start();
    await vi.waitFor(() => expect(open).toHaveBeenCalled());
    expect(open).toHaveBeenCalledWith(['sh', '-c', SAMPLER_SCRIPT, 'sh', '0.5']);
    // 100 more user ticks and nothing else: the CPU was fully busy in between.
    const two = frame + frame.replace('cpu  385806 ', 'cpu  385906 ');
    for (let i = 0; i < two.length; i += 997) proc.p.stdout.write(two.slice(i, i + 997));
    await vi.waitFor(() => expect(samples).toHaveLength(2));
    expect(samples[0]).toMatchObject({ hostId: 'h1', cpuPct: null, memTotalKiB: 24731408 });
    expect(samples[1]!.cpuPct).toBe(100);
    s.stop();
    expect(proc.p.kill).toHaveBeenCalled();
    expect(proc.p.stdin.writableEnded).toBe(true);
  });

  it('ends a program whose channel opened after stop()', async () => {
    const proc = fakeProc();
    let opened!: (p: ProcessHandle) => void;
    const open = vi.fn(() => new Promise<ProcessHandle>((r) => (opened = r)));
    const s = new HostSampler({ id: 'h1', open } as unknown as HostConnection, 1000, () => {}, () => {});
    s.start();
    s.stop();
    opened(proc.p);
    await vi.waitFor(() => expect(proc.p.kill).toHaveBeenCalled());
  });

  it('says so when the program dies while wanted, and starts it again', async () => {
    vi.useFakeTimers();
    try {
      const procs = [fakeProc(), fakeProc()];
      const open = vi.fn(async () => procs[open.mock.calls.length - 1]!.p);
      const problems: Array<string | null> = [];
      const s = new HostSampler({ id: 'h1', open } as unknown as HostConnection, 1000, () => {}, (m) => problems.push(m));
      s.start();
      await vi.waitFor(() => expect(open).toHaveBeenCalledTimes(1));
      procs[0]!.exit({ code: null, lost: true });
      await vi.waitFor(() => expect(problems[0]).toMatch(/connection lost/));
      await vi.advanceTimersByTimeAsync(2000);
      expect(open).toHaveBeenCalledTimes(2);
      procs[1]!.p.stdout.write(frame);
      await vi.waitFor(() => expect(problems.at(-1)).toBeNull());
      s.stop();
    } finally {
      vi.useRealTimers();
    }
  });
});
