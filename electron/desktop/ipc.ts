import { ipcMain, type WebContents } from 'electron';
import { IPC } from '../../shared/contract';
import type { Backend } from '../core/backend';

/**
 * One invoke channel for every request (validated by Backend.handle against the contract) and
 * one channel for events. Requests are accepted only from our own windows' main frames.
 */
export function wireIpc(backend: Backend, isOurs: (wc: WebContents) => boolean): () => void {
  ipcMain.handle(IPC.request, (event, name: unknown, args: unknown) => {
    if (!isOurs(event.sender) || event.senderFrame !== event.sender.mainFrame) {
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
