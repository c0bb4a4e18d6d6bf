/**
 * Chooses how the renderer reaches the backend: the Electron preload bridge when present,
 * otherwise the browser-mode WebSocket. Everything else only sees `Api`.
 */
import type { Api } from '../../../shared/contract';
import { takeTokenFromLocation, webSocketUrl } from './token';
import { browserSocket, createWsClient, type WsConnectionState } from './ws-client';

declare global {
  interface Window {
    /** Exposed by the Electron preload (contextBridge); implements `Api` exactly. */
    virtdeck?: Api;
  }
}

export interface Transport {
  mode: 'desktop' | 'web';
  api: Api;
  /** Browser mode only: whether the page was opened with an access token. */
  hasToken: boolean;
  /** Calls `fn` now and on every change of the backend connection. */
  watch(fn: (state: WsConnectionState) => void): () => void;
  reconnectNow(): void;
}

let transport: Transport | null = null;

function isApi(value: unknown): value is Api {
  const v = value as Partial<Api> | null | undefined;
  return typeof v?.request === 'function' && typeof v.on === 'function';
}

function createTransport(): Transport {
  const bridge = window.virtdeck;
  if (isApi(bridge)) {
    // IPC needs no connection management: it is up for as long as this window exists.
    return {
      mode: 'desktop',
      api: bridge,
      hasToken: true,
      watch(fn) {
        fn({ phase: 'open' });
        return () => {};
      },
      reconnectNow() {},
    };
  }
  const token = takeTokenFromLocation();
  const client = createWsClient({ url: webSocketUrl(location, token), createSocket: browserSocket });
  return {
    mode: 'web',
    api: client,
    hasToken: token !== null,
    watch(fn) {
      fn(client.getState());
      return client.onState(fn);
    },
    reconnectNow: () => client.reconnectNow(),
  };
}

export function getTransport(): Transport {
  transport ??= createTransport();
  return transport;
}

export function getApi(): Api {
  return getTransport().api;
}
