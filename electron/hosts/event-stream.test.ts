import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseObjectEventLine } from '../virsh/parse';
import { EventStream, RESYNC_AFTER_RESTART_MS } from './event-stream';
import type { ExitInfo, ProcessHandle } from './transport/transport';

/** A watcher process we control: feed its stdout, make it exit. */
function fakeProc() {
  let exit!: (e: ExitInfo) => void;
  const exited = new Promise<ExitInfo>((r) => (exit = r));
  const stdout = new PassThrough();
  const proc: ProcessHandle = { stdin: new PassThrough(), stdout, stderr: new PassThrough(), exited, kill: () => exit({ code: null }) };
  return { proc, stdout, exit: () => exit({ code: 1 }) };
}

describe('EventStream', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('hands over a burst of parsed events once, after 100 ms', async () => {
    const p = fakeProc();
    const got: unknown[][] = [];
    const s = new EventStream(async () => p.proc, (evs) => got.push(evs), parseObjectEventLine);
    s.start();
    await vi.advanceTimersByTimeAsync(0);
    p.stdout.write("event 'lifecycle' for network a: Started\nevent 'lifecycle' for net");
    p.stdout.write("work b: Stopped\nevents received: 2\n");
    await vi.advanceTimersByTimeAsync(0);
    expect(got).toEqual([]);
    await vi.advanceTimersByTimeAsync(100);
    expect(got).toEqual([[expect.objectContaining({ name: 'a', detail: 'Started' }), expect.objectContaining({ name: 'b', detail: 'Stopped' })]]);
    s.stop();
  });

  it('a watcher that keeps failing at once is restarted less and less often', async () => {
    let spawned = 0;
    const s = new EventStream(async () => {
      spawned++;
      const p = fakeProc();
      setTimeout(p.exit, 50); // e.g. "this function is not supported by the connection driver"
      return p.proc;
    }, () => {});
    s.start();
    await vi.advanceTimersByTimeAsync(60);
    expect(s.nextRestartMs).toBe(4000);
    await vi.advanceTimersByTimeAsync(2000 + 4000 + 8000 + 16000 + 200);
    expect(spawned).toBe(5);
    expect(s.nextRestartMs).toBe(60_000);
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(spawned).toBeLessThan(70);
    expect(s.nextRestartMs).toBe(60_000);
    s.stop();
  });

  it('kick(): a watcher waiting out its backoff (libvirtd was away) starts at once, with the backoff reset; a running one is left alone', async () => {
    let spawned = 0;
    let failing = true;
    const exits: number[] = [];
    const s = new EventStream(
      async () => {
        spawned++;
        const p = fakeProc();
        if (failing) setTimeout(p.exit, 50); // "Failed to connect socket": no daemon yet
        return p.proc;
      },
      () => {},
      undefined,
      () => exits.push(spawned),
    );
    s.start();
    await vi.advanceTimersByTimeAsync(2000 + 4000 + 300); // three quick failures: the next wait is 8 s
    expect([spawned, s.nextRestartMs]).toEqual([3, 16_000]);
    expect(exits).toEqual([1, 2, 3]); // each exit is reported (the connection checks its host)
    failing = false;
    s.kick();
    await vi.advanceTimersByTimeAsync(0);
    expect([spawned, s.nextRestartMs]).toEqual([4, 2000]);
    s.kick(); // running now: nothing to do
    await vi.advanceTimersByTimeAsync(20_000);
    expect(spawned).toBe(4);
    s.stop();
  });

  it('a restarted watcher asks for one full refetch once it had time to register; the first start does not', async () => {
    const procs: ReturnType<typeof fakeProc>[] = [];
    const got: unknown[][] = [];
    const s = new EventStream(async () => {
      const p = fakeProc();
      procs.push(p);
      return p.proc;
    }, (evs) => got.push(evs));
    s.start();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(got).toEqual([]);
    procs[0]!.exit(); // events from now until the new watcher registers are lost
    await vi.advanceTimersByTimeAsync(2000);
    expect(procs).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(RESYNC_AFTER_RESTART_MS - 1);
    expect(got).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(got).toEqual([[]]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(got).toEqual([[]]);
    s.stop();
  });

  it('after a long run the restart is quick again', async () => {
    let spawned = 0;
    const procs: ReturnType<typeof fakeProc>[] = [];
    const s = new EventStream(async () => {
      spawned++;
      const p = fakeProc();
      procs.push(p);
      return p.proc;
    }, () => {});
    s.start();
    await vi.advanceTimersByTimeAsync(60_000);
    procs[0]!.exit();
    await vi.advanceTimersByTimeAsync(2000);
    expect(spawned).toBe(2);
    expect(s.nextRestartMs).toBe(2000);
    s.stop();
  });

  it('a restarted watcher starts with an empty line: the old process\'s half-line is dropped, and its late output ignored', async () => {
    const procs: ReturnType<typeof fakeProc>[] = [];
    const got: unknown[][] = [];
    const s = new EventStream(async () => {
      const p = fakeProc();
      procs.push(p);
      return p.proc;
    }, (evs) => got.push(evs), parseObjectEventLine);
    s.start();
    await vi.advanceTimersByTimeAsync(0);
    procs[0]!.stdout.write("event 'lifecycle' for network a: Sta"); // killed mid-line
    await vi.advanceTimersByTimeAsync(0);
    procs[0]!.exit();
    await vi.advanceTimersByTimeAsync(2000);
    expect(procs).toHaveLength(2);
    procs[1]!.stdout.write("event 'lifecycle' for network b: Started\n");
    procs[0]!.stdout.write("rted\nevent 'lifecycle' for network stale: Started\n"); // a buffered tail of the dead one
    await vi.advanceTimersByTimeAsync(100);
    expect(got).toEqual([[{ kind: 'network', event: 'lifecycle', name: 'b', detail: 'Started' }]]);
    s.stop();
  });

  it('accepts CRLF line ends (a pty adds them): the CR is not part of the line', async () => {
    const p = fakeProc();
    const got: unknown[][] = [];
    const s = new EventStream(async () => p.proc, (evs) => got.push(evs), parseObjectEventLine);
    s.start();
    await vi.advanceTimersByTimeAsync(0);
    p.stdout.write("event 'lifecycle' for network a: Started\r\nevent 'refresh' for storage pool p\r");
    p.stdout.write('\n');
    await vi.advanceTimersByTimeAsync(100);
    expect(got).toEqual([[{ kind: 'network', event: 'lifecycle', name: 'a', detail: 'Started' }, { kind: 'pool', event: 'refresh', name: 'p', detail: '' }]]);
    s.stop();
  });
});
