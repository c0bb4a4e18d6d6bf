import { AppError } from '../../../shared/errors';

/** What a channel is for: `long` ones (event watchers, consoles, transfers) stay open for minutes. */
export type ChannelLane = 'short' | 'long';

export interface AcquireOptions {
  lane?: ChannelLane;
  /** Give up after this long without a free channel (default: ACQUIRE_TIMEOUT_MS). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Called once when the request has to wait, and once with `false` when it stops waiting. */
  onWait?(waiting: boolean): void;
}

export const ACQUIRE_TIMEOUT_MS = 30_000;

interface Waiter {
  lane: ChannelLane;
  grant(): void;
}

/**
 * sshd allows MaxSessions (default 10) channels per connection. Virtdeck caps itself below that
 * and queues the rest instead of being refused. Long-lived channels may take at most
 * `max - reservedShort` slots, so define, save or a new console's lookup always find a channel
 * even with every console and transfer open; and nobody waits forever (timeout, AbortSignal).
 */
export class ChannelLimiter {
  private short = 0;
  private long = 0;
  private readonly waiting: Waiter[] = [];
  private drained = false;

  constructor(
    readonly max: number,
    readonly reservedShort = 2,
  ) {}

  get active(): number {
    return this.short + this.long;
  }

  /** The message a waiting caller shows. */
  get waitMessage(): string {
    return `Waiting for a free SSH channel (the host allows ${this.max} at once; ${this.long} are held by consoles, transfers and event watchers).`;
  }

  private fits(lane: ChannelLane): boolean {
    if (this.active >= this.max) return false;
    return lane === 'short' || this.long < this.max - this.reservedShort;
  }

  private take(lane: ChannelLane): () => void {
    if (lane === 'long') this.long++;
    else this.short++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (lane === 'long') this.long--;
      else this.short--;
      this.wake();
    };
  }

  /** Hands freed slots to waiters in order, skipping long ones that would eat the reserve. */
  private wake(): void {
    for (let i = 0; i < this.waiting.length; ) {
      const w = this.waiting[i]!;
      if (this.drained || this.fits(w.lane)) {
        this.waiting.splice(i, 1);
        w.grant();
      } else i++;
    }
  }

  acquire(opts: AcquireOptions = {}): Promise<() => void> {
    const lane = opts.lane ?? 'short';
    if (opts.signal?.aborted) return Promise.reject(new AppError('cancelled', 'cancelled'));
    if (this.drained) return Promise.reject(new AppError('disconnected', 'the SSH connection is closed'));
    // Short commands never queue behind long-lived ones waiting for a slot they cannot have.
    const ahead = this.waiting.some((w) => lane === 'long' || w.lane === 'short');
    if (!ahead && this.fits(lane)) return Promise.resolve(this.take(lane));
    return new Promise<() => void>((resolve, reject) => {
      const finish = () => {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        opts.onWait?.(false);
      };
      const waiter: Waiter = {
        lane,
        grant: () => {
          finish();
          if (this.drained) reject(new AppError('disconnected', 'the SSH connection is closed'));
          else resolve(this.take(lane));
        },
      };
      const leave = (err: AppError) => {
        const at = this.waiting.indexOf(waiter);
        if (at < 0) return;
        this.waiting.splice(at, 1);
        finish();
        reject(err);
      };
      const onAbort = () => leave(new AppError('cancelled', 'cancelled while waiting for a free SSH channel'));
      const timeoutMs = opts.timeoutMs ?? ACQUIRE_TIMEOUT_MS;
      const timer = setTimeout(() => leave(new AppError('channel_refused', `${this.waitMessage} None became free within ${Math.round(timeoutMs / 1000)} s; close a console or a transfer, or raise MaxSessions in the host's sshd_config.`)), timeoutMs);
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
      opts.onWait?.(true);
    });
  }

  /** The connection is gone: every waiter fails at once, and nothing waits from now on. */
  drain(): void {
    this.drained = true;
    this.wake();
  }
}
