/**
 * The browser half of `npm run bench:console`: the same noVNC 1.7 RFB client, fed either by
 * Virtdeck's console channel (RfbChannelAdapter over /api/console, as the app does) or by a
 * websockify URL. Frame updates are counted where noVNC completes one (Display.flip).
 */
/// <reference path="../renderer/src/features/consoles/novnc.d.ts" />
import RFB from '@novnc/novnc';
import { RfbChannelAdapter } from '../renderer/src/features/consoles/rfb-channel';

interface Hooked {
  rfb: RFB;
  flips: number[];
  bytes: number;
  arrivals: number[];
}
let current: Hooked | null = null;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function open(target: { ticket?: string; url?: string }): Promise<{ width: number; height: number }> {
  close();
  const div = document.getElementById('screen')!;
  const rfb = new RFB(div, target.ticket ? new RfbChannelAdapter(target.ticket) : target.url!, { shared: true });
  const hooked: Hooked = { rfb, flips: [], bytes: 0, arrivals: [] };
  current = hooked;
  await new Promise<void>((resolve, reject) => {
    rfb.addEventListener('connect', () => resolve());
    rfb.addEventListener('disconnect', () => reject(new Error('disconnected before connect')));
    setTimeout(() => reject(new Error('connect timeout')), 20_000);
  });
  // noVNC's internal display: flip() runs once per complete FramebufferUpdate.
  const display = (rfb as unknown as { _display: { flip: (q?: boolean) => void; width: number; height: number } })._display;
  const flip = display.flip.bind(display);
  display.flip = (q?: boolean) => {
    flip(q);
    hooked.flips.push(performance.now());
  };
  // Bytes received, counted on the channel noVNC reads (a WebSocket or Virtdeck's adapter).
  const sock = (rfb as unknown as { _sock: { _websocket: { onmessage: (e: { data: ArrayBuffer }) => void } } })._sock._websocket;
  const onmessage = sock.onmessage;
  sock.onmessage = (e) => {
    hooked.bytes += e.data.byteLength;
    hooked.arrivals.push(performance.now());
    onmessage(e);
  };
  return { width: display.width, height: display.height };
}

async function fps(ms: number): Promise<{ fps: number; kbps: number; turnaroundMs: number }> {
  const h = current!;
  await sleep(500); // warm-up
  const start = performance.now();
  const before = h.flips.length;
  const bytes = h.bytes;
  await sleep(ms);
  const secs = (performance.now() - start) / 1000;
  // Turnaround: a completed update (noVNC asks for the next one) → the next bytes to arrive.
  const gaps: number[] = [];
  let j = 0;
  for (const f of h.flips.slice(before)) {
    while (j < h.arrivals.length && h.arrivals[j]! <= f) j++;
    if (j < h.arrivals.length) gaps.push(h.arrivals[j]! - f);
  }
  gaps.sort((a, b) => a - b);
  return { fps: (h.flips.length - before) / secs, kbps: (h.bytes - bytes) / 1024 / secs, turnaroundMs: gaps[gaps.length >> 1] ?? NaN };
}

/** Key press+release sent → first completed update after it (the idle screen changes only by the echo). */
async function latency(samples: number): Promise<number[]> {
  const h = current!;
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    // Quiet period: nothing else may be in flight when the key goes out.
    let last = h.flips.length;
    for (let quiet = 0; quiet < 3; ) {
      await sleep(40);
      if (h.flips.length === last) quiet++;
      else {
        last = h.flips.length;
        quiet = 0;
      }
    }
    const keysym = i % 2 === 0 ? 0x78 /* x */ : 0xff08; /* BackSpace */
    const code = i % 2 === 0 ? 'KeyX' : 'Backspace';
    const n = h.flips.length;
    const t0 = performance.now();
    h.rfb.sendKey(keysym, code, true);
    h.rfb.sendKey(keysym, code, false);
    const deadline = t0 + 5000;
    while (h.flips.length === n && performance.now() < deadline) await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    if (h.flips.length > n) out.push(h.flips[n]! - t0);
  }
  return out;
}

function close(): void {
  current?.rfb.disconnect();
  current = null;
}

Object.assign(window, { bench: { open, fps, latency, close } });
document.title = 'ready';
