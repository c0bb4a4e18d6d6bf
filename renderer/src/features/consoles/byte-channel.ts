/**
 * The renderer end of a console's byte channel: a WebSocket at /api/console (browser mode) or a
 * MessagePort from the desktop app's main process. Binary = console bytes; small JSON/objects =
 * control. What the console consumed is acknowledged in batches, which is what lets the backend
 * pause a flooding guest instead of queueing without bound.
 */
import { ChannelFromServer, type ClosedReason } from '../../../../shared/model/console';
import type { ConsoleBridge } from '../../../../shared/console-bridge';

declare global {
  interface Window {
    /** Desktop preload only (electron/desktop/console-preload.ts). */
    virtdeckConsoles?: ConsoleBridge;
  }
}

export interface ChannelHandlers {
  open(): void;
  data(bytes: Uint8Array): void;
  closed(reason: ClosedReason, message?: string): void;
}

export interface ByteChannel {
  send(bytes: Uint8Array): void;
  /** Bytes the console has finished with (xterm's write callback, noVNC's message handler). */
  consumed(bytes: number): void;
  close(): void;
}

/** Acks at most every ACK_BYTES or ACK_MS, whichever comes first. */
const ACK_BYTES = 32 * 1024;
const ACK_MS = 15;

export class AckBatcher {
  private pending = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  constructor(private readonly flush: (bytes: number) => void) {}
  add(bytes: number): void {
    this.pending += bytes;
    if (this.pending >= ACK_BYTES) return this.now();
    this.timer ??= setTimeout(() => this.now(), ACK_MS);
  }
  now(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending > 0) this.flush(this.pending);
    this.pending = 0;
  }
  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}

function controlFrom(raw: unknown): ChannelFromServer | undefined {
  const parsed = ChannelFromServer.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

export function openByteChannel(ticket: string, h: ChannelHandlers): ByteChannel {
  return window.virtdeckConsoles ? openPortChannel(window.virtdeckConsoles, ticket, h) : openSocketChannel(ticket, h);
}

function openSocketChannel(ticket: string, h: ChannelHandlers): ByteChannel {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  // The session cookie authenticates the upgrade; the ticket names the console, once.
  const ws = new WebSocket(`${scheme}://${location.host}/api/console?ticket=${encodeURIComponent(ticket)}`);
  ws.binaryType = 'arraybuffer';
  let closedWith: { reason: ClosedReason; message?: string } | undefined;
  const acks = new AckBatcher((bytes) => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify({ t: 'ack', bytes })));
  ws.onmessage = (e: MessageEvent) => {
    if (e.data instanceof ArrayBuffer) return h.data(new Uint8Array(e.data));
    const msg = typeof e.data === 'string' ? controlFrom(safeJson(e.data)) : undefined;
    if (msg?.t === 'open') h.open();
    else if (msg?.t === 'closed') closedWith = msg.message === undefined ? { reason: msg.reason } : { reason: msg.reason, message: msg.message };
  };
  ws.onclose = (e: CloseEvent) => {
    acks.stop();
    if (closedWith) h.closed(closedWith.reason, closedWith.message);
    else h.closed(e.code === 1000 ? 'closed' : 'error', e.reason || `connection closed (${e.code})`);
  };
  return {
    send: (bytes) => ws.readyState === WebSocket.OPEN && ws.send(bytes),
    consumed: (bytes) => acks.add(bytes),
    close: () => {
      acks.stop();
      ws.close(1000);
    },
  };
}

function openPortChannel(bridge: ConsoleBridge, ticket: string, h: ChannelHandlers): ByteChannel {
  let port: MessagePort | null = null;
  let done = false;
  const acks = new AckBatcher((bytes) => port?.postMessage({ t: 'ack', bytes }));
  const finish = (reason: ClosedReason, message?: string) => {
    if (done) return;
    done = true;
    acks.stop();
    port?.close();
    h.closed(reason, message);
  };
  const onWindowMessage = (e: MessageEvent) => {
    const d = e.data as { virtdeckConsolePort?: unknown } | null;
    if (e.source !== window || d?.virtdeckConsolePort !== ticket || !e.ports[0]) return;
    window.removeEventListener('message', onWindowMessage);
    port = e.ports[0];
    port.onmessage = (m: MessageEvent) => {
      if (m.data instanceof Uint8Array) return h.data(m.data);
      if (m.data instanceof ArrayBuffer) return h.data(new Uint8Array(m.data));
      const msg = controlFrom(m.data);
      if (msg?.t === 'open') h.open();
      else if (msg?.t === 'closed') finish(msg.reason, msg.message);
    };
    port.start();
  };
  window.addEventListener('message', onWindowMessage);
  bridge.requestPort(ticket);
  return {
    send: (bytes) => port?.postMessage(bytes),
    consumed: (bytes) => acks.add(bytes),
    close: () => {
      window.removeEventListener('message', onWindowMessage);
      finish('closed');
    },
  };
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}
