/**
 * The migration tests' two hosts, both reached by a real Backend over SSH: A is the shared test
 * host (qemu:///system, sshd 127.0.0.1:2222), B the private host (127.0.0.2:2223, its own
 * libvirtd in its own mount namespace). Guests are copies of the test guest named
 * `vd-test-migl-*`; removeEverywhere() takes them off both hosts.
 */
import { connectOverSsh, type Harness } from '../../../../e2e/support/backend-harness';
import type { PrivateHost } from '../../../../e2e/support/private-host';
import type { TestHost } from '../../../../e2e/support/test-host';
import { TestPeer } from '../../../consoles/test-peer';

export { defineOnA, lastCount, logOn, readLog, removeEverywhere, serialLog, virshA } from './two-hosts-virsh';

/** Connects A and B in the harness; returns their connection ids. */
export async function connectBoth(h: Harness, th: TestHost, b: PrivateHost): Promise<{ a: string; b: string }> {
  const a = await connectOverSsh(h, th);
  const uri = `qemu+ssh://${b.SSH_USER}@${b.SSH_HOST}:${b.SSH_PORT}/system`;
  const id = (await h.call('hosts.save', { connection: { name: 'host B', uri, ssh: { auth: 'key', keyFile: b.SSH_KEY } } })).config.id;
  await h.call('hosts.connect', { hostId: id });
  return { a, b: id };
}

/** Types `cmd` on the VM's serial shell (through the backend's console) and waits for `expectText`. */
export async function serialShell(h: Harness, hostId: string, uuid: string, cmd: string, expectText: string | RegExp): Promise<string> {
  const opened = await h.call('consoles.openSerial', { hostId, uuid, devname: 'serial0', rows: 24, cols: 200 });
  const peer = new TestPeer();
  peer.input = h.backend.consoles.claim(opened.ticket)!(peer);
  try {
    await peer.until(() => peer.text().includes('Escape character is'), 15_000, 'virsh console banner');
    peer.type(`\r${cmd}\r`);
    const seen = () => (typeof expectText === 'string' ? peer.text().includes(expectText) : expectText.test(peer.text()));
    await peer.until(seen, 30_000, `${String(expectText)} on the serial console`);
    return peer.text();
  } finally {
    await h.call('consoles.close', { consoleId: opened.consoleId });
  }
}

