import { EventEmitter } from 'node:events';
import type { Client } from 'ssh2';
import { describe, expect, it } from 'vitest';
import { SshTransport } from './ssh-transport';

/** A channel of a fake ssh2 client that records how it was ended. */
class FakeChannel extends EventEmitter {
  readonly stderr = Object.assign(new EventEmitter(), { resume() {} });
  signals: string[] = [];
  closed = false;
  signal(name: string) {
    this.signals.push(name);
  }
  close() {
    this.closed = true;
  }
  destroy() {}
  resume() {}
}

describe('SSH exec channels', () => {
  it('hangs up a channel whose open completes after the transport was closed', async () => {
    let open: ((err: Error | undefined, ch: FakeChannel) => void) | undefined;
    const client = { exec: (_cmd: string, cb: (err: Error | undefined, ch: FakeChannel) => void) => (open = cb) } as unknown as Client;
    const transport = new SshTransport(client);
    const spawning = transport.spawn(['virsh', 'event', '--all', '--loop']);
    await new Promise((r) => setImmediate(r));
    expect(open).toBeDefined();
    transport.close(); // the connection went away while the server was still opening the channel
    const channel = new FakeChannel();
    open!(undefined, channel);
    await expect(spawning).rejects.toMatchObject({ code: 'disconnected' });
    expect(channel.signals).toEqual(['TERM']);
    expect(channel.closed).toBe(true);
  });
});
