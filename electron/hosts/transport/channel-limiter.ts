/**
 * sshd allows MaxSessions (default 10) channels per connection. Virtdeck keeps a few
 * long-lived ones (virsh session, event stream, consoles) and opens short ones for data
 * commands, so it caps itself below that limit and queues the rest instead of being refused.
 */
export class ChannelLimiter {
  private inUse = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly max: number) {}

  get active(): number {
    return this.inUse;
  }

  async acquire(): Promise<() => void> {
    if (this.inUse >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.inUse++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next(); // hand the slot over directly
      else this.inUse--;
    };
  }

  /** Wakes every waiter so it can fail fast (connection gone). */
  drain(): void {
    this.inUse += this.waiting.length;
    for (const w of this.waiting.splice(0)) w();
  }
}
