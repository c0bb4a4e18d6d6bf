/**
 * The desktop app's byte channel for consoles: a MessagePort pair from MessageChannelMain per
 * console. Nothing listens on a socket, so no token is needed and no other local user can reach
 * it. Binary messages are console bytes, plain objects are control messages. MessagePorts have
 * no backpressure of their own: toward the renderer the acks in ChannelPump bound what is in
 * flight; toward the host the renderer only sends keystrokes and pointer events.
 */
import { BrowserWindow, ipcMain, MessageChannelMain, type MessagePortMain, type WebContents } from 'electron';
import { CONSOLE_IPC, CONSOLE_WINDOW_HASH } from '../../shared/console-bridge';
import type { ChannelPeer } from '../consoles/byte-channel';
import type { ConsoleManager } from '../consoles/console-manager';

export function wireConsolePorts(consoles: ConsoleManager, isOurs: (wc: WebContents) => boolean, openWindow: (hash: string) => BrowserWindow): () => void {
  const onPort = (event: Electron.IpcMainEvent, ticket: unknown) => {
    if (!isOurs(event.sender) || event.senderFrame !== event.sender.mainFrame || typeof ticket !== 'string') return;
    const { port1, port2 } = new MessageChannelMain();
    const connect = consoles.claim(ticket);
    event.sender.postMessage(CONSOLE_IPC.port, { ticket }, [port2]);
    if (!connect) {
      port1.postMessage({ t: 'closed', reason: 'error', message: 'unknown or expired console ticket' });
      port1.close();
      return;
    }
    wirePort(port1, connect);
  };
  const onWindow = (event: Electron.IpcMainEvent, hash: unknown) => {
    if (!isOurs(event.sender) || typeof hash !== 'string' || !CONSOLE_WINDOW_HASH.test(hash)) return;
    openWindow(hash);
  };
  ipcMain.on(CONSOLE_IPC.port, onPort);
  ipcMain.on(CONSOLE_IPC.openWindow, onWindow);
  return () => {
    ipcMain.removeListener(CONSOLE_IPC.port, onPort);
    ipcMain.removeListener(CONSOLE_IPC.openWindow, onWindow);
  };
}

function wirePort(port: MessagePortMain, connect: NonNullable<ReturnType<ConsoleManager['claim']>>): void {
  let open = true;
  const peer: ChannelPeer = {
    sendData: (chunk) => open && port.postMessage(chunk),
    sendControl: (msg) => open && port.postMessage(msg),
    pauseInput: () => {},
    resumeInput: () => {},
    // An explicit close message first: a MessagePort's own 'close' is not seen by the other side reliably.
    close: () => {
      if (!open) return;
      open = false;
      port.close();
    },
  };
  const input = connect(peer);
  port.on('message', (e) => {
    const d: unknown = e.data;
    if (d instanceof Uint8Array) input.data(d);
    else if (d instanceof ArrayBuffer) input.data(new Uint8Array(d));
    else input.control(d);
  });
  port.on('close', () => {
    open = false;
    input.closed();
  });
  port.start();
}
