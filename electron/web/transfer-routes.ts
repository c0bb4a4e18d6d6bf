/**
 * Browser mode's transfer endpoints (same token and Origin checks as /api/ws):
 *  - /api/upload?ticket=…  WebSocket: binary frames are the file, the text frame {"end":true}
 *    says it is complete; closed by the server when the transfer ended (1000 done, 4000 + reason
 *    otherwise). Pausing the socket stops reading TCP, so the browser's sends slow down.
 *  - /api/download?ticket=…  GET: the volume as an attachment, chunked; a failure destroys the
 *    response before its last chunk, so the browser marks the download failed, never complete.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import type { ClientTransfers } from '../core/client-transfers';

export const UPLOAD_PATH = '/api/upload';
export const DOWNLOAD_PATH = '/api/download';
const BAD_TICKET_CLOSE = 4404;
const FAILED_CLOSE = 4000;

export function attachUploadSocket(ws: WebSocket, transfers: ClientTransfers, ticket: string | null): void {
  const connect = transfers.claimUpload(ticket);
  if (!connect) return ws.close(BAD_TICKET_CLOSE, 'unknown or expired upload ticket');
  ws.binaryType = 'nodebuffer';
  const input = connect({
    pause: () => ws.pause(),
    resume: () => ws.resume(),
    // Close reasons are limited to 123 bytes.
    close: (ok, reason) => ws.close(ok ? 1000 : FAILED_CLOSE, Buffer.from(reason).subarray(0, 120).toString()),
  });
  ws.on('message', (data: Buffer, isBinary) => {
    if (isBinary) return input.data(data);
    try {
      if ((JSON.parse(data.toString('utf8')) as { end?: unknown }).end === true) input.end();
    } catch {
      // not JSON: ignored
    }
  });
  ws.on('close', () => input.closed());
  ws.on('error', () => {});
}

/** RFC 6266 filename: an ASCII fallback plus the exact UTF-8 name. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export function serveDownload(res: ServerResponse, req: IncomingMessage, transfers: ClientTransfers, ticket: string | null, headers: Record<string, string>): void {
  const serve = transfers.claimDownload(ticket);
  if (!serve || req.method !== 'GET') {
    res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('Unknown or expired download ticket\n');
    return;
  }
  serve({
    start: (fileName) => {
      res.writeHead(200, { ...headers, 'Content-Type': 'application/octet-stream', 'Content-Disposition': contentDisposition(fileName) });
      return res;
    },
    fail: () => res.destroy(),
  });
}
