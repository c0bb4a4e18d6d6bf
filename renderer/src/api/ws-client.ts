/**
 * Browser-mode implementation of `Api`: JSON frames over one authenticated WebSocket.
 * The socket itself is created by an injected factory, so the framing, queueing and
 * reconnect logic here can be unit-tested without a DOM or a server.
 */
import {
  events,
  isEventName,
  requests,
  type Api,
  type EventName,
  type EventPayload,
  type RequestArgs,
  type RequestName,
  type RequestResult,
  type WireFromClient,
} from '../../../shared/contract';
import { AppError, AppErrorShape } from '../../../shared/errors';
import { fastEventChecks } from './fast-events';

export interface SocketHandlers {
  open(): void;
  message(data: string): void;
  close(code: number, reason: string): void;
}
export interface SocketHandle {
  send(data: string): void;
  close(code?: number, reason?: string): void;
}
/** Creates a socket; like a real WebSocket, it must call the handlers only after returning. */
export type SocketFactory = (url: string, handlers: SocketHandlers) => SocketHandle;

export type WsConnectionState =
  | { phase: 'connecting'; attempt: number }
  | { phase: 'open' }
  /** Waiting out the backoff before reconnect attempt number `attempt`. */
  | { phase: 'waiting'; attempt: number; retryAt: number }
  /** The server closed with `unauthorizedCloseCode`: retrying with the same token is pointless. */
  | { phase: 'unauthorized' }
  | { phase: 'stopped' };

export interface WsClient extends Api {
  getState(): WsConnectionState;
  onState(fn: (state: WsConnectionState) => void): () => void;
  /** Skip the remaining backoff (or retry after `unauthorized`). */
  reconnectNow(): void;
  /** Close for good; pending requests are rejected. */
  stop(): void;
}

export interface WsClientOptions {
  url: string;
  createSocket: SocketFactory;
  backoff?: { initialMs: number; maxMs: number; factor: number };
  /** 0..1; spreads reconnects of many tabs. Injected so tests are deterministic. */
  random?: () => number;
  now?: () => number;
  warn?: (message: string, detail?: unknown) => void;
}

/** Close code the server is asked to use for a bad token (4000-4999 is application-defined). */
export const unauthorizedCloseCode = 4401;

const defaultBackoff = { initialMs: 500, maxMs: 10_000, factor: 2 };

interface Pending {
  name: RequestName;
  frame: string;
  sent: boolean;
  resolve: (value: unknown) => void;
  reject: (error: AppError) => void;
}

export function createWsClient(options: WsClientOptions): WsClient {
  const backoff = options.backoff ?? defaultBackoff;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const warn = options.warn ?? ((m: string, d?: unknown) => console.warn(`[ws-client] ${m}`, d));

  let state: WsConnectionState = { phase: 'stopped' };
  let socket: SocketHandle | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  /** Bumped for every new socket and on stop(). */
  let generation = 0;
  /** Consecutive failed attempts since the last successful open. */
  let failures = 0;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const stateListeners = new Set<(s: WsConnectionState) => void>();
  const eventListeners = new Map<EventName, Set<(payload: never) => void>>();

  function setState(next: WsConnectionState) {
    state = next;
    for (const fn of [...stateListeners]) fn(next);
  }

  function connect() {
    if (retryTimer !== null) clearTimeout(retryTimer);
    retryTimer = null;
    const myGeneration = ++generation;
    const isCurrent = () => myGeneration === generation;
    setState({ phase: 'connecting', attempt: failures + 1 });
    // Callbacks from a socket that has since been replaced or stopped are ignored.
    const handlers: SocketHandlers = {
      open: () => {
        if (!isCurrent()) return;
        failures = 0;
        setState({ phase: 'open' });
        flushQueue();
      },
      message: (data) => {
        if (isCurrent()) handleFrame(data);
      },
      close: (code, reason) => {
        if (isCurrent()) handleClose(code, reason);
      },
    };
    try {
      socket = options.createSocket(options.url, handlers);
    } catch (e) {
      // new WebSocket() throws synchronously only for malformed URLs; treat it like a failed attempt.
      warn('could not create socket', e);
      handleClose(1006, e instanceof Error ? e.message : String(e));
    }
  }

  function flushQueue() {
    for (const p of pending.values()) {
      if (p.sent || !socket || state.phase !== 'open') continue;
      socket.send(p.frame);
      p.sent = true;
    }
  }

  function handleClose(code: number, reason: string) {
    socket = null;
    const detail = reason ? `${code}: ${reason}` : String(code);
    rejectAll(new AppError('disconnected', `Backend connection closed (${detail})`));
    if (state.phase === 'stopped') return;
    if (code === unauthorizedCloseCode) {
      setState({ phase: 'unauthorized' });
      return;
    }
    failures += 1;
    const base = Math.min(backoff.maxMs, backoff.initialMs * backoff.factor ** (failures - 1));
    const delay = Math.round(base * (0.75 + 0.5 * random()));
    setState({ phase: 'waiting', attempt: failures + 1, retryAt: now() + delay });
    retryTimer = setTimeout(connect, delay);
  }

  function rejectAll(error: AppError) {
    const all = [...pending.values()];
    pending.clear();
    for (const p of all) p.reject(error);
  }

  function handleFrame(data: string) {
    let frame: unknown;
    try {
      frame = JSON.parse(data);
    } catch {
      warn('ignoring a frame that is not JSON', data.slice(0, 200));
      return;
    }
    if (typeof frame !== 'object' || frame === null) return warn('ignoring a non-object frame', frame);
    const f = frame as Record<string, unknown>;
    if (f.t === 'res' && typeof f.id === 'number') return handleResponse(f.id, f);
    if (f.t === 'evt') return handleEvent(f.name, f.payload);
    warn('ignoring an unknown frame', frame);
  }

  function handleResponse(id: number, f: Record<string, unknown>) {
    const p = pending.get(id);
    if (!p) return warn(`response for unknown request ${id}`);
    pending.delete(id);
    if (f.ok === true) {
      const parsed = requests[p.name].result.safeParse(f.result);
      if (parsed.success) p.resolve(parsed.data);
      else p.reject(new AppError('internal', `Malformed ${p.name} response from the backend`, parsed.error.message));
      return;
    }
    const err = AppErrorShape.safeParse(f.error);
    p.reject(
      err.success
        ? new AppError(err.data.code, err.data.message, err.data.detail)
        : new AppError('internal', `Malformed ${p.name} error from the backend`),
    );
  }

  function handleEvent(name: unknown, payload: unknown) {
    if (!isEventName(name)) return warn('ignoring an unknown event', name);
    const listeners = eventListeners.get(name);
    if (!listeners || listeners.size === 0) return;
    let data: unknown;
    const fast = fastEventChecks[name];
    if (fast) {
      if (!fast(payload)) return warn(`ignoring a malformed ${name} event`);
      data = payload;
    } else {
      const parsed = events[name].safeParse(payload);
      if (!parsed.success) return warn(`ignoring a malformed ${name} event`, parsed.error.message);
      data = parsed.data;
    }
    for (const fn of [...listeners]) {
      try {
        fn(data as never);
      } catch (e) {
        // One broken listener must not starve the others.
        console.error(`[ws-client] ${name} listener failed`, e);
      }
    }
  }

  function request<K extends RequestName>(name: K, args: RequestArgs<K>): Promise<RequestResult<K>> {
    if (state.phase !== 'open' && state.phase !== 'connecting') {
      return Promise.reject(new AppError('disconnected', 'Not connected to the backend'));
    }
    const id = nextId++;
    const wire: WireFromClient = { t: 'req', id, name, args };
    return new Promise<RequestResult<K>>((resolve, reject) => {
      const p: Pending = { name, frame: JSON.stringify(wire), sent: false, resolve: resolve as (v: unknown) => void, reject };
      pending.set(id, p);
      // While connecting the frame waits in `pending` and goes out in order on open.
      if (state.phase === 'open') flushQueue();
    });
  }

  function on<K extends EventName>(name: K, fn: (payload: EventPayload<K>) => void): () => void {
    let set = eventListeners.get(name);
    if (!set) eventListeners.set(name, (set = new Set()));
    const listener = fn as (payload: never) => void;
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  const client: WsClient = {
    request,
    on,
    getState: () => state,
    onState(fn) {
      stateListeners.add(fn);
      return () => {
        stateListeners.delete(fn);
      };
    },
    reconnectNow() {
      if (state.phase === 'waiting' || state.phase === 'unauthorized') connect();
    },
    stop() {
      if (retryTimer !== null) clearTimeout(retryTimer);
      retryTimer = null;
      generation += 1;
      setState({ phase: 'stopped' });
      const s = socket;
      socket = null;
      s?.close(1000, 'client stopped');
      rejectAll(new AppError('cancelled', 'Backend connection closed by the client'));
    },
  };
  connect();
  return client;
}

/** The real socket, as a `SocketFactory`. */
export const browserSocket: SocketFactory = (url, handlers) => {
  const ws = new WebSocket(url);
  ws.onopen = () => handlers.open();
  ws.onmessage = (ev: MessageEvent) => {
    if (typeof ev.data === 'string') handlers.message(ev.data);
  };
  // 'error' is always followed by 'close', which carries the code; nothing else to do here.
  ws.onclose = (ev: CloseEvent) => handlers.close(ev.code, ev.reason);
  return { send: (data) => ws.send(data), close: (code, reason) => ws.close(code, reason) };
};
