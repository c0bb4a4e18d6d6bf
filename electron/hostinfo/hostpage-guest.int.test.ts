/**
 * The host page's CPU graph follows the guests: while a copy of the test guest (TCG) spins on
 * its serial shell, the sampler's host CPU % rises above what it read before. One short boot of
 * `vd-test-hostcpu`, destroyed and undefined afterwards.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostSample } from '../../shared/model/hostinfo';
import { startHarness, type Harness } from '../../e2e/support/backend-harness';
import { testHost } from '../../e2e/support/test-host';
import { until } from '../../e2e/support/until';
import { TestPeer } from '../consoles/test-peer';
import { cloneSerialLog, cloneTestGuest, removeClone, type CloneId } from '../libvirt/testing/details-guest';

const th = testHost();
const CLONE: CloneId = { name: 'vd-test-hostcpu', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ffee61', mac: '52:54:00:7e:57:61' };
const serialLog = () => {
  try {
    return readFileSync(cloneSerialLog(CLONE), 'latin1');
  } catch {
    return '';
  }
};

describe('the host CPU graph while a guest spins', () => {
  let h: Harness;
  let id = '';
  const samples: HostSample[] = [];
  beforeAll(async () => {
    cloneTestGuest(th, CLONE);
    h = await startHarness();
    id = await h.backend.ensureConnection('qemu:///system');
    h.backend.onEvent((name, p) => {
      if (name === 'hostpage.sample' && (p as HostSample).hostId === id) samples.push(p as HostSample);
    });
  }, 60_000);
  afterAll(() => {
    h?.close();
    removeClone(CLONE);
  });

  it('rises above its level before once the guest runs a busy loop on its shell', async () => {
    await h.call('domains.action', { hostId: id, uuids: [CLONE.uuid], action: 'start' });
    await until(() => serialLog().includes(th.GUEST_BANNER), 120_000, 'the guest banner');
    const client = { id: 'page-guest-spin' };
    await h.backend.handle('hostpage.watch', { hostId: id }, client);
    // The level before: the booted guest idles on its shell.
    await until(() => samples.filter((s) => s.cpuPct !== null).length >= 4, 30_000, 'samples before the spin');
    const before = samples.filter((s) => s.cpuPct !== null).slice(-3).map((s) => s.cpuPct!);
    const level = before.reduce((a, b) => a + b, 0) / before.length;

    const opened = await h.call('consoles.openSerial', { hostId: id, uuid: CLONE.uuid, rows: 24, cols: 80 });
    const peer = new TestPeer();
    peer.input = h.backend.consoles.claim(opened.ticket)!(peer);
    await peer.until(() => peer.text().includes('Escape character is'), 10_000, 'virsh banner');
    peer.type('while :; do :; done &\r');
    const from = samples.length;
    await until(() => samples.length >= from + 4, 30_000, 'samples during the spin');
    const during = samples.slice(from + 1).map((s) => s.cpuPct ?? 0);
    const peak = Math.max(...during);
    console.log(`[hostpage guest] host CPU ${level.toFixed(0)}% before, peak ${peak.toFixed(0)}% while the guest spins (${during.map((p) => p.toFixed(0)).join(', ')})`);
    // One TCG vCPU busy is about one host CPU of two: well above an idle guest.
    expect(peak).toBeGreaterThan(level + 20);
    await h.call('consoles.close', { consoleId: opened.consoleId });
    await h.backend.handle('hostpage.unwatch', { hostId: id }, client);
  }, 240_000);
});
