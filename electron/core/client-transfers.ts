/**
 * Browser mode's transfers. There the browser is "this computer": an upload's bytes come from
 * the browser's file input over a WebSocket (/api/upload?ticket=…) and a download is an ordinary
 * browser download (GET /api/download?ticket=…). A request hands out a one-time ticket that the
 * web server claims; unclaimed tickets expire. Nothing here knows about ws or http: the web
 * adapter (electron/web/transfer-routes.ts) plugs its socket or response in.
 */
import { randomBytes } from 'node:crypto';
import type { Writable } from 'node:stream';
import { AppError } from '../../shared/errors';

const TICKET_TTL_MS = 60_000;
/** Browser chunks queued beyond this pause the socket (TCP then pushes back on the browser). */
const HIGH_WATER = 8 * 1024 * 1024;
const LOW_WATER = 2 * 1024 * 1024;

/** The socket side of an upload, as the web adapter offers it. */
export interface UploadPeer {
  pause(): void;
  resume(): void;
  /** The transfer ended: `ok` false closes with an error reason the browser can show. */
  close(ok: boolean, reason: string): void;
}

/** What the web adapter feeds into an upload. */
export interface UploadInput {
  data(chunk: Buffer): void;
  /** The browser sent its last chunk. */
  end(): void;
  /** The socket closed (before or after end). */
  closed(): void;
}

/** The response side of a download. `writable` gets the bytes; `fail` breaks the response so the browser marks the download failed. */
export interface DownloadResponse {
  start(fileName: string): Writable;
  fail(): void;
}

type Offer =
  | { kind: 'upload'; connect: (peer: UploadPeer) => UploadInput; expire: () => void; timer: NodeJS.Timeout }
  | { kind: 'download'; serve: (res: DownloadResponse) => void; expire: () => void; timer: NodeJS.Timeout };

export class ClientTransfers {
  private readonly offers = new Map<string, Offer>();

  /** `ticketTtlMs`: how long an unclaimed ticket lives (tests shorten it to see expiry). */
  constructor(private readonly ticketTtlMs = TICKET_TTL_MS) {}

  offerUpload(connect: (peer: UploadPeer) => UploadInput, expire: () => void): string {
    return this.offer((timer) => ({ kind: 'upload', connect, expire, timer }));
  }

  offerDownload(serve: (res: DownloadResponse) => void, expire: () => void = () => {}): string {
    return this.offer((timer) => ({ kind: 'download', serve, expire, timer }));
  }

  /**
   * One-time: a second claim of the same ticket gets undefined. A claim of the wrong kind gets
   * undefined too and leaves the ticket alone: burning it would leave its upload waiting for a
   * socket that can never come, never expiring and never cancelled.
   */
  claimUpload(ticket: string | null): ((peer: UploadPeer) => UploadInput) | undefined {
    const o = this.take(ticket, 'upload');
    return o?.kind === 'upload' ? o.connect : undefined;
  }

  claimDownload(ticket: string | null): ((res: DownloadResponse) => void) | undefined {
    const o = this.take(ticket, 'download');
    return o?.kind === 'download' ? o.serve : undefined;
  }

  private offer(make: (timer: NodeJS.Timeout) => Offer): string {
    const ticket = randomBytes(18).toString('base64url');
    const timer = setTimeout(() => {
      const o = this.offers.get(ticket);
      this.offers.delete(ticket);
      o?.expire();
    }, this.ticketTtlMs);
    timer.unref();
    this.offers.set(ticket, make(timer));
    return ticket;
  }

  private take(ticket: string | null, kind: Offer['kind']): Offer | undefined {
    if (!ticket) return undefined;
    const o = this.offers.get(ticket);
    if (o?.kind !== kind) return undefined;
    this.offers.delete(ticket);
    clearTimeout(o.timer);
    return o;
  }
}

/**
 * The bytes of a browser upload as an async iterable for the transfer manager: chunks queue
 * while virsh is slower than the browser, and the socket is paused above HIGH_WATER. Exactly
 * `size` bytes must arrive, or the upload fails (so a truncated file never passes for complete).
 */
export class BrowserUploadSource {
  private readonly queue: Buffer[] = [];
  private queued = 0;
  private received = 0;
  private ended = false;
  private error?: AppError;
  private wake?: () => void;
  private peer?: UploadPeer;
  private paused = false;

  constructor(private readonly size: number) {}

  /** The socket arrived (its ticket was claimed). */
  attach(peer: UploadPeer): UploadInput {
    this.peer = peer;
    return {
      data: (chunk) => {
        if (this.ended || this.error) return;
        this.received += chunk.length;
        if (this.received > this.size) return this.fail(new AppError('invalid_args', `the browser sent more than the file's ${this.size} bytes`));
        this.queue.push(chunk);
        this.queued += chunk.length;
        if (this.queued > HIGH_WATER && !this.paused) {
          this.paused = true;
          peer.pause();
        }
        this.notify();
      },
      end: () => {
        if (this.received !== this.size) return this.fail(new AppError('invalid_args', `the browser sent ${this.received} of ${this.size} bytes`));
        this.ended = true;
        this.notify();
      },
      closed: () => {
        if (!this.ended) this.fail(new AppError('cancelled', 'the browser stopped sending the file'));
      },
    };
  }

  fail(e: AppError): void {
    this.error ??= e;
    this.notify();
  }

  /** The transfer reached its final state: the browser is told and the socket closed. */
  finished(ok: boolean, reason: string): void {
    this.fail(new AppError('cancelled', reason));
    this.peer?.close(ok, reason);
  }

  async *chunks(signal: AbortSignal): AsyncGenerator<Buffer> {
    const onAbort = () => this.fail(new AppError('cancelled', 'cancelled'));
    signal.addEventListener('abort', onAbort);
    try {
      for (;;) {
        if (this.error) throw this.error;
        const chunk = this.queue.shift();
        if (chunk) {
          this.queued -= chunk.length;
          if (this.paused && this.queued < LOW_WATER) {
            this.paused = false;
            this.peer?.resume();
          }
          yield chunk;
          continue;
        }
        if (this.ended) return;
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }
}
