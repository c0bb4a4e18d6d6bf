import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runStreaming } from './stream-exec';
import { LocalTransport } from './transport/local-transport';

const collect = () => {
  const chunks: Buffer[] = [];
  const w = new Writable({ write: (c: Buffer, _e, cb) => (chunks.push(c), cb()) });
  return { w, bytes: () => Buffer.concat(chunks) };
};

describe('streaming a program locally (what vol-upload / vol-download run through)', () => {
  const t = new LocalTransport();

  it('gives the program a real pipe it can open as /dev/stdin', async () => {
    const data = Buffer.alloc(3 * 1024 * 1024, 5);
    // wc opens /dev/stdin by name, as virsh does: on Node's socketpair that fails with ENXIO.
    const res = await runStreaming(t, ['wc', '-c', '/dev/stdin'], { stdin: Readable.from([data]) });
    expect(res).toEqual({ code: 0, stderr: '' });
  });

  it('streams a program writing /dev/stdout and keeps its exit status', async () => {
    const out = collect();
    const res = await runStreaming(t, ['dd', 'if=/dev/zero', 'of=/dev/stdout', 'bs=1024', 'count=512', 'status=none'], { stdout: out.w });
    expect(res.code).toBe(0);
    expect(out.bytes().length).toBe(512 * 1024);
    const failing = collect();
    expect((await runStreaming(t, ['sh', '-c', 'echo partial > /dev/stdout; echo boom >&2; exit 3'], { stdout: failing.w })).code).toBe(3);
    expect(failing.bytes().toString()).toBe('partial\n');
  });

  it('cancels: the program stops and the call rejects with "cancelled"', async () => {
    const ac = new AbortController();
    const out = collect();
    const run = runStreaming(t, ['cat', '/dev/zero'], { stdout: out.w, signal: ac.signal });
    await new Promise((r) => setTimeout(r, 100));
    ac.abort();
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('reports a failure of our own side (the local file) rather than its consequence', async () => {
    const broken = new Readable({ read() { this.destroy(Object.assign(new Error('disk read failed'), { code: 'EIO' })); } });
    await expect(runStreaming(t, ['cat', '/dev/stdin'], { stdin: broken })).rejects.toThrow('disk read failed');
  });
});
