import { describe, expect, it } from 'vitest';
import { JobQueue } from './queue';

const deferred = () => {
  let resolve!: (v: string) => void;
  const p = new Promise<string>((r) => (resolve = r));
  return { p, resolve };
};

describe('a multi-selection queues within the per-source cap', () => {
  it('runs at most N per source at a time, in order; other sources are not held up; a queued job can be taken out', async () => {
    const done: string[] = [];
    const started: string[] = [];
    const q = new JobQueue<string>(2, (r) => done.push(r));
    const d = Object.fromEntries(['a1', 'a2', 'a3', 'a4', 'b1'].map((id) => [id, deferred()]));
    const job = (id: string) => ({ id, run: () => (started.push(id), d[id]!.p) });
    for (const id of ['a1', 'a2', 'a3', 'a4']) q.push(job(id), 'A');
    q.push(job('b1'), 'B');
    expect(started).toEqual(['a1', 'a2', 'b1']);
    expect(q.queued).toEqual(['a3', 'a4']);
    expect(q.remove('a4')).toBe(true);
    expect(q.remove('a1')).toBe(false);
    d['a2']!.resolve('a2');
    await new Promise((r) => setTimeout(r, 0));
    expect(started).toEqual(['a1', 'a2', 'b1', 'a3']);
    expect(done).toEqual(['a2']);
  });
});
