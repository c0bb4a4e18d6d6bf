import { describe, expect, it, vi } from 'vitest';
import { ChannelLimiter } from './channel-limiter';

describe('the SSH channel cap', () => {
  it('never has more than max channels open and hands slots to waiters in order', async () => {
    const limiter = new ChannelLimiter(2, 0);
    const a = await limiter.acquire();
    const b = await limiter.acquire();
    const order: string[] = [];
    const c = limiter.acquire().then((release) => (order.push('c'), release));
    const d = limiter.acquire().then((release) => (order.push('d'), release));
    await Promise.resolve();
    expect(limiter.active).toBe(2);
    expect(order).toEqual([]);
    a();
    a(); // releasing twice frees one slot only
    const rc = await c;
    expect(order).toEqual(['c']);
    b();
    (await d)();
    rc();
    expect(limiter.active).toBe(0);
  });

  it('keeps channels for short commands that long-lived ones cannot take', async () => {
    const limiter = new ChannelLimiter(4, 2);
    await limiter.acquire({ lane: 'long' });
    await limiter.acquire({ lane: 'long' });
    let third = false;
    void limiter.acquire({ lane: 'long', timeoutMs: 60_000 }).then(() => (third = true));
    // Both reserved channels still serve short commands (define, save, a console's lookup).
    const s1 = await limiter.acquire({ lane: 'short' });
    await limiter.acquire({ lane: 'short' });
    expect(limiter.active).toBe(4);
    s1();
    await Promise.resolve();
    expect(third).toBe(false); // a freed reserved channel does not go to a long-lived waiter
  });

  it('gives up after its timeout with a message that names the limit, and says it waited', async () => {
    vi.useFakeTimers();
    try {
      const limiter = new ChannelLimiter(1, 0);
      await limiter.acquire();
      const waits: boolean[] = [];
      const waiting = limiter.acquire({ timeoutMs: 5000, onWait: (w) => waits.push(w) });
      const failed = expect(waiting).rejects.toMatchObject({ code: 'channel_refused', message: expect.stringContaining('the host allows 1') });
      expect(waits).toEqual([true]);
      await vi.advanceTimersByTimeAsync(5000);
      await failed;
      expect(waits).toEqual([true, false]);
      expect(limiter.active).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('stops waiting when the caller aborts, and fails every waiter when the connection closes', async () => {
    const limiter = new ChannelLimiter(1, 0);
    await limiter.acquire();
    const ac = new AbortController();
    const aborted = limiter.acquire({ signal: ac.signal });
    ac.abort();
    await expect(aborted).rejects.toMatchObject({ code: 'cancelled' });
    const drained = limiter.acquire();
    limiter.drain();
    await expect(drained).rejects.toMatchObject({ code: 'disconnected' });
    await expect(limiter.acquire()).rejects.toMatchObject({ code: 'disconnected' });
  });
});
