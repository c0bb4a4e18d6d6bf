// Browser mode's transfers end to end over the real web server and a real qemu+ssh host: a
// WebSocket client sends a file the way the renderer does, and a plain HTTP GET downloads it.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startHarness, type Harness, connectOverSsh } from '../../e2e/support/backend-harness';
import { testHost } from '../../e2e/support/test-host';
import { startWebServer, type WebServer } from './server';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('browser uploads and downloads through the web server (qemu+ssh)', () => {
  const th = testHost();
  let h: Harness;
  let web: WebServer;
  let id: string;
  let pool: string;
  let dir = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vd-sc-browser-'));
    h = await startHarness();
    h.answerPrompts(() => ({ accept: true }));
    id = await connectOverSsh(h, th);
    pool = (await h.call('storage.pools.define', { hostId: id, spec: { type: 'dir', name: 'vd-test-sc browser pool', targetPath: join(dir, 'pool') }, build: true, start: true })).uuid;
    web = await startWebServer(h.backend, { port: 0, rendererDir: dir });
  });
  afterAll(async () => {
    await web?.close();
    if (pool) {
      await h.call('storage.pools.action', { hostId: id, uuid: pool, action: 'stop' }).catch(() => {});
      await h.call('storage.pools.action', { hostId: id, uuid: pool, action: 'undefine' }).catch(() => {});
    }
    h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const socket = (ticket: string) => new WebSocket(`ws://127.0.0.1:${web.port}/api/upload?ticket=${ticket}&token=${web.token}`);
  const opened = (ws: WebSocket) => new Promise<void>((resolve, reject) => (ws.once('open', () => resolve()), ws.once('error', reject)));
  const closed = (ws: WebSocket) => new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  const settle = (transferId: string) => h.next('storage.transfer', (t) => t.transferId === transferId && t.state !== 'running', 60_000);

  it('uploads exactly the bytes sent and downloads them back as an attachment', async () => {
    const data = randomBytes(5 * 1024 * 1024 + 7);
    const name = `it's "up" $(id).img`;
    const { transfer, ticket } = await h.call('storage.volumes.uploadFromBrowser', { hostId: id, poolUuid: pool, name, size: data.length, fileName: 'local.img' });
    const done = settle(transfer.transferId);
    const ws = socket(ticket);
    await opened(ws);
    for (let off = 0; off < data.length; off += 256 * 1024) ws.send(data.subarray(off, off + 256 * 1024));
    ws.send(JSON.stringify({ end: true }));
    expect(await done).toMatchObject({ state: 'done', bytesDone: data.length });
    expect(await closed(ws)).toBe(1000);
    expect(sha(readFileSync(join(dir, 'pool', name)))).toBe(sha(data));
    // A ticket is good once.
    expect(await closed(socket(ticket))).toBe(4404);

    const { ticket: dl } = await h.call('storage.volumes.downloadToBrowser', { hostId: id, poolUuid: pool, name });
    const res = await fetch(`http://127.0.0.1:${web.port}/api/download?ticket=${dl}&token=${web.token}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="it's _up_ $(id).img"; filename*=UTF-8''it's%20%22up%22%20%24(id).img`);
    expect(sha(Buffer.from(await res.arrayBuffer()))).toBe(sha(data));
    expect((await fetch(`http://127.0.0.1:${web.port}/api/download?ticket=${dl}&token=${web.token}`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${web.port}/api/download?ticket=${dl}`)).status).toBe(403);
  });

  it('a browser that goes away mid-file, or sends too little, leaves no volume', async () => {
    for (const how of ['close', 'short'] as const) {
      const name = `vd-sc-${how}.img`;
      const { transfer, ticket } = await h.call('storage.volumes.uploadFromBrowser', { hostId: id, poolUuid: pool, name, size: 4 * 1024 * 1024, fileName: name });
      const done = settle(transfer.transferId);
      const ws = socket(ticket);
      await opened(ws);
      ws.send(randomBytes(1024 * 1024));
      if (how === 'close') ws.close();
      else ws.send(JSON.stringify({ end: true }));
      expect((await done).state).toBe(how === 'close' ? 'cancelled' : 'failed');
      await expect.poll(async () => (await h.call('storage.volumes.list', { hostId: id, poolUuid: pool })).some((v) => v.name === name), { timeout: 15_000 }).toBe(false);
    }
  });
});
