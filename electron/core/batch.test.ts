import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Batcher } from './batch';

describe('Batcher', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('delivers everything pushed within the delay as one batch, in order', () => {
    const got: number[][] = [];
    const b = new Batcher<number>((xs) => got.push(xs), 100);
    for (let i = 0; i < 500; i++) b.push(i);
    expect(got).toEqual([]);
    vi.advanceTimersByTime(99);
    expect(got).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(got).toHaveLength(1);
    expect(got[0]).toEqual(Array.from({ length: 500 }, (_, i) => i));
  });

  it('starts a new batch after a delivery, and sends nothing when idle', () => {
    const got: string[][] = [];
    const b = new Batcher<string>((xs) => got.push(xs), 100);
    b.push('a');
    vi.advanceTimersByTime(100);
    vi.advanceTimersByTime(1000);
    b.push('b');
    b.push('c');
    vi.advanceTimersByTime(100);
    expect(got).toEqual([['a'], ['b', 'c']]);
  });

  it('flush delivers at once and cancels the pending timer', () => {
    const got: number[][] = [];
    const b = new Batcher<number>((xs) => got.push(xs), 100);
    b.push(1);
    b.flush();
    b.flush();
    vi.advanceTimersByTime(200);
    expect(got).toEqual([[1]]);
  });
});
