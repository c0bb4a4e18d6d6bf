/**
 * The SSH handshake's time limit, counting only time spent waiting for the server: it stops
 * while a prompt (host key, password) is open, because reading a fingerprint or typing a
 * password is not the server being slow. ssh2's own readyTimeout cannot pause, so it is off.
 */
export class HandshakeClock {
  private left: number;
  private timer: NodeJS.Timeout | undefined;
  private since = 0;
  private pauses = 0;
  private done = false;

  constructor(
    budgetMs: number,
    private readonly onExpire: () => void,
  ) {
    this.left = budgetMs;
  }

  start(): void {
    if (!this.done && this.pauses === 0 && !this.timer) this.arm();
  }

  /** A prompt opened; pauses nest (one per open prompt). */
  pause(): void {
    if (this.pauses++ > 0 || !this.timer) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.left -= Date.now() - this.since;
  }

  /** A prompt closed: the clock runs again once none is open. */
  resume(): void {
    if (this.pauses === 0) return;
    if (--this.pauses === 0 && !this.done) this.arm();
  }

  stop(): void {
    this.done = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    this.since = Date.now();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.done = true;
      this.onExpire();
    }, Math.max(0, this.left));
  }
}
