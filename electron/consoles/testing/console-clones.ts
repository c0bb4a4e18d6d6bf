/**
 * Copies of the provisioned test guest for the console tests (`vd-test-cons-*`), so they can
 * use a VNC password, a second serial port or a unix-socket display without disturbing the
 * tests that share `vd-test-guest`. Same kernel and initramfs (tty1 and ttyS0 run root shells);
 * own name, UUID, MAC and serial logs. provision.sh removes any `vd-test-*` domain left behind.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { TestHost } from '../../../e2e/support/test-host';
import { cloneXmlOf, defineValidated } from '../../libvirt/testing/details-guest';

export interface ConsoleClone {
  name: string;
  uuid: string;
  mac: string;
  /** `<graphics type='vnc' passwd='…'>` */
  vncPassword?: string;
  /** A second serial port (serial1, its own log file). */
  secondSerial?: boolean;
  /** `<listen type='socket'/>` instead of a TCP listen address. */
  socketListen?: boolean;
}

export const PASSWORD_CLONE: ConsoleClone = { name: 'vd-test-cons-pw', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ffee51', mac: '52:54:00:7e:57:51', vncPassword: 'vdvncpw1', secondSerial: true };
/** The console benchmark's guest (it redraws tty1 non-stop: not something to do to a shared guest). */
export const BENCH_CLONE: ConsoleClone = { name: 'vd-test-cons-bench', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ffee53', mac: '52:54:00:7e:57:53' };
export const SOCKET_CLONE: ConsoleClone = { name: 'vd-test-cons-sock', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ffee52', mac: '52:54:00:7e:57:52', socketListen: true };

const virsh = (...a: string[]) => spawnSync('virsh', ['-c', 'qemu:///system', ...a], { encoding: 'utf8' });

export const serialLogOf = (name: string, port = 0) => `/var/log/libvirt/qemu/${name}-serial${port === 0 ? '' : port}.log`;

/** What the guest wrote on that serial port since its last start ('' before the first). */
export function readSerialLog(name: string, port = 0): string {
  try {
    return readFileSync(serialLogOf(name, port), 'latin1').replace(/\r/g, '');
  } catch {
    return '';
  }
}

/** (Re)defines the copy, shut off. */
export function defineConsoleClone(th: TestHost, c: ConsoleClone): void {
  removeConsoleClone(c);
  let xml = cloneXmlOf(th, c);
  xml = xml.replace(/<graphics type='vnc'[\s\S]*?<\/graphics>/, () => {
    const pw = c.vncPassword ? ` passwd='${c.vncPassword}'` : '';
    return c.socketListen
      ? `<graphics type='vnc'${pw}><listen type='socket'/></graphics>`
      : `<graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1'${pw}><listen type='address' address='127.0.0.1'/></graphics>`;
  });
  if (c.secondSerial) {
    const second = `<serial type='pty'><log file='${serialLogOf(c.name, 1)}' append='off'/><target type='isa-serial' port='1'><model name='isa-serial'/></target></serial>`;
    xml = xml.replace('<console ', `${second}\n    <console `);
  }
  defineValidated(c.name, xml);
}

export function startConsoleClone(c: ConsoleClone): void {
  const r = virsh('start', '--domain', c.uuid);
  if (r.status !== 0) throw new Error(`cannot start ${c.name}: ${r.stderr}`);
}

export function removeConsoleClone(c: ConsoleClone): void {
  if (virsh('dominfo', '--domain', c.uuid).status !== 0) return;
  virsh('destroy', '--domain', c.uuid);
  virsh('managedsave-remove', '--domain', c.uuid);
  virsh('undefine', '--domain', c.uuid);
}
