/**
 * `vd-test-snap`: a copy of the test guest with one qcow2 disk (vdb) in a temporary directory
 * pool, for the snapshot tests. The guest boots from kernel + initramfs as always; the disk only
 * holds snapshots. Pool, volume and definition are made through the app's own command runner
 * (the SSH test user) in the integration test, by a root virsh in the e2e spec; `vd-test-snap-raw`
 * is a shut-off copy with a raw disk.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestHost } from '../../../e2e/support/test-host';
import type { HostConnection } from '../../hosts/host-connection';
import { cloneXmlOf, removeClone, type CloneId } from './details-guest';

export const SNAP_CLONE: CloneId = { name: 'vd-test-snap', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ff5a01', mac: '52:54:00:7e:5a:01' };
export const RAW_CLONE: CloneId = { name: 'vd-test-snap-raw', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ff5a02', mac: '52:54:00:7e:5a:02' };
export const SNAP_POOL = 'vd-test-snap-pool';

const virsh = (...a: string[]) => spawnSync('virsh', ['-c', 'qemu:///system', ...a], { encoding: 'utf8' });

export interface SnapGuest {
  dir: string;
  disk: string;
  cleanup(): void;
}

/** Runs a virsh command with optional stdin; throws on failure. */
export type VirshRun = (argv: string[], stdin?: string) => Promise<unknown>;

/** The app's own command runner (integration tests). */
export const appRunner = (host: HostConnection): VirshRun => (argv, stdin) => host.run(['virsh', ...argv], stdin !== undefined ? { stdin } : {});

/** A separate virsh as root (e2e specs, which have no backend object in the test process). */
export const rootRunner: VirshRun = async (argv, stdin) => {
  // Node's stdio pipes are socketpairs, which virsh cannot open as /dev/stdin: a private file instead.
  const tmp = mkdtempSync(join(tmpdir(), 'vd-snap-in-'));
  try {
    const file = join(tmp, 'stdin.xml');
    if (stdin !== undefined) writeFileSync(file, stdin);
    const r = spawnSync('virsh', ['-c', 'qemu:///system', ...argv.map((a) => (stdin !== undefined && a === '/dev/stdin' ? file : a))], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`virsh ${argv[0]}: ${r.stderr}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
};

/** Pool, disks and both definitions; the qcow2 copy is left shut off for the caller to start. */
export async function makeSnapGuests(th: TestHost, run: VirshRun): Promise<SnapGuest> {
  removeSnapGuests();
  const dir = mkdtempSync(join(tmpdir(), 'vd-snap-'));
  chmodSync(dir, 0o755); // QEMU (libvirt-qemu) must reach the disk
  await run(['pool-create-as', '--name', SNAP_POOL, '--type', 'dir', '--target', dir]);
  await run(['vol-create-as', '--pool', SNAP_POOL, '--name', 'disk.qcow2', '--capacity', '16M', '--format', 'qcow2']);
  await run(['vol-create-as', '--pool', SNAP_POOL, '--name', 'disk.raw', '--capacity', '16M', '--format', 'raw']);
  const withDisk = (c: CloneId, file: string, format: string) =>
    cloneXmlOf(th, c).replace('<devices>', `<devices>\n    <disk type='file' device='disk'><driver name='qemu' type='${format}'/><source file='${file}'/><target dev='vdb' bus='virtio'/></disk>`);
  await run(['define', '--file', '/dev/stdin', '--validate'], withDisk(SNAP_CLONE, join(dir, 'disk.qcow2'), 'qcow2'));
  await run(['define', '--file', '/dev/stdin', '--validate'], withDisk(RAW_CLONE, join(dir, 'disk.raw'), 'raw'));
  return { dir, disk: join(dir, 'disk.qcow2'), cleanup: () => (removeSnapGuests(), rmSync(dir, { recursive: true, force: true })) };
}

/** Undefines both copies with their snapshot metadata, and the pool (files go with the directory). */
export function removeSnapGuests(): void {
  for (const c of [SNAP_CLONE, RAW_CLONE]) {
    if (virsh('dominfo', '--domain', c.uuid).status !== 0) continue;
    virsh('destroy', '--domain', c.uuid);
    const names = virsh('snapshot-list', '--domain', c.uuid, '--name').stdout.split('\n').filter((n) => n.trim() !== '');
    for (const n of names) virsh('snapshot-delete', '--domain', c.uuid, '--snapshotname', n, '--metadata');
    removeClone(c);
  }
  virsh('pool-destroy', '--pool', SNAP_POOL);
}
