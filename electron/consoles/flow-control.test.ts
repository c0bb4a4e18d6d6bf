import { describe, expect, it } from 'vitest';
import { CreditWindow, chunksOf } from './flow-control';

describe('console flow control (a flooding guest cannot grow memory without bound)', () => {
  it('pauses once the unacknowledged bytes reach the high-water mark, once', () => {
    const w = new CreditWindow(500, 100);
    expect(w.sent(300)).toBe(false);
    expect(w.sent(200)).toBe(true);
    expect(w.sent(50)).toBe(false); // already paused: no second pause signal
    expect(w.paused).toBe(true);
    expect(w.inFlight).toBe(550);
  });

  it('resumes only when acks bring the backlog down to the low-water mark', () => {
    const w = new CreditWindow(500, 100);
    w.sent(600);
    expect(w.acked(300)).toBe(false);
    expect(w.acked(200)).toBe(true);
    expect(w.paused).toBe(false);
    expect(w.acked(100)).toBe(false);
  });

  it('ignores acks for more than was sent', () => {
    const w = new CreditWindow(500, 100);
    w.sent(10);
    w.acked(1_000_000);
    expect(w.inFlight).toBe(0);
    expect(w.sent(499)).toBe(false);
    expect(w.sent(1)).toBe(true);
  });

  it('splits output into chunks of at most 100 KB without copying', () => {
    const buf = new Uint8Array(250 * 1024);
    const parts = chunksOf(buf);
    expect(parts.map((p) => p.length)).toEqual([102400, 102400, 51200]);
    expect(parts[1]!.buffer).toBe(buf.buffer);
    expect(chunksOf(new Uint8Array(10))).toHaveLength(1);
  });
});
