/**
 * Browser mode, where the browser's machine is "this computer": a chosen file is sent to the
 * backend over a WebSocket (/api/upload?ticket=…, see storage.volumes.uploadFromBrowser), and a
 * volume is downloaded as an ordinary browser download (/api/download?ticket=…).
 */
const CHUNK = 256 * 1024;
/** Unsent bytes the socket may hold before we wait: keeps memory flat for multi-GB files. */
const MAX_BUFFERED = 4 * CHUNK;

/**
 * Sends `file` in chunks, then {"end":true}. Resolves when the server closes the socket (it does
 * so when the transfer ended; its outcome arrives as storage.transfer events). Stops sending as
 * soon as the socket closes (a cancel from the transfer list closes it from the server side).
 */
export function sendFileOverSocket(ticket: string, file: Blob): Promise<void> {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const ws = new WebSocket(`${scheme}://${location.host}/api/upload?ticket=${encodeURIComponent(ticket)}`);
  ws.binaryType = 'arraybuffer';
  const closed = new Promise<void>((resolve) => ws.addEventListener('close', () => resolve()));
  const opened = new Promise<boolean>((resolve) => {
    ws.addEventListener('open', () => resolve(true));
    ws.addEventListener('close', () => resolve(false));
  });
  void (async () => {
    if (!(await opened)) return;
    for (let offset = 0; offset < file.size; offset += CHUNK) {
      while (ws.readyState === WebSocket.OPEN && ws.bufferedAmount > MAX_BUFFERED) await new Promise((r) => setTimeout(r, 15));
      if (ws.readyState !== WebSocket.OPEN) return;
      ws.send(await file.slice(offset, offset + CHUNK).arrayBuffer());
    }
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ end: true }));
  })();
  return closed;
}

/** Starts the browser's own download of a ticketed volume (the browser shows its progress too). */
export function startBrowserDownload(ticket: string, fileName: string): void {
  const a = document.createElement('a');
  a.href = `/api/download?ticket=${encodeURIComponent(ticket)}`;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
}
