import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AckBatcher } from './byte-channel';

describe('renderer acks (what lets the backend resume a paused console)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('acks at once past 32 KB, otherwise within 15 ms, never the same bytes twice', () => {
    const sent: number[] = [];
    const acks = new AckBatcher((n) => sent.push(n));
    acks.add(40 * 1024);
    expect(sent).toEqual([40 * 1024]);
    acks.add(100);
    acks.add(200);
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(15);
    expect(sent).toEqual([40 * 1024, 300]);
    vi.advanceTimersByTime(100);
    expect(sent).toHaveLength(2);
  });

  it('sends nothing after stop', () => {
    const sent: number[] = [];
    const acks = new AckBatcher((n) => sent.push(n));
    acks.add(10);
    acks.stop();
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([]);
  });
});
