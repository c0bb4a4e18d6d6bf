import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, connectOverSsh } from '../../e2e/support/backend-harness';
import { resetGuest, testHost } from '../../e2e/support/test-host';
import { HIGH_WATER, MAX_CHUNK } from './flow-control';
import { TestPeer } from './test-peer';
import { until } from '../../e2e/support/until';

const th = testHost();
const UUID = '5d7e57a1-0000-4e2e-8d0c-7e57c0ffee01';
const virsh = (...a: string[]) => spawnSync('virsh', ['-c', 'qemu:///system', ...a], { encoding: 'utf8' });
const serialLog = () => readFileSync('/var/log/libvirt/qemu/vd-test-guest-serial.log', 'latin1').replace(/\r/g, '');

describe('consoles against the real test host', () => {
  let h: Harness;
  let ssh: string;
  let local: string;
  beforeAll(async () => {
    resetGuest(th);
    h = await startHarness();
    h.answerPrompts(() => ({ accept: true }));
    ssh = await connectOverSsh(h, th);
    local = await h.backend.ensureConnection('qemu:///system');
    await h.call('domains.action', { hostId: ssh, uuids: [UUID], action: 'start' });
    await until(() => serialLog().includes(th.GUEST_BANNER), 90_000, 'the guest banner');
  });
  afterAll(() => {
    h?.close();
    resetGuest(th);
  });

  const openSerial = async (hostId: string) => {
    const opened = await h.call('consoles.openSerial', { hostId, uuid: UUID, rows: 24, cols: 80 });
    const peer = new TestPeer();
    peer.input = h.backend.consoles.claim(opened.ticket)!(peer);
    return { ...opened, peer };
  };

  it('finds the VNC display in the live XML, matching virsh domdisplay', async () => {
    const info = await h.call('consoles.vncInfo', { hostId: ssh, uuid: UUID });
    expect(info).toMatchObject({ name: th.GUEST_NAME, state: 'running', status: 'vnc', serials: ['serial0'] });
    expect(info.endpoint).toMatchObject({ kind: 'tcp', host: '127.0.0.1' });
    expect(info.display).toBe(`vnc://127.0.0.1:${(info.endpoint as { port: number }).port - 5900}`);
  });

  for (const where of ['ssh', 'local'] as const) {
    it(`a serial console over ${where} runs commands, resizes, and detaches so virsh can attach again`, async () => {
      const { consoleId, peer } = await openSerial(where === 'ssh' ? ssh : local);
      await peer.until(() => peer.text().includes('Escape character is'), 10_000, 'virsh banner');
      peer.type('echo $((6*7))\r');
      await peer.until(() => /\n42\n/.test(peer.text()), 10_000, '42');
      await h.call('consoles.serialResize', { consoleId, rows: 30, cols: 100 });
      await h.call('consoles.close', { consoleId });
      await peer.until(() => peer.closedNow, 5000, 'channel close');
      // Released: a plain virsh can take the console without --force.
      await until(async () => {
        const r = spawnSync('timeout', ['-s', 'KILL', '3', 'script', '-qc', `virsh -c qemu:///system console ${th.GUEST_NAME}`, '/dev/null'], { encoding: 'utf8', input: '\x1d' });
        return !/already in use|active console session/i.test(r.stdout + r.stderr);
      }, 10_000, 'the console to be released');
    });
  }

  it('a one-time ticket cannot be claimed twice', async () => {
    const { ticket, consoleId, peer } = await openSerial(ssh);
    expect(h.backend.consoles.claim(ticket)).toBeUndefined();
    expect(h.backend.consoles.claim('made-up')).toBeUndefined();
    await h.call('consoles.close', { consoleId });
    await peer.until(() => peer.closedNow, 5000, 'close');
  });

  // The TCG guest's UART writes ~26 KB/s, so "megabytes" is 1.5 MB here: enough to fill the
  // 512 KB window three times over.
  it('a guest flooding its serial console is paused by flow control: bounded memory, responsive backend', { timeout: 330_000 }, async () => {
    const { consoleId, peer } = await openSerial(ssh);
    peer.autoAck = false; // a renderer that has stopped consuming
    await peer.until(() => peer.text().includes('Escape character is'), 10_000, 'virsh banner');
    peer.type('yes VIRTDECK-FLOOD-0123456789abcdef | head -c 1500000; echo FLOOD-DONE\r');
    let maxInFlight = 0;
    let maxLag = 0;
    const rssBefore = process.memoryUsage().rss;
    const sample = async () => {
      const t0 = Date.now();
      await new Promise((r) => setTimeout(r, 20));
      maxLag = Math.max(maxLag, Date.now() - t0 - 20);
      maxInFlight = Math.max(maxInFlight, h.backend.consoles.inFlight(consoleId) ?? 0);
      if (peer.chunks.length > 50) peer.chunks.splice(0, peer.chunks.length - 50); // a bounded scrollback
    };
    // 1. Nothing is acknowledged: output stops at the high-water mark.
    const deadline = Date.now() + 60_000;
    while ((h.backend.consoles.inFlight(consoleId) ?? 0) < HIGH_WATER) {
      if (Date.now() > deadline) throw new Error(`window never filled; received ${peer.received}: ${JSON.stringify(peer.text().slice(-400))}`);
      await sample();
    }
    const atPause = peer.received;
    for (let i = 0; i < 100; i++) await sample(); // ~2 s
    expect(peer.received - atPause).toBeLessThanOrEqual(MAX_CHUNK);
    // 2. The renderer catches up: acks resume the flow until the flood is done.
    peer.input.control({ t: 'ack', bytes: peer.received });
    peer.autoAck = true;
    const done = Date.now() + 240_000; // ~60 s idle; a TCG guest on a loaded 2-core box is several times slower
    while (!peer.text().includes('\nFLOOD-DONE')) {
      if (Date.now() > done) throw new Error(`flood did not finish; received ${peer.received} bytes`);
      await sample();
    }
    expect(peer.received).toBeGreaterThan(1_500_000);
    expect(maxInFlight).toBeLessThanOrEqual(HIGH_WATER + MAX_CHUNK);
    // Generous: the point is that a flood never starves the event loop, even on a loaded 2-core CI box.
    expect(maxLag).toBeLessThan(1500);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);
    await h.call('consoles.close', { consoleId });
  });

  it('a VNC console over SSH speaks RFB, and comes back by itself after the VM is stopped and started', async () => {
    const opened = await h.call('consoles.openVnc', { hostId: ssh, uuid: UUID });
    const peer = new TestPeer();
    peer.input = h.backend.consoles.claim(opened.ticket)!(peer);
    await peer.until(() => peer.text().startsWith('RFB 003.008'), 10_000, 'RFB greeting');
    const closed = h.next('consoles.closed', (e) => e.consoleId === opened.consoleId, 30_000);
    const restarted = h.next('consoles.vncRestart', (e) => e.consoleId === opened.consoleId, 60_000);
    await h.call('domains.action', { hostId: ssh, uuids: [UUID], action: 'destroy' });
    expect((await closed).reason).toBe('vm-stopped');
    expect(peer.controls.at(-1)).toEqual({ t: 'closed', reason: 'vm-stopped' });
    await h.call('domains.action', { hostId: ssh, uuids: [UUID], action: 'start' });
    await restarted;
    const again = await h.call('consoles.openVnc', { hostId: ssh, uuid: UUID, consoleId: opened.consoleId });
    expect(again.consoleId).toBe(opened.consoleId);
    const peer2 = new TestPeer();
    peer2.input = h.backend.consoles.claim(again.ticket)!(peer2);
    await peer2.until(() => peer2.text().startsWith('RFB 003.008'), 10_000, 'RFB greeting after restart');
    await h.call('consoles.close', { consoleId: opened.consoleId });
  });

  it('switches a SPICE VM to VNC (persistent XML, effective after start) and undoes it', async () => {
    const name = 'vd-test-consoles-spice';
    const uuid = '5d7e57a1-0000-4e2e-8d0c-7e57c0ffee77';
    const xml = readFileSync(join(__dirname, 'fixtures', 'spice-inactive.xml'), 'utf8')
      .replace(/<name>[^<]*<\/name>/, `<name>${name}</name>`)
      .replace(/<uuid>[^<]*<\/uuid>/, `<uuid>${uuid}</uuid>`);
    await h.backend.hosts.get(ssh).run(['virsh', 'define', '/dev/stdin'], { stdin: xml });
    try {
      expect((await h.call('consoles.vncInfo', { hostId: ssh, uuid })).status).toBe('spice');
      await expect(h.call('consoles.openVnc', { hostId: ssh, uuid })).rejects.toThrow(/SPICE/);
      const after = await h.call('consoles.switchToVnc', { hostId: ssh, uuid });
      expect(after).toMatchObject({ status: 'off', canUndoSwitch: true });
      expect(virsh('dumpxml', '--inactive', '--security-info', name).stdout).toMatch(/<graphics type='vnc'[^>]*passwd='s3cret'/);
      const undone = await h.call('consoles.undoSwitchToVnc', { hostId: ssh, uuid });
      expect(undone).toMatchObject({ status: 'spice', canUndoSwitch: false });
    } finally {
      virsh('undefine', name);
    }
  });
});
