/**
 * Tabby-style output flow control for consoles: data goes to the renderer in chunks of at most
 * MAX_CHUNK bytes; once HIGH bytes are unacknowledged the source is paused, and it resumes when
 * the renderer's acks (sent after xterm's write callback / noVNC's message handler) bring the
 * backlog under LOW. A guest flooding its console then waits instead of filling memory.
 */
export const MAX_CHUNK = 100 * 1024;
export const HIGH_WATER = 512 * 1024;
export const LOW_WATER = 128 * 1024;

export class CreditWindow {
  private unacked = 0;
  private pausedNow = false;

  constructor(
    readonly high = HIGH_WATER,
    readonly low = LOW_WATER,
  ) {}

  get inFlight(): number {
    return this.unacked;
  }

  get paused(): boolean {
    return this.pausedNow;
  }

  /** Records bytes sent; true when the source must pause now. */
  sent(bytes: number): boolean {
    this.unacked += bytes;
    if (!this.pausedNow && this.unacked >= this.high) {
      this.pausedNow = true;
      return true;
    }
    return false;
  }

  /** Records bytes the renderer consumed; true when the source may resume now. */
  acked(bytes: number): boolean {
    // A confused or hostile client cannot ack more than it was sent and open the window wider.
    this.unacked = Math.max(0, this.unacked - bytes);
    if (this.pausedNow && this.unacked <= this.low) {
      this.pausedNow = false;
      return true;
    }
    return false;
  }
}

/** Splits a buffer into views of at most `max` bytes (no copies). */
export function chunksOf(buf: Uint8Array, max = MAX_CHUNK): Uint8Array[] {
  if (buf.length <= max) return [buf];
  const out: Uint8Array[] = [];
  for (let i = 0; i < buf.length; i += max) out.push(buf.subarray(i, Math.min(buf.length, i + max)));
  return out;
}
