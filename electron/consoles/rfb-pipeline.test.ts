import { describe, expect, it } from 'vitest';
import { RfbRequestPipeline, viewerMessageLength } from './rfb-pipeline';

const fbur = (incremental: number) => Uint8Array.from([3, incremental, 0, 0, 0, 0, 2, 208, 1, 144]); // 720×400
const key = (down: number) => Uint8Array.from([4, down, 0, 0, 0, 0, 0, 0x78]);

function setup() {
  const sent: Buffer[] = [];
  const p = new RfbRequestPipeline((b) => sent.push(b));
  return { p, sent };
}

describe('RFB request pipelining (one update request kept queued at the server)', () => {
  it('ignores the handshake, then repeats the viewer request as incremental once per request', () => {
    const { p, sent } = setup();
    for (const f of [Buffer.from('RFB 003.008\n'), Uint8Array.from([2]), new Uint8Array(16), Uint8Array.from([1])]) p.fromViewer(f);
    p.fromServer();
    expect(sent).toHaveLength(0); // nothing before the first request
    p.fromViewer(new Uint8Array(20)); // SetPixelFormat is not the sync point
    p.fromViewer(fbur(0));
    p.fromServer();
    p.fromServer(); // more bytes of the same update: no second request
    expect(sent.map((b) => [...b])).toEqual([[...fbur(1)]]);
    p.fromViewer(key(1));
    p.fromServer();
    expect(sent).toHaveLength(1);
    p.fromViewer(fbur(1));
    p.fromServer();
    expect(sent).toHaveLength(2);
  });

  it('waits while a long viewer message is split across frames', () => {
    const { p, sent } = setup();
    p.fromViewer(fbur(0));
    const cut = new Uint8Array(8 + 5000);
    cut.set([6, 0, 0, 0, 0, 0, 0x13, 0x88]);
    p.fromViewer(cut.subarray(0, 3000));
    p.fromServer();
    expect(sent).toHaveLength(0); // mid-message: injecting would corrupt the stream
    p.fromViewer(cut.subarray(3000));
    p.fromServer();
    expect(sent).toHaveLength(1);
  });

  it('turns itself off on a message it does not know', () => {
    const { p, sent } = setup();
    p.fromViewer(fbur(0));
    p.fromViewer(Uint8Array.from([77, 1, 2]));
    p.fromViewer(fbur(1));
    p.fromServer();
    expect(sent).toHaveLength(0);
  });

  it('knows the lengths of the messages noVNC sends to QEMU', () => {
    expect(viewerMessageLength(Uint8Array.from([2, 0, 0, 3]), 0)).toBe(16);
    expect(viewerMessageLength(Uint8Array.from([5, 0x81, 0, 0, 0, 0, 0]), 0)).toBe(7);
    expect(viewerMessageLength(Uint8Array.from([5, 0x01, 0, 0, 0, 0]), 0)).toBe(6);
    expect(viewerMessageLength(Uint8Array.from([6, 0, 0, 0, 0xff, 0xff, 0xff, 0xf0]), 0)).toBe(24); // extended clipboard
    expect(viewerMessageLength(Uint8Array.from([255, 0, 0, 1]), 0)).toBe(12);
    expect(viewerMessageLength(Uint8Array.from([251, 0, 0, 0, 0, 0, 1, 0]), 0)).toBe(24);
  });
});
