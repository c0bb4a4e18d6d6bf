// One-time, expiring tickets for the byte channels of browser mode, through the real web server:
// an upload socket, a download GET and a console socket each accept a ticket once, and not
// after it expired (the backend runs with a 1.5 s ticket TTL instead of 30–60 s).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BAD_TICKET_CLOSE } from '../../shared/model/console';
import { startHarness, type Harness } from '../../e2e/support/backend-harness';
import { wsOutcome } from '../../e2e/support/raw-http';
import { startWebServer, type WebServer } from './server';

const TTL = 1500;
const UPLOAD_BAD_TICKET = 4404;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('tickets for uploads, downloads and consoles', () => {
  let h: Harness;
  let web: WebServer;
  let dir = '';
  let local = '';
  let pool = '';
  const demo = 'demo';
  const VNC_UUID = '5d7e57a1-0000-4e2e-8d0c-7e57c0ffee99';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vd-tickets-'));
    h = await startHarness({ backend: { ticketTtlMs: TTL } });
    local = await h.backend.ensureConnection('qemu:///system');
    pool = (await h.call('storage.pools.define', { hostId: local, spec: { type: 'dir', name: `vd-test-tickets-${process.pid}`, targetPath: join(dir, 'pool') }, build: true, start: true })).uuid;
    // A running VM with a VNC display on the test driver: enough to hand out console tickets.
    await h.call('hosts.connect', { hostId: demo });
    const xml = `<domain type='test'><name>vd-vnc</name><uuid>${VNC_UUID}</uuid><memory>65536</memory><os><type>hvm</type></os><devices><graphics type='vnc' port='5999' listen='127.0.0.1'/></devices></domain>`;
    await h.backend.hosts.get(demo).run(['virsh', 'define', '--file', '/dev/stdin'], { stdin: xml });
    await h.call('domains.action', { hostId: demo, uuids: [VNC_UUID], action: 'start' });
    web = await startWebServer(h.backend, { port: 0, rendererDir: dir });
  });
  afterAll(async () => {
    await web?.close();
    if (pool) {
      await h.call('storage.pools.action', { hostId: local, uuid: pool, action: 'stop' }).catch(() => {});
      await h.call('storage.pools.action', { hostId: local, uuid: pool, action: 'undefine' }).catch(() => {});
    }
    h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const wsUrl = (path: string, ticket: string) => `ws://127.0.0.1:${web.port}${path}?ticket=${encodeURIComponent(ticket)}&token=${web.token}`;
  const download = (ticket: string) => fetch(`http://127.0.0.1:${web.port}/api/download?ticket=${encodeURIComponent(ticket)}&token=${web.token}`);
  const upload = (name: string) => h.call('storage.volumes.uploadFromBrowser', { hostId: local, poolUuid: pool, name, size: 4, fileName: name });

  it('an upload ticket works once; a reused or made-up one is refused', async () => {
    const { ticket, transfer } = await upload('once.img');
    const done = h.next('storage.transfer', (t) => t.transferId === transfer.transferId && t.state !== 'running', 30_000);
    const first = await wsOutcome(wsUrl('/api/upload', ticket), { origin: `http://127.0.0.1:${web.port}` });
    expect(first.kind).toBe('open');
    if (first.kind === 'open') {
      first.ws.send(Buffer.from('abcd'));
      first.ws.send(JSON.stringify({ end: true }));
    }
    expect((await done).state).toBe('done');
    expect(await wsOutcome(wsUrl('/api/upload', ticket))).toEqual({ kind: 'closed', code: UPLOAD_BAD_TICKET });
    expect(await wsOutcome(wsUrl('/api/upload', 'made-up'))).toEqual({ kind: 'closed', code: UPLOAD_BAD_TICKET });
  });

  it('an expired upload ticket is refused, and its upload is cancelled (no volume left)', async () => {
    const { ticket, transfer } = await upload('expired.img');
    const settled = h.next('storage.transfer', (t) => t.transferId === transfer.transferId && t.state !== 'running', 30_000);
    await sleep(TTL + 300);
    expect(await wsOutcome(wsUrl('/api/upload', ticket))).toEqual({ kind: 'closed', code: UPLOAD_BAD_TICKET });
    expect((await settled).state).toBe('cancelled');
    await expect.poll(async () => (await h.call('storage.volumes.list', { hostId: local, poolUuid: pool })).map((v) => v.name), { timeout: 15_000 }).not.toContain('expired.img');
  });

  it('a download ticket works once, not after it expired, and never for an upload', async () => {
    const { ticket: dl } = await h.call('storage.volumes.downloadToBrowser', { hostId: local, poolUuid: pool, name: 'once.img' });
    // A download claim of an upload ticket is refused and leaves the upload's ticket alone.
    const { ticket: up } = await upload('kind.img');
    expect((await download(up)).status).toBe(404);
    const res = await download(dl);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('abcd');
    expect((await download(dl)).status).toBe(404);
    const { ticket: late } = await h.call('storage.volumes.downloadToBrowser', { hostId: local, poolUuid: pool, name: 'once.img' });
    await sleep(TTL + 300);
    expect((await download(late)).status).toBe(404);
    expect(await wsOutcome(wsUrl('/api/upload', up))).toEqual({ kind: 'closed', code: UPLOAD_BAD_TICKET }); // it expired meanwhile
  });

  it('a console ticket opens the console once, and not after it expired', async () => {
    const opened = await h.call('consoles.openVnc', { hostId: demo, uuid: VNC_UUID });
    const first = await wsOutcome(wsUrl('/api/console', opened.ticket), { settleMs: 200 });
    // The first claim is accepted (the tunnel to the test driver's made-up port may then close it, but not as a bad ticket).
    expect(first).not.toEqual({ kind: 'closed', code: BAD_TICKET_CLOSE });
    if (first.kind === 'open') first.ws.close();
    expect(await wsOutcome(wsUrl('/api/console', opened.ticket))).toEqual({ kind: 'closed', code: BAD_TICKET_CLOSE });
    const again = await h.call('consoles.openVnc', { hostId: demo, uuid: VNC_UUID, consoleId: opened.consoleId });
    await sleep(TTL + 300);
    expect(await wsOutcome(wsUrl('/api/console', again.ticket))).toEqual({ kind: 'closed', code: BAD_TICKET_CLOSE });
    await h.call('consoles.close', { consoleId: opened.consoleId });
  });
});
