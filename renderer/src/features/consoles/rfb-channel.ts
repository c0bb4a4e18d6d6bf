/**
 * A WebSocket look-alike that noVNC's RFB accepts as its channel. RFB checks `send`, `close`,
 * `binaryType`, `onerror`, `onmessage`, `onopen`, `protocol` and `readyState` as OWN fields or
 * methods of the object's direct class (inherited ones are rejected), and also uses `onclose`;
 * so they are all declared right here as class fields.
 */
import type { RfbChannel } from '@novnc/novnc';
import type { ClosedReason } from '../../../../shared/model/console';
import { openByteChannel, type ByteChannel } from './byte-channel';

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

export class RfbChannelAdapter implements RfbChannel {
  binaryType = 'arraybuffer';
  protocol = '';
  readyState: number = CONNECTING;
  onopen: ((e: Event) => void) | null = null;
  onmessage: ((e: { data: ArrayBuffer }) => void) | null = null;
  onerror: ((e: Event) => void) | null = null;
  onclose: ((e: { code: number; reason: string; wasClean: boolean }) => void) | null = null;
  /** Why the backend ended it (vm-stopped → wait for the restart event). */
  closedReason: ClosedReason | null = null;
  closedMessage: string | undefined = undefined;
  private readonly channel: ByteChannel;

  constructor(ticket: string) {
    this.channel = openByteChannel(ticket, {
      open: () => {
        this.readyState = OPEN;
        this.onopen?.(new Event('open'));
      },
      data: (bytes) => {
        // noVNC decodes synchronously from an ArrayBuffer it may keep: give it its own copy.
        const copy = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? (bytes.buffer as ArrayBuffer) : bytes.slice().buffer;
        this.onmessage?.({ data: copy });
        this.channel.consumed(bytes.byteLength);
      },
      closed: (reason, message) => {
        this.closedReason = reason;
        this.closedMessage = message;
        this.readyState = CLOSED;
        this.onclose?.({ code: reason === 'closed' ? 1000 : 1006, reason: message ?? reason, wasClean: reason === 'closed' });
      },
    });
  }

  send = (data: Uint8Array): void => {
    // noVNC passes a view of its reusable send buffer: both transports copy synchronously.
    if (this.readyState === OPEN) this.channel.send(data);
  };

  close = (): void => {
    if (this.readyState === CLOSED || this.readyState === CLOSING) return;
    this.readyState = CLOSING;
    this.channel.close();
  };
}
