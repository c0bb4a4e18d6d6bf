/**
 * Requests whose bytes the test decides: a raw HTTP/1.1 request over node:net (no client
 * normalises `..`, `%2e` or backslashes away), and WebSocket attempts reduced to what happened.
 */
import { connect } from 'node:net';
import { WebSocket } from 'ws';

export interface RawResponse {
  status: number;
  headers: Record<string, string[]>;
  body: string;
}

/** `target` goes on the request line exactly as given. */
export function rawGet(port: number, target: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const lines = [`${method} ${target} HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Connection: close', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
    sock.on('connect', () => sock.write(Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1')));
    sock.on('data', (b) => chunks.push(b));
    sock.on('error', reject);
    sock.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const out: Record<string, string[]> = {};
      for (const l of headerLines) {
        const i = l.indexOf(':');
        if (i > 0) (out[l.slice(0, i).toLowerCase()] ??= []).push(l.slice(i + 1).trim());
      }
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? 0), headers: out, body: rest.join('\r\n\r\n') });
    });
  });
}

export type WsOutcome = { kind: 'open'; ws: WebSocket } | { kind: 'refused'; status: number } | { kind: 'closed'; code: number };

/** Opens a WebSocket and says whether it stayed open (for `settleMs`), was refused, or was closed. */
export function wsOutcome(url: string, opts: { origin?: string; cookie?: string; settleMs?: number } = {}): Promise<WsOutcome> {
  const ws = new WebSocket(url, { ...(opts.origin !== undefined ? { origin: opts.origin } : {}), headers: opts.cookie ? { Cookie: opts.cookie } : {} });
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    ws.on('unexpected-response', (_req, res) => {
      resolve({ kind: 'refused', status: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.on('error', () => {});
    ws.on('open', () => (timer = setTimeout(() => resolve({ kind: 'open', ws }), opts.settleMs ?? 400)));
    ws.on('close', (code) => {
      clearTimeout(timer);
      resolve({ kind: 'closed', code });
    });
  });
}
