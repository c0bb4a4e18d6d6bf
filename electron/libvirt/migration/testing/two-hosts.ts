/**
 * The migration tests' two hosts, both reached by a real Backend over SSH: A is the shared test
 * host (qemu:///system, sshd 127.0.0.1:2222), B the private host (127.0.0.2:2223, its own
 * libvirtd in its own mount namespace). Guests are copies of the test guest named
 * `vd-test-migl-*`; removeEverywhere() takes them off both hosts.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectOverSsh, type Harness } from '../../../../e2e/support/backend-harness';
import { guestXmlAs, privateHostPath, privateVirsh, type GuestId, type PrivateHost } from '../../../../e2e/support/private-host';
import type { TestHost } from '../../../../e2e/support/test-host';
import { TestPeer } from '../../../consoles/test-peer';

export const virshA = (...a: string[]) => spawnSync('virsh', ['-c', 'qemu:///system', ...a], { encoding: 'utf8' });

/** Connects A and B in the harness; returns their connection ids. */
export async function connectBoth(h: Harness, th: TestHost, b: PrivateHost): Promise<{ a: string; b: string }> {
  const a = await connectOverSsh(h, th);
  const uri = `qemu+ssh://${b.SSH_USER}@${b.SSH_HOST}:${b.SSH_PORT}/system`;
  const id = (await h.call('hosts.save', { connection: { name: 'host B', uri, ssh: { auth: 'key', keyFile: b.SSH_KEY } } })).config.id;
  await h.call('hosts.connect', { hostId: id });
  return { a, b: id };
}

export const serialLog = (name: string) => `/var/log/libvirt/qemu/${name}-serial.log`;
export const readLog = (file: string) => {
  try {
    return readFileSync(file, 'latin1').replace(/\r/g, '');
  } catch {
    return '';
  }
};
export const logOn = (where: 'A' | PrivateHost, name: string) => readLog(where === 'A' ? serialLog(name) : privateHostPath(where, serialLog(name)));

/** Defines (and starts) a copy of the test guest on A; `edit` changes its XML first. */
export function defineOnA(th: TestHost, g: GuestId, dir: string, edit: (xml: string) => string = (x) => x, start = true): void {
  removeEverywhere(g);
  const file = join(dir, `${g.name}.xml`);
  writeFileSync(file, edit(guestXmlAs(th, g)));
  const d = virshA('define', '--file', file);
  if (d.status !== 0) throw new Error(`define ${g.name}: ${d.stderr}`);
  if (start) {
    const s = virshA('start', '--domain', g.uuid);
    if (s.status !== 0) throw new Error(`start ${g.name}: ${s.stderr}`);
  }
}

export function removeEverywhere(g: GuestId, b?: PrivateHost): void {
  for (const run of [virshA, ...(b ? [(...a: string[]) => privateVirsh(b, ...a)] : [])]) {
    if (run('dominfo', '--domain', g.uuid).status !== 0) continue;
    run('destroy', '--domain', g.uuid);
    run('undefine', '--domain', g.uuid, '--nvram');
  }
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

/** The highest `VDCNT-n` the guest's counter printed in this text. */
export function lastCount(text: string): number {
  let max = -1;
  for (const m of text.matchAll(/VDCNT-(\d+)/g)) max = Math.max(max, Number(m[1]));
  return max;
}
