/**
 * The PXE integration tests' world, shared by the local and the SSH test: a TFTP root in a temp
 * folder (PXELINUX from debian-installer-12-netboot-amd64, the test kernel and initramfs), the
 * PXE VM's spec, and the boot that both tests watch on serial (PXELINUX banner, kernel over TFTP,
 * the phase's end, the final configuration booting the disk).
 */
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { NewVmSpecInput } from '../../../../shared/model/newvm';
import type { Harness } from '../../../../e2e/support/backend-harness';
import { NETBOOT } from './install-tree-server';
import { serialConsole, virsh, type NewVmEnv, type TestPool } from './new-vm-env';

/** PXELINUX's banner: printed again on ttyS0 once its config's first line (`serial 0 115200`) moved it there. */
export const PXE_LINE = 'PXELINUX 6.';

export interface TftpRoot {
  /** The temp folder holding the root (the root's parent: it must be searchable by dnsmasq too). */
  dir: string;
  /** The TFTP root: its name has a space. */
  tftp: string;
  remove(): void;
}

/** A TFTP root readable by everyone: dnsmasq serves TFTP as nobody, and the SSH test user stats it. */
export function makeTftpRoot(env: NewVmEnv, tag: string): TftpRoot {
  const dir = mkdtempSync(join(tmpdir(), `vd-netinst-pxe-${tag}-`));
  const tftp = join(dir, 'tftp root');
  mkdirSync(join(tftp, 'pxelinux.cfg'), { recursive: true });
  copyFileSync(`${NETBOOT}/pxelinux.0`, join(tftp, 'pxelinux.0'));
  copyFileSync(`${NETBOOT}/ldlinux.c32`, join(tftp, 'ldlinux.c32'));
  copyFileSync(env.KERNEL, join(tftp, 'vmlinuz'));
  copyFileSync(env.INITRD, join(tftp, 'initrd.img'));
  // PXELINUX writes to serial only after a `serial` line, which must come first.
  writeFileSync(join(tftp, 'pxelinux.cfg', 'default'), `serial 0 115200\ndefault vdtest\nprompt 0\ntimeout 1\nlabel vdtest\n  kernel vmlinuz\n  append initrd=initrd.img console=ttyS0\n`);
  // mkdtemp makes 0700 and copies keep the umask: readable by everyone, down from the temp folder.
  for (const p of [dir, tftp, join(tftp, 'pxelinux.cfg')]) chmodSync(p, 0o755);
  for (const f of ['pxelinux.0', 'ldlinux.c32', 'vmlinuz', 'initrd.img', 'pxelinux.cfg/default']) chmodSync(join(tftp, f), 0o644);
  return { dir, tftp, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function removeNetworks(names: readonly string[]): void {
  for (const n of names) {
    virsh('net-destroy', '--network', n);
    virsh('net-undefine', '--network', n);
  }
}

export const pxeSpec = (name: string, pool: TestPool, network: string): NewVmSpecInput => ({
  name,
  source: { kind: 'pxe' },
  osId: 'generic',
  memoryMiB: 256,
  vcpus: 1,
  storage: { kind: 'existing', volume: { type: 'volume', poolUuid: pool.uuid, name: 'disk image.img' }, format: 'raw' },
  network: { kind: 'network', network },
  domainType: 'qemu',
  machine: 'pc',
});

/**
 * Plans and creates the PXE VM through the backend on `hostId`, then watches it on serial:
 * PXELINUX, the test kernel loaded over TFTP, the phase's end once the install phase stops, and
 * the final configuration (no network boot) booting the disk. Returns the measured times in ms.
 */
export async function createAndBootPxeVm(h: Harness, hostId: string, env: NewVmEnv, spec: NewVmSpecInput): Promise<{ pxelinux: number; kernel: number; final: number }> {
  const plan = await h.call('newvm.plan', { hostId, spec });
  expect(plan.problems).toEqual([]);
  expect(plan.sourceNotes).toEqual([]);
  expect(plan.xml).toMatch(/<boot dev='network'\/>\s*<boot dev='hd'\/>/);
  expect(plan.finalXml).not.toContain("<boot dev='network'/>");
  expect(plan.virtInstall).toContain('--pxe');
  const created = await h.call('newvm.create', { hostId, spec: { ...spec, uuid: plan.uuid } });
  expect(created.phase).toBe('installing');
  const con = serialConsole(created.uuid);
  let pxelinux: number;
  let kernel: number;
  try {
    pxelinux = await con.until(PXE_LINE, 240_000);
    kernel = await con.until(env.GUEST_BANNER, 240_000);
    expect(con.output()).toMatch(/Loading vmlinuz\.\.\. ?ok/);
  } finally {
    con.close();
  }
  const ended = h.next('newvm.phase', (p) => p.uuid === created.uuid, 120_000);
  expect(virsh('destroy', '--domain', created.uuid).status).toBe(0);
  expect(await ended).toMatchObject({ phase: 'done', name: spec.name });
  const again = serialConsole(created.uuid);
  let final: number;
  try {
    final = await again.until(env.GUEST_BANNER, 180_000);
  } finally {
    again.close();
  }
  expect(virsh('dumpxml', '--domain', created.uuid).stdout).not.toContain("<boot dev='network'/>");
  return { pxelinux, kernel, final };
}
