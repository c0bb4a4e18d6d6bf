import { describe, expect, it } from 'vitest';
import { forEachLimited } from './limit';

describe('forEachLimited', () => {
  it('visits every item once with at most `limit` in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    await forEachLimited(Array.from({ length: 50 }, (_, i) => i), 4, async (i) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, i % 3));
      seen.push(i);
      inFlight--;
    });
    expect(peak).toBe(4);
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('does nothing for no items', async () => {
    let calls = 0;
    await forEachLimited([], 4, async () => void calls++);
    expect(calls).toBe(0);
  });
});
