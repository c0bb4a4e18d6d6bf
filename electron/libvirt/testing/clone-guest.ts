/**
 * `vd-test-clone-src`: a shut-off copy of the test guest with a qcow2 disk (vdb) in its own
 * temporary directory pool, for the clone tests. The guest boots from kernel + initramfs as
 * always; vdb carries a data pattern so a copy and a linked clone can be told apart from an
 * empty disk. Every clone the tests make is named `vd-test-clone-*` and removed by cleanup.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestHost } from '../../../e2e/support/test-host';
import { cloneXmlOf, removeClone, type CloneId } from './details-guest';
import type { VirshRun } from './snapshot-guest';

export const CLONE_SRC: CloneId = { name: 'vd-test-clone-src', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ffc101', mac: '52:54:00:7e:c1:01' };
export const CLONE_POOL = 'vd-test-clone-pool';
export const TINY_POOL = 'vd-test-clone-tiny';

const virsh = (...a: string[]) => spawnSync('virsh', ['-c', 'qemu:///system', ...a], { encoding: 'utf8' });

/** qemu-io as root on a shut-off VM's image: `write -P 0x11 0 64k`, `read -P 0x11 0 64k` (exit 0 and no "Pattern verification failed"). */
export function qemuIo(file: string, format: string, cmd: string): { ok: boolean; out: string } {
  // -U (force-share) only goes with read-only opens.
  const r = spawnSync('qemu-io', ['-f', format, ...(cmd.startsWith('read') ? ['-U', '-r'] : []), '-c', cmd, file], { encoding: 'utf8' });
  const out = r.stdout + r.stderr;
  return { ok: r.status === 0 && !/verification failed|error|failed/i.test(out), out };
}

export interface CloneGuest {
  dir: string;
  disk: string;
  cleanup(): void;
}

export async function makeCloneSource(th: TestHost, run: VirshRun): Promise<CloneGuest> {
  removeCloneGuests();
  const dir = mkdtempSync(join(tmpdir(), 'vd-clone-'));
  chmodSync(dir, 0o755);
  const disk = join(dir, 'vd-test-clone-src-disk.qcow2');
  try {
    await run(['pool-create-as', '--name', CLONE_POOL, '--type', 'dir', '--target', dir]);
    await run(['vol-create-as', '--pool', CLONE_POOL, '--name', 'vd-test-clone-src-disk.qcow2', '--capacity', '16M', '--format', 'qcow2']);
    if (!qemuIo(disk, 'qcow2', 'write -P 0x11 0 1M').ok) throw new Error('cannot write the pattern into the source disk');
    const xml = cloneXmlOf(th, CLONE_SRC).replace('<devices>', `<devices>\n    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${disk}'/><target dev='vdb' bus='virtio'/></disk>`);
    await run(['define', '--file', '/dev/stdin', '--validate'], xml);
  } catch (e) {
    // Half a setup is removed here: the caller never gets a cleanup for it.
    removeCloneGuests();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return { dir, disk, cleanup: () => (removeCloneGuests(), rmSync(dir, { recursive: true, force: true })) };
}

/** Every `vd-test-clone-*` domain (the source and all clones), then the pools. */
export function removeCloneGuests(): void {
  const names = virsh('list', '--all', '--name').stdout.split('\n').map((n) => n.trim()).filter((n) => n.startsWith('vd-test-clone-'));
  for (const name of names) {
    const uuid = virsh('domuuid', '--domain', name).stdout.trim();
    if (uuid) removeClone({ name, uuid, mac: '' });
  }
  for (const p of [CLONE_POOL, TINY_POOL]) virsh('pool-destroy', '--pool', p);
}
