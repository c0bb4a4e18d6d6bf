/** A stand-in for the renderer end of a console byte channel (integration tests, the bench). */
import type { ChannelFromServer } from '../../shared/model/console';
import type { ChannelInput, ChannelPeer } from './byte-channel';

export class TestPeer implements ChannelPeer {
  readonly chunks: Buffer[] = [];
  readonly controls: ChannelFromServer[] = [];
  received = 0;
  closedNow = false;
  input!: ChannelInput;
  /** When false, the test acks by hand (a slow renderer). */
  autoAck = true;
  private waiters: Array<() => void> = [];

  sendData(chunk: Uint8Array): void {
    this.chunks.push(Buffer.from(chunk));
    this.received += chunk.length;
    // Deferred like a real renderer's ack (and `input` is not set yet while attach() flushes).
    if (this.autoAck) queueMicrotask(() => this.input.control({ t: 'ack', bytes: chunk.length }));
    for (const w of this.waiters.splice(0)) w();
  }
  sendControl(msg: ChannelFromServer): void {
    this.controls.push(msg);
    for (const w of this.waiters.splice(0)) w();
  }
  pauseInput(): void {}
  resumeInput(): void {}
  close(): void {
    this.closedNow = true;
    for (const w of this.waiters.splice(0)) w();
  }

  /** Everything received so far as text (CRs removed). */
  text(): string {
    return Buffer.concat(this.chunks).toString('latin1').replace(/\r/g, '');
  }

  type(s: string): void {
    this.input.data(Buffer.from(s));
  }

  async until(pred: () => boolean, timeoutMs = 20_000, what = 'condition'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pred()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last output: ${JSON.stringify(this.text().slice(-300))}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 200);
      });
    }
  }
}
