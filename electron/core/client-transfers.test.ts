import { describe, expect, it, vi } from 'vitest';
import { contentDisposition } from '../web/transfer-routes';
import { BrowserUploadSource, ClientTransfers, type UploadPeer } from './client-transfers';

const peer = () => {
  const log: string[] = [];
  const p: UploadPeer = { pause: () => log.push('pause'), resume: () => log.push('resume'), close: (ok, reason) => log.push(`close ${ok} ${reason}`) };
  return { p, log };
};
const collect = async (it: AsyncIterable<Buffer>) => {
  const out: Buffer[] = [];
  for await (const c of it) out.push(c);
  return Buffer.concat(out);
};

describe('browser uploads', () => {
  it('yields exactly the bytes sent, pausing the socket while too much is queued', async () => {
    const src = new BrowserUploadSource(12 * 1024 * 1024);
    const { p, log } = peer();
    const input = src.attach(p);
    const chunk = Buffer.alloc(1024 * 1024, 7);
    for (let i = 0; i < 12; i++) input.data(chunk);
    input.end();
    expect(log).toEqual(['pause']);
    const data = await collect(src.chunks(new AbortController().signal));
    expect(data.length).toBe(12 * 1024 * 1024);
    expect(log).toEqual(['pause', 'resume']);
  });

  it('a short or long file, a closed socket and an abort fail the upload instead of completing it', async () => {
    const short = new BrowserUploadSource(10);
    const a = short.attach(peer().p);
    a.data(Buffer.from('12345'));
    a.end();
    await expect(collect(short.chunks(new AbortController().signal))).rejects.toMatchObject({ message: 'the browser sent 5 of 10 bytes' });

    const long = new BrowserUploadSource(3);
    long.attach(peer().p).data(Buffer.from('1234'));
    await expect(collect(long.chunks(new AbortController().signal))).rejects.toMatchObject({ code: 'invalid_args' });

    const gone = new BrowserUploadSource(10);
    const g = gone.attach(peer().p);
    g.data(Buffer.from('12345'));
    const pending = collect(gone.chunks(new AbortController().signal));
    g.closed();
    await expect(pending).rejects.toMatchObject({ code: 'cancelled' });

    const ac = new AbortController();
    const aborted = collect(new BrowserUploadSource(10).chunks(ac.signal));
    ac.abort();
    await expect(aborted).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('tickets are single use and of their own kind', () => {
    const tr = new ClientTransfers();
    const up = tr.offerUpload(() => ({ data() {}, end() {}, closed() {} }), () => {});
    const down = tr.offerDownload(() => {});
    expect(tr.claimDownload(up)).toBeUndefined();
    expect(tr.claimUpload(down)).toBeUndefined();
    expect(tr.claimDownload(down)).toBeTypeOf('function');
    expect(tr.claimDownload(down)).toBeUndefined();
    expect(tr.claimUpload(null)).toBeUndefined();
  });

  it('a claim of the wrong kind leaves the upload claimable, so the browser can still send its file', () => {
    const tr = new ClientTransfers();
    const up = tr.offerUpload(() => ({ data() {}, end() {}, closed() {} }), () => {});
    expect(tr.claimDownload(up)).toBeUndefined();
    expect(tr.claimUpload(up)).toBeTypeOf('function');
    expect(tr.claimUpload(up)).toBeUndefined();
  });

  it('an upload whose ticket met a wrong-kind claim still expires and cancels (never left running)', () => {
    vi.useFakeTimers();
    try {
      const tr = new ClientTransfers(1000);
      let expired = 0;
      const up = tr.offerUpload(() => ({ data() {}, end() {}, closed() {} }), () => expired++);
      expect(tr.claimDownload(up)).toBeUndefined();
      vi.advanceTimersByTime(1001);
      expect(expired).toBe(1);
      expect(tr.claimUpload(up)).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it('download names survive any characters (RFC 6266)', () => {
    expect(contentDisposition('disk 1.qcow2')).toBe(`attachment; filename="disk 1.qcow2"; filename*=UTF-8''disk%201.qcow2`);
    expect(contentDisposition(`it's "q" 日本.img`)).toBe(`attachment; filename="it's _q_ __.img"; filename*=UTF-8''it's%20%22q%22%20%E6%97%A5%E6%9C%AC.img`);
  });
});
