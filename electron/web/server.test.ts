// Browser mode must outlive any one request: a handler that fails, or a result that cannot be
// sent, becomes an error reply to that request, and the next request is answered as usual.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Envelope, WireFromServer } from '../../shared/contract';
import type { Backend } from '../core/backend';
import { startWebServer, type WebServer } from './server';

/** Only what the request path of the server uses (events, requests, a client going away); `handle` misbehaves on purpose. */
function backendWith(handle: (name: unknown) => Promise<Envelope>): Backend {
  return { handle, onEvent: () => () => {}, clientGone: () => {} } as unknown as Backend;
}

describe('browser-mode request dispatch', () => {
  let web: WebServer | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'vd-web-'));
  const rejections: unknown[] = [];
  const onRejection = (r: unknown) => rejections.push(r);
  process.on('unhandledRejection', onRejection);
  afterEach(async () => {
    await web?.close();
    web = undefined;
  });
  afterAll(() => {
    process.off('unhandledRejection', onRejection);
    rmSync(dir, { recursive: true, force: true });
  });

  async function client(w: WebServer) {
    const ws = new WebSocket(`ws://127.0.0.1:${w.port}/api/ws?token=${w.token}`);
    await new Promise<void>((resolve, reject) => (ws.once('open', () => resolve()), ws.once('error', reject)));
    const replies = new Map<number, WireFromServer>();
    const waiters = new Map<number, (f: WireFromServer) => void>();
    ws.on('message', (d) => {
      const f = JSON.parse(d.toString()) as WireFromServer & { id: number };
      replies.set(f.id, f);
      waiters.get(f.id)?.(f);
    });
    const call = (id: number, name: string) => {
      ws.send(JSON.stringify({ t: 'req', id, name, args: {} }));
      return new Promise<WireFromServer>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no reply to request ${id} (${name})`)), 3000);
        waiters.set(id, (f) => (clearTimeout(timer), resolve(f)));
      });
    };
    return { ws, call };
  }

  it('a handler that throws gets an error reply, and the server answers the next request', async () => {
    web = await startWebServer(
      backendWith(async (name) => {
        if (name === 'app.info') throw new TypeError('Cannot read properties of undefined');
        return { ok: true, result: 'fine' };
      }),
      { port: 0, rendererDir: dir },
    );
    const { ws, call } = await client(web);
    expect(await call(1, 'app.info')).toMatchObject({ t: 'res', id: 1, ok: false, error: { code: 'internal', message: expect.stringMatching(/Cannot read properties/) } });
    expect(await call(2, 'hosts.list')).toEqual({ t: 'res', id: 2, ok: true, result: 'fine' });
    ws.close();
    expect(rejections).toEqual([]);
  });

  it('a result that cannot be sent becomes an error reply', async () => {
    web = await startWebServer(
      backendWith(async () => ({ ok: true, result: { size: 10n } })),
      { port: 0, rendererDir: dir },
    );
    const { ws, call } = await client(web);
    expect(await call(7, 'hosts.list')).toMatchObject({ t: 'res', id: 7, ok: false, error: { code: 'internal' } });
    ws.close();
    expect(rejections).toEqual([]);
  });
});
