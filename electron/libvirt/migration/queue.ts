/**
 * Migrations wait here until their source host has a free slot: each holds an exec channel
 * (virsh migrate) and relayed channels on the source's SSH connection, which sshd caps
 * (MaxSessions), so a multi-selection runs a few at a time, in the order it was started.
 */
export interface Runnable<T> {
  readonly id: string;
  run(): Promise<T>;
}

export class JobQueue<T> {
  private readonly waiting: Array<{ job: Runnable<T>; key: string }> = [];
  private readonly running = new Map<string, number>();

  constructor(
    private readonly perKey: number,
    private readonly onDone: (result: T) => void,
  ) {}

  push(job: Runnable<T>, key: string): void {
    this.waiting.push({ job, key });
    this.pump();
  }

  /** Takes a job out before it started; false when it runs already (or ran). */
  remove(id: string): boolean {
    const i = this.waiting.findIndex((w) => w.job.id === id);
    if (i < 0) return false;
    this.waiting.splice(i, 1);
    return true;
  }

  get queued(): string[] {
    return this.waiting.map((w) => w.job.id);
  }

  private pump(): void {
    for (const w of [...this.waiting]) {
      if ((this.running.get(w.key) ?? 0) >= this.perKey) continue;
      this.waiting.splice(this.waiting.indexOf(w), 1);
      this.running.set(w.key, (this.running.get(w.key) ?? 0) + 1);
      void w.job.run().then((result) => {
        this.running.set(w.key, (this.running.get(w.key) ?? 1) - 1);
        this.onDone(result);
        this.pump();
      });
    }
  }
}
