/**
 * Browser mode's byte channel for consoles: a WebSocket at /api/console?ticket=… (same token
 * and Origin checks as /api/ws, plus a one-time ticket from consoles.openVnc/openSerial).
 * Console bytes travel as binary frames, never JSON; text frames carry small control messages.
 */
import type { WebSocket } from 'ws';
import { BAD_TICKET_CLOSE } from '../../shared/model/console';
import type { ChannelPeer } from '../consoles/byte-channel';
import type { ConsoleManager } from '../consoles/console-manager';

export const CONSOLE_PATH = '/api/console';

export function attachConsoleSocket(ws: WebSocket, consoles: ConsoleManager, ticket: string | null): void {
  const connect = ticket ? consoles.claim(ticket) : undefined;
  if (!connect) return ws.close(BAD_TICKET_CLOSE, 'unknown or expired console ticket');
  ws.binaryType = 'nodebuffer';
  const peer: ChannelPeer = {
    sendData: (chunk) => {
      if (ws.readyState === ws.OPEN) ws.send(chunk, { binary: true });
    },
    sendControl: (msg) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
    },
    // ws stops reading its socket while paused, so TCP pushes back on the browser.
    pauseInput: () => ws.pause(),
    resumeInput: () => ws.resume(),
    close: () => ws.close(1000, 'console closed'),
  };
  const input = connect(peer);
  ws.on('message', (data: Buffer, isBinary) => {
    if (isBinary) return input.data(data);
    try {
      input.control(JSON.parse(data.toString('utf8')));
    } catch {
      // not JSON: ignored like any other malformed control frame
    }
  });
  ws.on('close', () => input.closed());
  ws.on('error', () => {});
}
