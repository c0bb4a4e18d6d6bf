/**
 * The renderer's only door to the backend: exactly the contract's requests and events, by
 * allow-list, over two IPC channels. Runs sandboxed with context isolation.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { AppError } from '../../shared/errors';
import { IPC, isEventName, isRequestName, type Api, type Envelope, type EventName } from '../../shared/contract';
import { exposeConsoleBridge } from './console-preload';

const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
ipcRenderer.on(IPC.event, (_e: IpcRendererEvent, name: unknown, payload: unknown) => {
  if (!isEventName(name)) return;
  for (const fn of listeners.get(name) ?? []) fn(payload);
});

const api: Api = {
  async request(name, args) {
    if (!isRequestName(name)) throw new AppError('invalid_args', `unknown request ${String(name)}`);
    const env = (await ipcRenderer.invoke(IPC.request, name, args)) as Envelope;
    if (!env.ok) throw new AppError(env.error.code, env.error.message, env.error.detail);
    return env.result as never;
  },
  on(name, fn) {
    if (!isEventName(name)) throw new AppError('invalid_args', `unknown event ${String(name)}`);
    const set = listeners.get(name) ?? new Set();
    listeners.set(name, set);
    const cb = fn as (payload: unknown) => void;
    set.add(cb);
    return () => set.delete(cb);
  },
};

contextBridge.exposeInMainWorld('virtdeck', api);
exposeConsoleBridge();
