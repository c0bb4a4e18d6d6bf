import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HandshakeClock } from './handshake-clock';

describe('the SSH handshake time limit', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('expires after the budget when nobody is asked anything (a silent server still times out)', () => {
    const expired = vi.fn();
    new HandshakeClock(20_000, expired).start();
    vi.advanceTimersByTime(19_999);
    expect(expired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(expired).toHaveBeenCalledOnce();
  });

  it('does not count the minutes a prompt is open, only the server time before and after it', () => {
    const expired = vi.fn();
    const clock = new HandshakeClock(20_000, expired);
    clock.start();
    vi.advanceTimersByTime(15_000);
    clock.pause(); // host-key question
    clock.pause(); // and a password question at the same time (jump host)
    vi.advanceTimersByTime(10 * 60_000);
    clock.resume();
    vi.advanceTimersByTime(60_000);
    expect(expired).not.toHaveBeenCalled();
    clock.resume();
    vi.advanceTimersByTime(4_999);
    expect(expired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(expired).toHaveBeenCalledOnce();
  });

  it('never fires once stopped, even when a prompt closes afterwards', () => {
    const expired = vi.fn();
    const clock = new HandshakeClock(1000, expired);
    clock.start();
    clock.pause();
    clock.stop();
    clock.resume();
    vi.advanceTimersByTime(10_000);
    expect(expired).not.toHaveBeenCalled();
  });
});
