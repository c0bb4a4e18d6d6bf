import { ipcMain, type WebContents } from 'electron';
import { IPC } from '../../shared/contract';
import type { Backend } from '../core/backend';
import { isAppPage } from './app-protocol';

/**
 * One invoke channel for every request (validated by Backend.handle against the contract) and
 * one channel for events. Requests are accepted only from our own windows' main frames, while
 * they show the app's page (app://virtdeck/index.html).
 */
export function wireIpc(backend: Backend, isOurs: (wc: WebContents) => boolean): () => void {
  ipcMain.handle(IPC.request, (event, name: unknown, args: unknown) => {
    const frame = event.senderFrame;
    if (!isOurs(event.sender) || !frame || frame !== event.sender.mainFrame || !isAppPage(frame.url)) {
      return { ok: false, error: { code: 'invalid_args', message: 'request from an unknown frame' } };
    }
    return backend.handle(name, args, { id: `window-${event.sender.id}` });
  });
  return () => ipcMain.removeHandler(IPC.request);
}

export function forwardEvents(backend: Backend, wc: WebContents): () => void {
  wc.once('destroyed', () => backend.clientGone({ id: `window-${wc.id}` }));
  return backend.onEvent((name, payload) => {
    if (!wc.isDestroyed()) wc.send(IPC.event, name, payload);
  });
}
