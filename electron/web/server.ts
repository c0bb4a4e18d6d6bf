import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { WireFromClient, type Envelope, type WireFromServer } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { Backend } from '../core/backend';
import { CONTENT_SECURITY_POLICY } from '../core/csp';
import { CONSOLE_PATH, attachConsoleSocket } from './console-socket';
import { readStatic } from './static-files';
import { DOWNLOAD_PATH, UPLOAD_PATH, attachUploadSocket, serveDownload } from './transfer-routes';

/**
 * Cookies are not told apart by port, so every server on 127.0.0.1 shares one jar: each names
 * its cookie after its port, or logging in to a second server would log the browser out of the first.
 */
export const cookieName = (port: number) => `virtdeck_token_${port}`;
const MAX_FRAME = 4 * 1024 * 1024;
/** Close code the renderer's WebSocket client reads as "token rejected", not "server down". */
const UNAUTHORIZED_CLOSE = 4401;

export interface WebServer {
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Browser mode: the renderer and the API on 127.0.0.1 only, behind a random token. The token
 * arrives once in the URL, is turned into an HttpOnly SameSite=Strict cookie, and every HTTP
 * request and WebSocket upgrade without it is refused. Upgrades must also come from our origin.
 */
export async function startWebServer(backend: Backend, opts: { port: number; rendererDir: string }): Promise<WebServer> {
  const token = randomBytes(24).toString('base64url');
  let cookie = ''; // named after the port, known once listening
  const server = createServer((req, res) =>
    serveHttp(req, res, token, cookie, opts.rendererDir, backend).catch((e: unknown) => {
      // A failing request gets a 500; the server goes on serving the others.
      console.error(`[web] ${req.method} ${req.url?.split('?')[0]} failed: ${describe(e)}`);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' }).end('Internal error\n');
      else res.destroy();
    }),
  );
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if ((url.pathname !== '/api/ws' && url.pathname !== CONSOLE_PATH && url.pathname !== UPLOAD_PATH) || !sameOrigin(req)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    // A wrong token is told apart from a dead server: the browser only sees close codes.
    if (!authorised(req, url, token, cookie)) return wss.handleUpgrade(req, socket, head, (ws) => ws.close(UNAUTHORIZED_CLOSE, 'token rejected'));
    if (url.pathname === UPLOAD_PATH)
      return wss.handleUpgrade(req, socket, head, (ws) => attachUploadSocket(ws, backend.clientTransfers, url.searchParams.get('ticket')));
    if (url.pathname === CONSOLE_PATH)
      return wss.handleUpgrade(req, socket, head, (ws) => attachConsoleSocket(ws, backend.consoles, url.searchParams.get('ticket')));
    wss.handleUpgrade(req, socket, head, (ws) => attachClient(ws, backend));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  cookie = cookieName(port);
  return {
    token,
    port,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: () => closeServer(server, wss),
  };
}

function attachClient(ws: WebSocket, backend: Backend): void {
  const send = (frame: WireFromServer) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  };
  const off = backend.onEvent((name, payload) => send({ t: 'evt', name, payload }));
  const client = { id: `ws-${randomUUID()}` };
  ws.on('close', () => {
    off();
    backend.clientGone(client);
  });
  // ws reports a frame over maxPayload (and other protocol errors) as an 'error' event, then
  // closes the socket (1009…); with no listener, that event took the whole server down.
  ws.on('error', (e) => console.error(`[web] closing a client after a socket error: ${e.message}`));
  ws.on('message', (data, isBinary) => {
    if (isBinary) return ws.close(1003, 'text frames only');
    let frame: WireFromClient;
    try {
      frame = WireFromClient.parse(JSON.parse(data.toString()));
    } catch (e) {
      // Say why on the server's stderr: the browser only sees the close code.
      console.error(`[web] closing a client after a malformed frame: ${e instanceof Error ? e.message.slice(0, 500) : String(e)}`);
      return ws.close(1007, 'malformed frame');
    }
    // Backend.handle turns handler failures into error envelopes; whatever still escapes (or a
    // result that cannot be sent) becomes an error reply here too, never an unhandled rejection.
    const id = frame.id;
    Promise.resolve()
      .then(() => backend.handle(frame.name, frame.args, client))
      .catch((e: unknown): Envelope => ({ ok: false, error: failure(e, frame.name).toJSON() }))
      .then((env) => {
        try {
          send(env.ok ? { t: 'res', id, ok: true, result: env.result } : { t: 'res', id, ok: false, error: env.error });
        } catch (e) {
          send({ t: 'res', id, ok: false, error: failure(e, frame.name).toJSON() });
        }
      })
      .catch((e: unknown) => console.error(`[web] could not reply to ${frame.name}: ${describe(e)}`));
  });
}

function failure(e: unknown, request: string): AppError {
  console.error(`[web] request ${request} failed: ${describe(e)}`);
  return e instanceof AppError ? e : new AppError('internal', `${request} failed inside Virtdeck: ${describe(e)}`);
}

function describe(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).slice(0, 500);
}

async function serveHttp(req: IncomingMessage, res: ServerResponse, token: string, cookie: string, root: string, backend: Backend): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const headers: Record<string, string> = {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, headers).end();
    return;
  }
  if (!fromOurOriginOrOpened(req)) {
    res.writeHead(403, { ...headers, 'Content-Type': 'text/plain' }).end('Forbidden: a request from another origin.\n');
    return;
  }
  if (!authorised(req, url, token, cookie)) {
    res.writeHead(403, { ...headers, 'Content-Type': 'text/plain' }).end('Forbidden: open the URL with the token that `npm run web` printed.\n');
    return;
  }
  if (url.pathname === DOWNLOAD_PATH) return serveDownload(res, req, backend.clientTransfers, url.searchParams.get('ticket'), headers);
  if (url.searchParams.get('token') === token)
    headers['Set-Cookie'] = `${cookie}=${token}; HttpOnly; SameSite=Strict; Path=/`;
  const file = await readStatic(root, url.pathname);
  if (!file) {
    res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('Not found\n');
    return;
  }
  res.writeHead(200, { ...headers, 'Content-Type': file.type, 'Content-Length': String(file.body.length) });
  res.end(req.method === 'HEAD' ? undefined : file.body);
}

function authorised(req: IncomingMessage, url: URL, token: string, cookie: string): boolean {
  const fromQuery = url.searchParams.get('token');
  const fromCookie = parseCookies(req.headers.cookie)[cookie];
  return [fromQuery, fromCookie].some((t) => t !== undefined && t !== null && safeEqual(t, token));
}

/** Blocks cross-site WebSocket hijacking: the cookie alone must not let another page in. */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true; // non-browser clients (tests, scripts) carry the token themselves
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/**
 * CSRF on the HTTP routes. SameSite=Strict keeps other *sites* from sending the cookie, but any
 * other port on 127.0.0.1 is the same site, so a page served there would send it. Browsers say
 * where a request comes from (Origin, Sec-Fetch-Site): only our own origin gets in, plus
 * top-level navigations (opening the app from the redirect file or a bookmark), which cannot
 * read what they load. Clients that send neither header (curl, tests) carry the token themselves.
 */
function fromOurOriginOrOpened(req: IncomingMessage): boolean {
  if (req.headers.origin !== undefined && !sameOrigin(req)) return false;
  const site = req.headers['sec-fetch-site'];
  if (site === undefined || site === 'same-origin' || site === 'none') return true;
  return req.headers['sec-fetch-mode'] === 'navigate' && req.headers['sec-fetch-dest'] === 'document';
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

function closeServer(server: Server, wss: WebSocketServer): Promise<void> {
  for (const c of wss.clients) c.terminate();
  wss.close();
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
