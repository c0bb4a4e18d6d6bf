/**
 * Collects items and hands them over together at most every `delayMs`. Used for the activity
 * log: one event per finished command flooded the renderer (a 1,000-VM host's address refresh
 * finishes ~500 domifaddr commands in a second, each its own event, React update and frame).
 */
export class Batcher<T> {
  private items: T[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly deliver: (items: T[]) => void,
    private readonly delayMs = 100,
  ) {}

  push(item: T): void {
    this.items.push(item);
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.delayMs);
      this.timer.unref?.(); // never the reason a process stays up
    }
  }

  /** Delivers what is waiting now (also at shutdown). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.items.length === 0) return;
    const items = this.items;
    this.items = [];
    this.deliver(items);
  }
}
