/**
 * The backup tests' guests: `vd-test-backup` (a copy of the test guest with one qcow2 v3 disk,
 * vdb, 64 MiB) and `vd-test-backup-big` (a 2 GiB raw disk full of data: a backup of it runs long
 * enough to be cancelled), in their own temporary directory pool. Made by a root virsh; the code
 * under test reaches them over SSH as the non-root test user.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestHost } from '../../../../e2e/support/test-host';
import { cloneXmlOf, defineValidated, type CloneId } from '../../testing/details-guest';

export const BACKUP_CLONE: CloneId = { name: 'vd-test-backup', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ffbb01', mac: '52:54:00:7e:bb:01' };
export const BIG_CLONE: CloneId = { name: 'vd-test-backup-big', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ffbb02', mac: '52:54:00:7e:bb:02' };
export const BACKUP_POOL = 'vd-test-backup-pool';
/** Restored copies are named with this prefix (cleaned up by name). */
export const RESTORED_PREFIX = 'vd-test-backup-restored';

/** The guests, pool and restore prefix one test file uses (each file its own: they may run at once). */
export interface BackupGuestIds {
  clone: CloneId;
  big: CloneId;
  pool: string;
  restoredPrefix: string;
}
const DEFAULT_IDS: BackupGuestIds = { clone: BACKUP_CLONE, big: BIG_CLONE, pool: BACKUP_POOL, restoredPrefix: RESTORED_PREFIX };

export const virsh = (...a: string[]) => spawnSync('virsh', ['-c', 'qemu:///system', ...a], { encoding: 'utf8' });
const must = (...a: string[]) => {
  const r = virsh(...a);
  if (r.status !== 0) throw new Error(`virsh ${a[0]}: ${r.stderr}`);
  return r.stdout;
};

/** Writes a byte pattern into a running guest's disk through QEMU (HMP qemu-io; test setup only). */
export function writeLive(uuid: string, target: 'vdb', pattern: number, offset: string, length: string): void {
  const dev = `/machine/peripheral/virtio-disk${target === 'vdb' ? 1 : 0}/virtio-backend`;
  must('qemu-monitor-command', '--domain', uuid, '--hmp', `qemu-io -d ${dev} "write -P ${pattern} ${offset} ${length}"`);
}

/** qemu-io's pattern check on an image file (read-only, force-share): true when every byte matches. */
export function hasPattern(file: string, pattern: number, offset: string, length: string): boolean {
  const r = spawnSync('qemu-io', ['-r', '-U', '-f', 'qcow2', '-c', `read -P ${pattern} ${offset} ${length}`, file], { encoding: 'utf8' });
  return r.status === 0 && !/Pattern verification failed|error/i.test(r.stdout + r.stderr);
}

export interface BackupGuests {
  dir: string;
  disk: string;
  cleanup(): void;
}

/** `big: false` leaves out the 2 GiB guest (the e2e spec needs no cancel window). */
export function makeBackupGuests(th: TestHost, opts: { big?: boolean; ids?: BackupGuestIds } = {}): BackupGuests {
  const ids = opts.ids ?? DEFAULT_IDS;
  removeBackupGuests(ids);
  const dir = mkdtempSync(join(tmpdir(), 'vd-backup-'));
  chmodSync(dir, 0o755);
  try {
    return fill(th, dir, opts.big ?? true, ids);
  } catch (e) {
    removeBackupGuests(ids);
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

function fill(th: TestHost, dir: string, big: boolean, ids: BackupGuestIds): BackupGuests {
  const { clone: BACKUP_CLONE, big: BIG_CLONE, pool: BACKUP_POOL } = ids;
  must('pool-create-as', '--name', BACKUP_POOL, '--type', 'dir', '--target', dir);
  const vol = (name: string, fmt: string, cap: number) =>
    `<volume><name>${name}</name><capacity unit='bytes'>${cap}</capacity><target><format type='${fmt}'/>${fmt === 'qcow2' ? '<compat>1.1</compat>' : ''}</target></volume>`;
  const tmp = mkdtempSync(join(tmpdir(), 'vd-backup-xml-'));
  try {
    const vols: [string, string, number][] = [['disk.qcow2', 'qcow2', 64 << 20]];
    if (big) vols.push(['big.raw', 'raw', 2 * 1024 ** 3]);
    for (const [n, f, c] of vols) {
      const file = join(tmp, `${n}.xml`);
      spawnSync('sh', ['-c', 'cat > "$1"', 'sh', file], { input: vol(n, f, c) });
      must('vol-create', '--pool', BACKUP_POOL, '--file', file);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  // Data the big backup must copy (zeroes would be skipped).
  if (big) {
    const w = spawnSync('qemu-io', ['-f', 'raw', '-c', 'write -P 0xab 0 1G', '-c', 'write -P 0xab 1G 1G', join(dir, 'big.raw')], { encoding: 'utf8' });
    if (w.status !== 0) throw new Error(`qemu-io: ${w.stdout}${w.stderr}`);
  }
  const withDisk = (c: CloneId, file: string, format: string) =>
    cloneXmlOf(th, c).replace('<devices>', `<devices>\n    <disk type='file' device='disk'><driver name='qemu' type='${format}'/><source file='${file}'/><target dev='vdb' bus='virtio'/></disk>`);
  defineValidated(BACKUP_CLONE.name, withDisk(BACKUP_CLONE, join(dir, 'disk.qcow2'), 'qcow2'));
  if (big) defineValidated(BIG_CLONE.name, withDisk(BIG_CLONE, join(dir, 'big.raw'), 'raw'));
  return { dir, disk: join(dir, 'disk.qcow2'), cleanup: () => (removeBackupGuests(ids), rmSync(dir, { recursive: true, force: true })) };
}

function removeDomain(nameOrUuid: string): void {
  if (virsh('dominfo', '--domain', nameOrUuid).status !== 0) return;
  virsh('destroy', '--domain', nameOrUuid);
  virsh('undefine', '--domain', nameOrUuid, '--checkpoints-metadata', '--snapshots-metadata', '--nvram');
}

/** The guests, every restored copy, and the pool (the files go with its directory). */
export function removeBackupGuests(ids: BackupGuestIds = DEFAULT_IDS): void {
  removeDomain(ids.clone.uuid);
  removeDomain(ids.big.uuid);
  for (const n of virsh('list', '--all', '--name').stdout.split('\n').map((s) => s.trim()))
    if (n.startsWith(ids.restoredPrefix)) removeDomain(n);
  virsh('pool-destroy', '--pool', ids.pool);
}
