/**
 * The migration tests' virsh-only helpers for host A and the private host B (guests are copies
 * of the test guest). Apart from two-hosts.ts so Playwright specs can use them: the Backend
 * harness pulls in ESM-only packages that Playwright's CommonJS loader cannot import.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { guestXmlAs, privateHostPath, privateVirsh, type GuestId, type PrivateHost } from '../../../../e2e/support/private-host';
import type { TestHost } from '../../../../e2e/support/test-host';

export const virshA = (...a: string[]) => spawnSync('virsh', ['-c', 'qemu:///system', ...a], { encoding: 'utf8' });

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

/** The highest `VDCNT-n` the guest's counter printed in this text. */
export function lastCount(text: string): number {
  let max = -1;
  for (const m of text.matchAll(/VDCNT-(\d+)/g)) max = Math.max(max, Number(m[1]));
  return max;
}
