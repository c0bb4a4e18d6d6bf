import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../shared/errors';
import { createWsClient, unauthorizedCloseCode, type SocketHandlers, type WsConnectionState } from './ws-client';
import { splitToken, webSocketUrl } from './token';

/** A stand-in for one WebSocket: records what the client sends and lets the test drive events. */
class FakeSocket {
  sent: unknown[] = [];
  closedWith: { code?: number; reason?: string } | null = null;
  constructor(
    readonly url: string,
    readonly handlers: SocketHandlers,
  ) {}
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close(code?: number, reason?: string) {
    this.closedWith = { code, reason };
  }
  serverSends(frame: unknown) {
    this.handlers.message(JSON.stringify(frame));
  }
}

const uuid = '11111111-2222-3333-4444-555555555555';
const domain = {
  uuid,
  name: 'web',
  state: 'running',
  reason: 1,
  persistent: true,
  autostart: false,
  managedSave: false,
  vcpus: 2,
  memoryKiB: 2097152,
  maxMemoryKiB: 4194304,
};

function setup() {
  const sockets: FakeSocket[] = [];
  const warnings: string[] = [];
  const client = createWsClient({
    url: 'ws://h/api/ws?token=t',
    createSocket: (url, handlers) => {
      const s = new FakeSocket(url, handlers);
      sockets.push(s);
      return s;
    },
    backoff: { initialMs: 100, maxMs: 1000, factor: 2 },
    random: () => 0.5, // no jitter: delay = base
    now: () => 0,
    warn: (m) => warnings.push(m),
  });
  const states: WsConnectionState[] = [];
  client.onState((s) => states.push(s));
  const last = () => {
    const s = sockets.at(-1);
    if (!s) throw new Error('no socket');
    return s;
  };
  return { client, sockets, last, states, warnings };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('ws-client framing', () => {
  it('connects to the given URL and reports connecting then open', () => {
    const { client, last, states } = setup();
    expect(last().url).toBe('ws://h/api/ws?token=t');
    expect(client.getState()).toEqual({ phase: 'connecting', attempt: 1 });
    last().handlers.open();
    expect(states).toEqual([{ phase: 'open' }]);
  });

  it('queues requests made while connecting and sends them in order on open', async () => {
    const { client, last } = setup();
    const hosts = client.request('hosts.list', {});
    const domains = client.request('domains.list', { hostId: 'h1' });
    expect(last().sent).toEqual([]);
    last().handlers.open();
    expect(last().sent).toEqual([
      { t: 'req', id: 1, name: 'hosts.list', args: {} },
      { t: 'req', id: 2, name: 'domains.list', args: { hostId: 'h1' } },
    ]);
    // Responses may arrive in any order; ids route them.
    last().serverSends({ t: 'res', id: 2, ok: true, result: [domain] });
    last().serverSends({ t: 'res', id: 1, ok: true, result: [] });
    await expect(domains).resolves.toEqual([domain]);
    await expect(hosts).resolves.toEqual([]);
  });

  it('sends immediately when open', () => {
    const { client, last } = setup();
    last().handlers.open();
    void client.request('hosts.connect', { hostId: 'h1' });
    expect(last().sent).toEqual([{ t: 'req', id: 1, name: 'hosts.connect', args: { hostId: 'h1' } }]);
  });

  it('rejects with an AppError carrying the server error', async () => {
    const { client, last } = setup();
    last().handlers.open();
    const p = client.request('hosts.remove', { hostId: 'gone' });
    last().serverSends({ t: 'res', id: 1, ok: false, error: { code: 'not_found', message: 'no such host' } });
    const err = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'not_found', message: 'no such host' });
  });

  it('rejects results that do not match the contract', async () => {
    const { client, last } = setup();
    last().handlers.open();
    const p = client.request('hosts.list', {});
    last().serverSends({ t: 'res', id: 1, ok: true, result: [{ nonsense: true }] });
    await expect(p).rejects.toMatchObject({ code: 'internal' });
  });

  it('delivers validated events to listeners until unsubscribed', () => {
    const { client, last, warnings } = setup();
    last().handlers.open();
    const got: unknown[] = [];
    const off = client.on('domains.changed', (p) => got.push(p));
    last().serverSends({ t: 'evt', name: 'domains.changed', payload: { hostId: 'h1', cause: 'event' } });
    last().serverSends({ t: 'evt', name: 'domains.changed', payload: { hostId: 42 } }); // malformed: dropped
    last().serverSends({ t: 'evt', name: 'no.such.event', payload: {} });
    off();
    last().serverSends({ t: 'evt', name: 'domains.changed', payload: { hostId: 'h2', cause: 'action' } });
    expect(got).toEqual([{ hostId: 'h1', cause: 'event' }]);
    expect(warnings).toHaveLength(2);
  });

  it('checks stats ticks by hand (zod is too slow for 1000 samples) and still drops malformed ones', () => {
    const { client, last, warnings } = setup();
    last().handlers.open();
    const got: unknown[] = [];
    client.on('stats.tick', (p) => got.push(p));
    const tick = { hostId: 'h1', at: 1, intervalMs: 1000, hostCpus: 4, layout: 7, n: 1, uuids: null, cpu: [5], hostCpu: null, mem: null, memSource: null, diskRd: null, diskWr: null, netRx: null, netTx: null };
    last().serverSends({ t: 'evt', name: 'stats.tick', payload: tick });
    last().serverSends({ t: 'evt', name: 'stats.tick', payload: { ...tick, cpu: ['x'] } });
    expect(got).toEqual([tick]);
    expect(warnings).toHaveLength(1);
  });

  it('applies schema defaults to event payloads', () => {
    const { client, last } = setup();
    last().handlers.open();
    const got: unknown[] = [];
    client.on('prompts.ask', (p) => got.push(p));
    const ask = { kind: 'secret', promptId: 'p', hostId: 'h', purpose: 'password', message: 'pw:', canRemember: false };
    last().serverSends({ t: 'evt', name: 'prompts.ask', payload: ask });
    expect(got).toEqual([{ ...ask, echo: false }]);
  });

  it('keeps calling other listeners when one throws', () => {
    const { client, last } = setup();
    last().handlers.open();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    let called = false;
    client.on('hosts.changed', () => {
      throw new Error('boom');
    });
    client.on('hosts.changed', () => (called = true));
    last().serverSends({ t: 'evt', name: 'hosts.changed', payload: {} });
    expect(called).toBe(true);
    errors.mockRestore();
  });

  it('ignores garbage frames and responses to unknown ids', () => {
    const { last, warnings } = setup();
    last().handlers.open();
    last().handlers.message('not json');
    last().serverSends({ t: 'res', id: 99, ok: true, result: null });
    last().serverSends(['array']);
    expect(warnings).toHaveLength(3);
  });
});

describe('ws-client reconnect', () => {
  it('rejects in-flight and queued requests when the socket closes', async () => {
    const { client, last } = setup();
    last().handlers.open();
    const inFlight = client.request('hosts.list', {});
    last().handlers.close(1006, '');
    await expect(inFlight).rejects.toMatchObject({ code: 'disconnected' });

    vi.advanceTimersByTime(100);
    const queued = client.request('hosts.list', {});
    last().handlers.close(1006, 'refused');
    await expect(queued).rejects.toMatchObject({ code: 'disconnected', message: expect.stringContaining('refused') });
  });

  it('rejects requests at once while waiting to reconnect', async () => {
    const { client, last } = setup();
    last().handlers.close(1006, '');
    expect(client.getState().phase).toBe('waiting');
    await expect(client.request('hosts.list', {})).rejects.toMatchObject({ code: 'disconnected' });
  });

  it('backs off exponentially up to the maximum and resets after a successful open', () => {
    const { client, sockets, last } = setup();
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      last().handlers.close(1006, '');
      const s = client.getState();
      if (s.phase !== 'waiting') throw new Error('expected waiting');
      delays.push(s.retryAt);
      const before = sockets.length;
      vi.advanceTimersByTime(s.retryAt - 1);
      expect(sockets.length).toBe(before);
      vi.advanceTimersByTime(1);
      expect(sockets.length).toBe(before + 1);
    }
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000]);

    last().handlers.open();
    last().handlers.close(1006, '');
    expect(client.getState()).toEqual({ phase: 'waiting', attempt: 2, retryAt: 100 });
  });

  it('does not resend requests from a dropped socket and works again after reconnecting', async () => {
    const { client, last } = setup();
    last().handlers.open();
    const lost = client.request('hosts.list', {});
    last().handlers.close(1006, '');
    await expect(lost).rejects.toMatchObject({ code: 'disconnected' });
    vi.advanceTimersByTime(100);
    const p = client.request('hosts.list', {});
    last().handlers.open();
    expect(last().sent).toEqual([{ t: 'req', id: 2, name: 'hosts.list', args: {} }]);
    last().serverSends({ t: 'res', id: 2, ok: true, result: [] });
    await expect(p).resolves.toEqual([]);
  });

  it('reconnectNow skips the backoff', () => {
    const { client, sockets, last } = setup();
    last().handlers.close(1006, '');
    client.reconnectNow();
    expect(sockets).toHaveLength(2);
    expect(client.getState()).toEqual({ phase: 'connecting', attempt: 2 });
    vi.advanceTimersByTime(10_000); // the cancelled timer must not open a third socket
    expect(sockets).toHaveLength(2);
  });

  it('stops retrying when the server rejects the token', () => {
    const { client, sockets, last } = setup();
    last().handlers.close(unauthorizedCloseCode, 'bad token');
    expect(client.getState()).toEqual({ phase: 'unauthorized' });
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
  });

  it('ignores callbacks from a socket it has replaced', () => {
    const { client, sockets, last } = setup();
    const first = last();
    first.handlers.close(1006, '');
    client.reconnectNow();
    first.handlers.open(); // stale
    expect(client.getState().phase).toBe('connecting');
    expect(sockets).toHaveLength(2);
  });

  it('stop() closes the socket, rejects pending requests and never reconnects', async () => {
    const { client, sockets, last } = setup();
    last().handlers.open();
    const p = client.request('hosts.list', {});
    client.stop();
    await expect(p).rejects.toMatchObject({ code: 'cancelled' });
    expect(last().closedWith).toEqual({ code: 1000, reason: 'client stopped' });
    last().handlers.close(1000, ''); // the real socket reports its close later
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
    expect(client.getState()).toEqual({ phase: 'stopped' });
  });
});

describe('token handling', () => {
  it('splits the token off the query string and keeps other parameters', () => {
    expect(splitToken('?token=abc&x=1')).toEqual({ token: 'abc', rest: '?x=1' });
    expect(splitToken('?token=abc')).toEqual({ token: 'abc', rest: '' });
    expect(splitToken('')).toEqual({ token: null, rest: '' });
    expect(splitToken('?token=')).toEqual({ token: null, rest: '' });
  });

  it('builds the WebSocket URL for the page host and scheme', () => {
    expect(webSocketUrl({ protocol: 'http:', host: '127.0.0.1:8080' }, 'a b')).toBe('ws://127.0.0.1:8080/api/ws?token=a%20b');
    expect(webSocketUrl({ protocol: 'https:', host: 'x' }, null)).toBe('wss://x/api/ws');
  });
});
