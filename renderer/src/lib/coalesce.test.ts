import { describe, expect, it } from 'vitest';
import { coalescedByKey } from './coalesce';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('coalescedByKey', () => {
  it('collapses calls made during a run into one trailing run', async () => {
    const runs: string[] = [];
    const gates: ReturnType<typeof deferred>[] = [];
    const refetch = coalescedByKey(async (key: string) => {
      runs.push(key);
      const g = deferred();
      gates.push(g);
      await g.promise;
    });
    const first = refetch('a');
    const second = refetch('a');
    void refetch('a');
    expect(runs).toEqual(['a']);
    gates[0]?.resolve();
    await Promise.resolve();
    await Promise.resolve();
    expect(runs).toEqual(['a', 'a']);
    gates[1]?.resolve();
    await Promise.all([first, second]);
    expect(runs).toEqual(['a', 'a']);
  });

  it('runs different keys independently', async () => {
    const runs: string[] = [];
    const refetch = coalescedByKey(async (key: string) => {
      runs.push(key);
    });
    await Promise.all([refetch('a'), refetch('b')]);
    expect(runs).toEqual(['a', 'b']);
  });

  it('survives a failing task and can run again', async () => {
    let n = 0;
    const original = console.error;
    console.error = () => {};
    const refetch = coalescedByKey(async () => {
      n += 1;
      if (n === 1) throw new Error('first fails');
    });
    await refetch('k');
    await refetch('k');
    console.error = original;
    expect(n).toBe(2);
  });
});
