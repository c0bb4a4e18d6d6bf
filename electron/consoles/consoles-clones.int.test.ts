/**
 * Consoles of VMs set up unlike the shared test guest (own clones, `vd-test-cons-*`): a display
 * on a unix socket (reached directly on the local host, a clear error over SSH where the socket
 * is root's), a VNC password (remembered only by a persistent secret store), two serial ports.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, connectOverSsh } from '../../e2e/support/backend-harness';
import { testHost } from '../../e2e/support/test-host';
import { MemorySecretStore } from '../core/adapters';
import { PASSWORD_CLONE, SOCKET_CLONE, defineConsoleClone, readSerialLog, removeConsoleClone, startConsoleClone } from './testing/console-clones';
import { TestPeer } from './test-peer';
import { until } from '../../e2e/support/until';

const th = testHost();


describe('consoles of VMs with a socket display, a VNC password, two serial ports', () => {
  let h: Harness;
  let ssh: string;
  let local: string;
  const secrets = new MemorySecretStore(true);
  beforeAll(async () => {
    for (const c of [SOCKET_CLONE, PASSWORD_CLONE]) {
      defineConsoleClone(th, c);
      startConsoleClone(c);
    }
    h = await startHarness({ secrets });
    h.answerPrompts(() => ({ accept: true }));
    ssh = await connectOverSsh(h, th);
    local = await h.backend.ensureConnection('qemu:///system');
  }, 120_000);
  afterAll(() => {
    h?.close();
    removeConsoleClone(SOCKET_CLONE);
    removeConsoleClone(PASSWORD_CLONE);
  });

  const openVnc = async (hostId: string, uuid: string) => {
    const opened = await h.call('consoles.openVnc', { hostId, uuid });
    const peer = new TestPeer();
    peer.input = h.backend.consoles.claim(opened.ticket)!(peer);
    return { ...opened, peer };
  };

  it('a unix-socket display is found in the live XML and reached directly on the local host', async () => {
    const info = await h.call('consoles.vncInfo', { hostId: local, uuid: SOCKET_CLONE.uuid });
    expect(info.status).toBe('vnc');
    expect(info.endpoint).toMatchObject({ kind: 'unix', path: expect.stringMatching(/vnc\.sock$/) });
    expect(info.display).toBe(`vnc+unix://${(info.endpoint as { path: string }).path}`);
    const { consoleId, peer } = await openVnc(local, SOCKET_CLONE.uuid);
    await peer.until(() => peer.text().startsWith('RFB 003.008'), 10_000, 'RFB greeting over the socket');
    await h.call('consoles.close', { consoleId });
  });

  it('over SSH, a socket the SSH user cannot open ends the console with a message that says why', async () => {
    const { consoleId, peer } = await openVnc(ssh, SOCKET_CLONE.uuid);
    await peer.until(() => peer.closedNow, 15_000, 'the channel to close');
    const closed = peer.controls.at(-1);
    expect(closed).toMatchObject({ t: 'closed', reason: 'error' });
    expect((closed as { message: string }).message).toMatch(/vnc\.sock/);
    expect((closed as { message: string }).message).toMatch(/cannot open the display's socket/);
    await h.call('consoles.close', { consoleId });
  });

  it('a password display asks for VNC authentication; a remembered password comes with the next open and can be forgotten', async () => {
    const { consoleId, peer } = await openVnc(ssh, PASSWORD_CLONE.uuid);
    await peer.until(() => peer.received >= 12, 10_000, 'RFB greeting');
    peer.type('RFB 003.008\n');
    // Security types: count, then the types; 2 is VNC authentication (and no 1 = none).
    await peer.until(() => peer.received >= 14, 10_000, 'security types');
    const types = [...Buffer.concat(peer.chunks).subarray(13, 13 + Buffer.concat(peer.chunks)[12]!)];
    expect(types).toContain(2);
    expect(types).not.toContain(1);
    await h.call('consoles.close', { consoleId });

    expect((await h.call('consoles.openVnc', { hostId: ssh, uuid: PASSWORD_CLONE.uuid })).password).toBeUndefined();
    await h.call('consoles.rememberVncPassword', { hostId: ssh, uuid: PASSWORD_CLONE.uuid, password: PASSWORD_CLONE.vncPassword! });
    const again = await h.call('consoles.openVnc', { hostId: ssh, uuid: PASSWORD_CLONE.uuid });
    expect(again.password).toBe(PASSWORD_CLONE.vncPassword);
    // Per VM and per host: the same VM on the local connection has nothing remembered.
    expect((await h.call('consoles.openVnc', { hostId: local, uuid: PASSWORD_CLONE.uuid })).password).toBeUndefined();
    await h.call('consoles.rememberVncPassword', { hostId: ssh, uuid: PASSWORD_CLONE.uuid, password: null });
    expect((await h.call('consoles.openVnc', { hostId: ssh, uuid: PASSWORD_CLONE.uuid })).password).toBeUndefined();
    expect(secrets.values.size).toBe(0);
  });

  it('lists both serial ports, and attaches to the one asked for', async () => {
    const info = await h.call('consoles.vncInfo', { hostId: ssh, uuid: PASSWORD_CLONE.uuid });
    expect(info.serials).toEqual(['serial0', 'serial1']);
    await until(() => readSerialLog(PASSWORD_CLONE.name).includes(th.GUEST_BANNER), 90_000, 'the guest banner');
    const opened = await h.call('consoles.openSerial', { hostId: ssh, uuid: PASSWORD_CLONE.uuid, devname: 'serial0', rows: 24, cols: 80 });
    const peer = new TestPeer();
    peer.input = h.backend.consoles.claim(opened.ticket)!(peer);
    const second = await h.call('consoles.openSerial', { hostId: ssh, uuid: PASSWORD_CLONE.uuid, devname: 'serial1', rows: 24, cols: 80 });
    const peer1 = new TestPeer();
    peer1.input = h.backend.consoles.claim(second.ticket)!(peer1);
    await peer.until(() => peer.text().includes('Escape character is'), 10_000, 'virsh banner');
    await peer1.until(() => peer1.text().includes('Escape character is'), 10_000, 'virsh banner on serial1');
    // The shell on ttyS0 writes to ttyS1: it shows on the serial1 console only.
    peer.type('echo VD-SERIAL1-$((6*7)) > /dev/ttyS1\r');
    await peer1.until(() => peer1.text().includes('VD-SERIAL1-42'), 10_000, 'the line on serial1');
    await h.call('consoles.close', { consoleId: opened.consoleId });
    await h.call('consoles.close', { consoleId: second.consoleId });
  });
});
