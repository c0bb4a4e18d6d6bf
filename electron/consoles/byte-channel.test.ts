import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ChannelPump, type PumpLimits } from './byte-channel';
import { TestPeer } from './test-peer';

const LIMITS: PumpLimits = { high: 1000, low: 200, maxChunk: 300 };
const tick = () => new Promise((r) => setImmediate(r));

function setup() {
  const output = new PassThrough({ highWaterMark: 64 });
  const input = new PassThrough();
  const pump = new ChannelPump({ output, input }, LIMITS);
  return { output, input, pump };
}

describe('console byte channel (flow control between the host and the renderer)', () => {
  it('sends output in chunks of at most maxChunk and stops reading at the high-water mark until acked', async () => {
    const { output, pump } = setup();
    const peer = new TestPeer();
    peer.autoAck = false;
    peer.input = pump.attach(peer);
    output.write(Buffer.alloc(700, 1));
    await tick();
    expect(peer.chunks.map((c) => c.length)).toEqual([300, 300, 100]);
    output.write(Buffer.alloc(700, 2));
    await tick();
    expect(output.isPaused()).toBe(true);
    expect(pump.inFlight).toBeGreaterThanOrEqual(1000);
    const before = peer.received;
    output.write(Buffer.alloc(500, 3));
    await tick();
    expect(peer.received).toBe(before); // paused: the rest waits in the (bounded) stream
    peer.input.control({ t: 'ack', bytes: peer.received - 100 });
    await tick();
    expect(output.isPaused()).toBe(false);
    expect(peer.received).toBe(1900);
  });

  it('coalesces output read in one turn of the event loop into one frame', async () => {
    const { output, pump } = setup();
    const peer = new TestPeer();
    peer.input = pump.attach(peer);
    for (const part of ['RFB ', '003', '.008\n']) output.write(Buffer.from(part));
    await tick();
    await tick();
    expect(peer.chunks.map((c) => c.toString())).toEqual(['RFB 003.008\n']);
  });

  it('holds output until a renderer attaches, bounded by the same window', async () => {
    const { output, pump } = setup();
    output.write(Buffer.from('banner'));
    await tick();
    const peer = new TestPeer();
    peer.input = pump.attach(peer);
    expect(peer.controls[0]).toEqual({ t: 'open' });
    expect(peer.text()).toBe('banner');
  });

  it('passes input through and ignores malformed control frames', async () => {
    const { input, pump } = setup();
    const peer = new TestPeer();
    peer.input = pump.attach(peer);
    const got: Buffer[] = [];
    input.on('data', (b: Buffer) => got.push(b));
    peer.type('ls\r');
    peer.input.control({ t: 'ack', bytes: -5 });
    peer.input.control('nonsense');
    await tick();
    expect(Buffer.concat(got).toString()).toBe('ls\r');
  });

  it('tells the renderer why it ended, once, and closes its channel', () => {
    const { pump } = setup();
    const peer = new TestPeer();
    peer.input = pump.attach(peer);
    pump.end('vm-stopped');
    pump.end('closed');
    expect(peer.controls.slice(1)).toEqual([{ t: 'closed', reason: 'vm-stopped' }]);
    expect(peer.closedNow).toBe(true);
  });
});
