/**
 * `vd-test-details`: a copy of the provisioned test guest for the details tests (integration and
 * e2e), so they can change vCPUs, memory and devices without disturbing other tests that use
 * `vd-test-guest` at the same time. Same kernel, initramfs and devices; its own name, UUID, MAC
 * and serial log. provision.sh removes any `vd-test-*` domain left behind.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestHost } from '../../../e2e/support/test-host';

export const CLONE_NAME = 'vd-test-details';
export const CLONE_UUID = '5d7e57a1-0000-4e2e-8d0c-7e57c0ffee42';
const CLONE_MAC = '52:54:00:7e:57:42';

/** Which copy: tests that run in parallel (vitest runs files at once) each use their own. */
export interface CloneId {
  name: string;
  uuid: string;
  mac: string;
}
export const DETAILS_CLONE: CloneId = { name: CLONE_NAME, uuid: CLONE_UUID, mac: CLONE_MAC };
/** The hardware-editor integration tests' copy. */
export const HARDWARE_CLONE: CloneId = { name: 'vd-test-hw', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ff0aa1', mac: '52:54:00:7e:57:a1' };

const virsh = (...a: string[]) => spawnSync('virsh', ['-c', 'qemu:///system', ...a], { encoding: 'utf8' });

export const cloneSerialLog = (c: CloneId = DETAILS_CLONE) => `/var/log/libvirt/qemu/${c.name}-serial.log`;

/** The test guest's definition renamed to the copy: its own name, UUID, MAC and serial log. */
export function cloneXmlOf(th: TestHost, c: CloneId): string {
  const src = virsh('dumpxml', '--inactive', '--security-info', '--domain', th.GUEST_NAME);
  if (src.status !== 0) throw new Error(`cannot read ${th.GUEST_NAME}: ${src.stderr}`);
  const mac = /<mac address='([0-9a-f:]+)'\/>/.exec(src.stdout)?.[1];
  const uuid = /<uuid>([^<]+)<\/uuid>/.exec(src.stdout)?.[1];
  let xml = src.stdout.replace(`<name>${th.GUEST_NAME}</name>`, `<name>${c.name}</name>`).replace(`<uuid>${uuid}</uuid>`, `<uuid>${c.uuid}</uuid>`);
  if (mac) xml = xml.replace(`<mac address='${mac}'/>`, `<mac address='${c.mac}'/>`);
  return xml.replaceAll(`${th.GUEST_NAME}-serial.log`, `${c.name}-serial.log`);
}

/** `virsh define --validate` of a domain XML (through a private temp file). */
export function defineValidated(name: string, xml: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'vd-clone-'));
  try {
    writeFileSync(join(dir, 'domain.xml'), xml);
    const def = virsh('define', '--file', join(dir, 'domain.xml'), '--validate');
    if (def.status !== 0) throw new Error(`cannot define ${name}: ${def.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** (Re)defines the copy, shut off, and returns its definition as libvirt stores it. */
export function cloneTestGuest(th: TestHost, c: CloneId = DETAILS_CLONE): string {
  removeClone(c);
  defineValidated(c.name, cloneXmlOf(th, c));
  return virsh('dumpxml', '--inactive', '--security-info', '--domain', c.uuid).stdout;
}

export function removeClone(c: CloneId = DETAILS_CLONE): void {
  if (virsh('dominfo', '--domain', c.uuid).status !== 0) return;
  virsh('destroy', '--domain', c.uuid);
  virsh('managedsave-remove', '--domain', c.uuid);
  if (virsh('undefine', '--domain', c.uuid, '--nvram').status !== 0) virsh('undefine', '--domain', c.uuid);
}
