/**
 * A tiny list virtualizer: which items of a tall list intersect the viewport. Pure functions,
 * so the scroll math is unit-tested; the component only feeds scrollTop and height in.
 *
 * Items have a height each (the VM tree mixes host headers and VM rows), so positions come
 * from prefix sums computed once per list change; a scroll then costs one binary search.
 */

export interface VisibleRange {
  /** First item to render (inclusive). */
  start: number;
  /** One past the last item to render. */
  end: number;
}

/** offsets[i] = top of item i; offsets[count] = total height. */
export function prefixOffsets(heights: ArrayLike<number>): Float64Array {
  const offsets = new Float64Array(heights.length + 1);
  for (let i = 0; i < heights.length; i++) offsets[i + 1] = offsets[i]! + heights[i]!;
  return offsets;
}

/** Index of the item containing `y` (clamped into the list); offsets as from prefixOffsets. */
export function itemAt(offsets: ArrayLike<number>, y: number): number {
  const count = offsets.length - 1;
  if (count <= 0) return 0;
  let lo = 0;
  let hi = count - 1;
  // Largest i with offsets[i] <= y.
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offsets[mid]! <= y) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Items overlapping [scrollTop, scrollTop + viewportHeight), widened by `overscan` on each side. */
export function visibleRange(
  offsets: ArrayLike<number>,
  scrollTop: number,
  viewportHeight: number,
  overscan: number,
): VisibleRange {
  const count = offsets.length - 1;
  if (count <= 0 || viewportHeight <= 0) return { start: 0, end: Math.min(Math.max(count, 0), overscan) };
  const top = Math.max(0, scrollTop);
  const first = itemAt(offsets, top);
  // The bottom edge is exclusive: an item starting exactly there is not visible.
  const last = itemAt(offsets, Math.max(top, top + viewportHeight - 0.5));
  return { start: Math.max(0, first - overscan), end: Math.min(count, last + 1 + overscan) };
}

/** The same for rows of one fixed height, without building offsets. */
export function fixedVisibleRange(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  count: number,
  overscan: number,
): VisibleRange {
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const top = Math.max(0, scrollTop);
  const first = Math.min(count - 1, Math.floor(top / rowHeight));
  const last = Math.min(count - 1, Math.max(first, Math.ceil((top + Math.max(0, viewportHeight)) / rowHeight) - 1));
  return { start: Math.max(0, first - overscan), end: Math.min(count, last + 1 + overscan) };
}

/**
 * The scrollTop that brings item `index` fully into view with the least movement, or null when it
 * already is. `inset` is space at the top covered by a sticky header.
 */
export function scrollToReveal(
  offsets: ArrayLike<number>,
  index: number,
  scrollTop: number,
  viewportHeight: number,
  inset = 0,
): number | null {
  const count = offsets.length - 1;
  if (index < 0 || index >= count) return null;
  const top = offsets[index]!;
  const bottom = offsets[index + 1]!;
  const visibleHeight = viewportHeight - inset;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + visibleHeight) return Math.max(0, bottom - visibleHeight);
  return null;
}
