import { describe, expect, it } from 'vitest';
import { fixedVisibleRange, itemAt, prefixOffsets, scrollToReveal, visibleRange } from './virtual-range';

describe('prefixOffsets / itemAt', () => {
  it('accumulates heights and finds the item under a y position', () => {
    const offsets = prefixOffsets([40, 30, 30, 40, 30]);
    expect([...offsets]).toEqual([0, 40, 70, 100, 140, 170]);
    expect(itemAt(offsets, 0)).toBe(0);
    expect(itemAt(offsets, 39.9)).toBe(0);
    expect(itemAt(offsets, 40)).toBe(1);
    expect(itemAt(offsets, 139)).toBe(3);
    expect(itemAt(offsets, 10_000)).toBe(4);
    expect(itemAt(offsets, -5)).toBe(0);
    expect(itemAt(prefixOffsets([]), 10)).toBe(0);
  });
});

describe('visibleRange', () => {
  const offsets = prefixOffsets(new Array<number>(1000).fill(30));

  it('renders only the window plus overscan', () => {
    expect(visibleRange(offsets, 0, 300, 5)).toEqual({ start: 0, end: 15 });
    expect(visibleRange(offsets, 3000, 300, 5)).toEqual({ start: 95, end: 115 });
    // Partially visible rows at both edges count.
    expect(visibleRange(offsets, 3015, 300, 0)).toEqual({ start: 100, end: 111 });
  });

  it('clamps at the end and for overscroll', () => {
    expect(visibleRange(offsets, 29_900, 300, 5)).toEqual({ start: 991, end: 1000 });
    expect(visibleRange(offsets, 50_000, 300, 5)).toEqual({ start: 994, end: 1000 });
    expect(visibleRange(offsets, -100, 300, 0)).toEqual({ start: 0, end: 10 });
  });

  it('keeps the DOM small for 1000 rows in a tall window', () => {
    const { start, end } = visibleRange(offsets, 12_345, 1600, 8);
    expect(end - start).toBeLessThanOrEqual(100);
  });

  it('handles mixed heights and empty lists', () => {
    const mixed = prefixOffsets([44, 30, 30, 44, 30]);
    expect(visibleRange(mixed, 50, 60, 0)).toEqual({ start: 1, end: 4 });
    expect(visibleRange(prefixOffsets([]), 0, 300, 5)).toEqual({ start: 0, end: 0 });
    // Before the first layout the height is unknown: render a few rows rather than none.
    expect(visibleRange(offsets, 0, 0, 5)).toEqual({ start: 0, end: 5 });
  });
});

describe('fixedVisibleRange', () => {
  it('matches the offsets version for uniform rows', () => {
    const offsets = prefixOffsets(new Array<number>(500).fill(28));
    for (const top of [0, 1, 27, 28, 1000, 13_999, 20_000]) {
      expect(fixedVisibleRange(top, 333, 28, 500, 3)).toEqual(visibleRange(offsets, top, 333, 3));
    }
    expect(fixedVisibleRange(0, 300, 30, 0, 5)).toEqual({ start: 0, end: 0 });
  });
});

describe('scrollToReveal', () => {
  const offsets = prefixOffsets(new Array<number>(100).fill(30));
  it('scrolls the least needed, minding a sticky header', () => {
    expect(scrollToReveal(offsets, 5, 0, 300)).toBeNull();
    expect(scrollToReveal(offsets, 20, 0, 300)).toBe(330);
    expect(scrollToReveal(offsets, 2, 300, 300)).toBe(60);
    expect(scrollToReveal(offsets, 9, 0, 300, 30)).toBe(30);
    expect(scrollToReveal(offsets, 200, 0, 300)).toBeNull();
  });
});
