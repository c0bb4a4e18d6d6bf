/**
 * The binary path between a console on the host (a VNC tunnel, a `virsh console` pty) and the
 * renderer. Transport adapters (browser mode's WebSocket, the desktop app's MessagePort) only
 * move frames; flow control both ways lives here, once.
 */
import type { Readable, Writable } from 'node:stream';
import { ChannelFromClient, type ChannelFromServer, type ClosedReason } from '../../shared/model/console';
import { CreditWindow, HIGH_WATER, LOW_WATER, MAX_CHUNK, chunksOf } from './flow-control';

/** What a transport adapter offers: binary frames are console bytes, control frames are small objects. */
export interface ChannelPeer {
  sendData(chunk: Uint8Array): void;
  sendControl(msg: ChannelFromServer): void;
  /** Stop / restart reading the renderer's input (the host side is not keeping up). */
  pauseInput(): void;
  resumeInput(): void;
  close(): void;
}

/** What the adapter calls with what the renderer sent. */
export interface ChannelInput {
  data(chunk: Uint8Array): void;
  /** Unvalidated control frame (already JSON-decoded); malformed ones are ignored. */
  control(raw: unknown): void;
  /** The renderer side went away (socket closed, port closed). */
  closed(): void;
}

/** The host side of a console: bytes from the guest, and where input goes. */
export interface ConsoleLink {
  readonly output: Readable;
  readonly input: Writable;
}

/**
 * Pumps one console link to at most one peer at a time. Output read before a peer attaches
 * (or while the renderer lags) counts against the credit window, so the link is paused rather
 * than buffered without bound. `detach` lets the same link be attached again (a reloaded page).
 */
export interface PumpLimits {
  high: number;
  low: number;
  maxChunk: number;
}

/** Serial consoles: Tabby's numbers (a guest can print without end). */
export const SERIAL_LIMITS: PumpLimits = { high: HIGH_WATER, low: LOW_WATER, maxChunk: MAX_CHUNK };
/**
 * VNC: RFB is already request-driven (QEMU sends an update only when noVNC asks for the next),
 * so the window only guards memory; it must hold a few full-screen updates, or the ack round
 * trips would throttle the frame rate.
 */
export const VNC_LIMITS: PumpLimits = { high: 8 * 1024 * 1024, low: 2 * 1024 * 1024, maxChunk: 1024 * 1024 };

export class ChannelPump {
  private readonly window: CreditWindow;
  private peer?: ChannelPeer;
  private readonly pending: Uint8Array[] = [];
  /**
   * Output read in this turn of the event loop, sent as one frame at its end: an SSH channel
   * delivers a VNC update in ~32 KB packets, and every frame costs the renderer a message event
   * and noVNC a decode attempt. Coalescing costs no latency (setImmediate runs right after I/O).
   */
  private batch: Uint8Array[] = [];
  private batchBytes = 0;
  private flushQueued = false;
  private ended = false;
  /** Bytes that went to the renderer in total (tests and the bench read it). */
  sentBytes = 0;

  constructor(
    private readonly link: ConsoleLink,
    private readonly limits: PumpLimits = SERIAL_LIMITS,
  ) {
    this.window = new CreditWindow(limits.high, limits.low);
    link.output.on('data', (b: Buffer) => this.onOutput(b));
    link.input.on('drain', () => this.peer?.resumeInput());
  }

  get inFlight(): number {
    return this.window.inFlight;
  }

  attach(peer: ChannelPeer): ChannelInput {
    this.peer?.close();
    this.peer = peer;
    peer.sendControl({ t: 'open' });
    // A new renderer has seen nothing: what the old one never acked is not owed by this one.
    this.window.acked(this.window.inFlight);
    for (const chunk of this.pending.splice(0)) this.send(chunk);
    if (!this.window.paused) this.link.output.resume();
    const mine = () => this.peer === peer;
    return {
      data: (chunk) => {
        if (!mine() || this.ended) return;
        if (!this.link.input.write(chunk)) peer.pauseInput();
      },
      control: (raw) => {
        const msg = ChannelFromClient.safeParse(raw);
        if (!msg.success || !mine()) return;
        if (msg.data.t === 'ack' && this.window.acked(msg.data.bytes)) this.link.output.resume();
      },
      closed: () => {
        if (mine()) this.peer = undefined;
      },
    };
  }

  /** Tells the renderer why the console ended and closes its channel. */
  end(reason: ClosedReason, message?: string): void {
    if (this.ended) return;
    this.flush(); // the last words of a detaching `virsh console`
    this.ended = true;
    const peer = this.peer;
    this.peer = undefined;
    peer?.sendControl(message === undefined ? { t: 'closed', reason } : { t: 'closed', reason, message });
    peer?.close();
    this.pending.length = 0;
  }

  private onOutput(buf: Buffer): void {
    if (this.ended) return;
    const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    if (!this.peer) {
      for (const chunk of chunksOf(bytes, this.limits.maxChunk)) {
        this.pending.push(chunk);
        if (this.window.sent(chunk.length)) this.link.output.pause();
      }
      return;
    }
    this.batch.push(bytes);
    this.batchBytes += bytes.length;
    if (this.window.sent(bytes.length)) this.link.output.pause();
    if (this.batchBytes >= this.limits.maxChunk) this.flush();
    else if (!this.flushQueued) {
      this.flushQueued = true;
      setImmediate(() => {
        this.flushQueued = false;
        this.flush();
      });
    }
  }

  /** Sends the coalesced output (already counted in the window) as one frame, or keeps it for the next peer. */
  private flush(): void {
    if (this.batch.length === 0 || this.ended) return;
    const parts = this.batch;
    const size = this.batchBytes;
    this.batch = [];
    this.batchBytes = 0;
    if (!this.peer) {
      this.pending.push(...parts);
      return;
    }
    // One copy into a fresh buffer: it becomes the frame (ws sends it without another copy).
    const data = parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
    for (const chunk of chunksOf(data, this.limits.maxChunk)) {
      this.peer.sendData(chunk);
      this.sentBytes += chunk.length;
    }
  }

  private send(chunk: Uint8Array): void {
    this.peer!.sendData(chunk);
    this.sentBytes += chunk.length;
    if (this.window.sent(chunk.length)) this.link.output.pause();
  }
}
