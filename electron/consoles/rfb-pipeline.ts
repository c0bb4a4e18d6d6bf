/**
 * Keeps the VM's VNC server one frame ahead of the viewer. RFB is request-driven: QEMU sends a
 * FramebufferUpdate only while a FramebufferUpdateRequest is pending, checked on its ~30 ms
 * refresh tick, and noVNC sends the next request only once it has decoded the previous update.
 * Through a tunnel that round trip (renderer → backend → SSH → QEMU) often misses a tick and
 * halves the frame rate. So when the server starts sending, the backend repeats the viewer's
 * last request (as incremental) right away: one request at most per request of the viewer,
 * so the viewer is never more than one update behind what it asked for, and memory stays bounded
 * by the channel's credit window. Everything else passes through untouched.
 *
 * Injecting needs the viewer's stream to be at a message boundary, so it is parsed (lengths
 * only) from the first FramebufferUpdateRequest on; anything not understood turns injecting off
 * for the connection. Message formats: https://github.com/rfbproto/rfbproto/blob/master/rfbproto.rst
 */
const FRAMEBUFFER_UPDATE_REQUEST = 3;

export class RfbRequestPipeline {
  /** The handshake is over: the viewer's first FramebufferUpdateRequest went by. */
  private synced = false;
  private off = false;
  /** Bytes still to come of a viewer message split across frames (a long clipboard text). */
  private remaining = 0;
  private request: Buffer | null = null;
  private viewerAsked = false;
  injected = 0;

  constructor(
    private readonly toServer: (bytes: Buffer) => void,
    enabled = true,
  ) {
    this.off = !enabled;
  }

  /** A frame the viewer sent (noVNC flushes whole messages; only a long one is split). */
  fromViewer(frame: Uint8Array): void {
    if (this.off) return;
    if (!this.synced) {
      // Handshake frames (version, security, auth, ClientInit) never look like this.
      if (frame.length !== 10 || frame[0] !== FRAMEBUFFER_UPDATE_REQUEST) return;
      this.synced = true;
    }
    let i = Math.min(this.remaining, frame.length);
    this.remaining -= i;
    while (i < frame.length) {
      const len = viewerMessageLength(frame, i);
      if (len === undefined) {
        this.off = true;
        return;
      }
      if (frame[i] === FRAMEBUFFER_UPDATE_REQUEST && i + len <= frame.length) {
        this.request = Buffer.from(frame.subarray(i, i + len));
        this.request[1] = 1; // incremental: only what changed
        this.viewerAsked = true;
      }
      if (i + len > frame.length) {
        this.remaining = i + len - frame.length;
        return;
      }
      i += len;
    }
  }

  /** The server sent bytes (an update has started): queue the viewer's next request now. */
  fromServer(): void {
    if (this.off || !this.viewerAsked || this.remaining > 0 || !this.request) return;
    this.viewerAsked = false;
    this.injected++;
    this.toServer(this.request);
  }
}

/** Length of the viewer→server message at `i`; undefined when unknown or its header is cut. */
export function viewerMessageLength(b: Uint8Array, i: number): number | undefined {
  const avail = b.length - i;
  const at = (o: number) => b[i + o]!;
  switch (at(0)) {
    case 0: // SetPixelFormat
      return 20;
    case 2: // SetEncodings: type, pad, u16 count, s32 each
      return avail >= 4 ? 4 + 4 * ((at(2) << 8) | at(3)) : undefined;
    case 3: // FramebufferUpdateRequest
      return 10;
    case 4: // KeyEvent
      return 8;
    case 5: // PointerEvent; with the marker bit, ExtendedMouseButtons' extra byte
      return avail >= 2 ? ((at(1) & 0x80) !== 0 ? 7 : 6) : undefined;
    case 6: // ClientCutText: type, 3 pad, s32 length (negative: extended clipboard)
      return avail >= 8 ? 8 + Math.abs((at(4) << 24) | (at(5) << 16) | (at(6) << 8) | at(7)) : undefined;
    case 150: // EnableContinuousUpdates
      return 10;
    case 248: // Fence: type, 3 pad, u32 flags, u8 length
      return avail >= 9 ? 9 + at(8) : undefined;
    case 250: // xvp
      return 4;
    case 251: // SetDesktopSize: type, pad, u16 w, u16 h, u8 screens, pad, 16 per screen
      return avail >= 8 ? 8 + 16 * at(6) : undefined;
    case 255: // QEMU: extended key event, audio
      if (avail < 4) return undefined;
      if (at(1) === 0) return 12;
      if (at(1) === 1) {
        const op = (at(2) << 8) | at(3);
        return op === 2 ? 10 : op <= 1 ? 4 : undefined;
      }
      return undefined;
    default:
      return undefined;
  }
}
