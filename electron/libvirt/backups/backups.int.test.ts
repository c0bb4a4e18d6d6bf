/**
 * Backups over SSH (the non-root test user) on the real host (libvirt 9.0.0, QEMU 7.2 TCG), on
 * `vd-test-backup` (qcow2 v3 disk) and `vd-test-backup-big` (2 GiB raw, for cancel): see
 * testing/backup-guests.ts. Data is written into the running disk through QEMU (HMP qemu-io) and
 * checked in the backup files with qemu-io's pattern reads.
 */
import { existsSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectOverSsh, startHarness, type Harness } from '../../../e2e/support/backend-harness';
import { testHost } from '../../../e2e/support/test-host';
import { until } from '../../../e2e/support/until';
import { readSerialLog } from '../../consoles/testing/console-clones';
import { BACKUP_CLONE, BACKUP_POOL, BIG_CLONE, hasPattern, makeBackupGuests, RESTORED_PREFIX, virsh, writeLive, type BackupGuests } from './testing/backup-guests';

const qemuImgInfo = (file: string) => JSON.parse(spawnSync('qemu-img', ['info', '-U', '--output=json', file], { encoding: 'utf8' }).stdout) as { 'backing-filename'?: string; format: string };

describe('backups of a running and a shut-off VM, restore, cancel, incremental', () => {
  const th = testHost();
  let h: Harness;
  let hostId: string;
  let g: BackupGuests;
  const vm = () => ({ hostId, uuid: BACKUP_CLONE.uuid });
  const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
    const t0 = performance.now();
    const r = await fn();
    return [r, Math.round(performance.now() - t0)];
  };
  let fullId = '';
  let incId = '';

  beforeAll(async () => {
    h = await startHarness();
    h.answerPrompts(() => ({ accept: true }));
    hostId = await connectOverSsh(h, th);
    g = makeBackupGuests(th);
    expect(virsh('start', '--domain', BACKUP_CLONE.uuid).status).toBe(0);
    expect(virsh('start', '--domain', BIG_CLONE.uuid).status).toBe(0);
  }, 180_000);
  afterAll(() => {
    h?.close();
    g?.cleanup();
  });

  it('offers backup-begin with a checkpoint for the running qcow2 v3 VM; the first backup is full', async () => {
    const o = await h.call('backups.options', vm());
    expect(o).toMatchObject({ running: true, method: 'backup-begin', checkpoint: { ok: true, reason: null }, incremental: { ok: false, parent: null } });
    expect(o.disks).toEqual([{ target: 'vdb', source: g.disk, format: 'qcow2', capacity: 64 << 20 }]);
    expect(o.pools.map((p) => p.name)).toContain(BACKUP_POOL);
    const big = await h.call('backups.options', { hostId, uuid: BIG_CLONE.uuid });
    expect(big.checkpoint).toEqual({ ok: false, reason: expect.stringMatching(/disk vdb is raw: only qcow2 disks/) });
  });

  it('backs up the running guest into pool volumes with its XML; a change after it goes into an incremental backup on top', async () => {
    writeLive(BACKUP_CLONE.uuid, 'vdb', 0x11, '0', '1M');
    const shown = await h.call('commands.preview', { name: 'backups.create', args: { ...vm(), pool: BACKUP_POOL } });
    // The manifest first ('running'), rewritten 'complete' last: a backup cut off in between is still listed.
    expect(shown.commands.map((c) => c.argv[3])).toEqual(['vol-create-as', 'vol-upload', 'vol-create', 'checkpoint-create', 'backup-begin', 'vol-upload']);
    expect(shown.commands[4]!.argv.slice(3)).toEqual(['backup-begin', '--domain', BACKUP_CLONE.uuid, '--backupxml', '/dev/stdin', '--reuse-external']);
    const [full, fullMs] = await timed(() => h.call('backups.create', { ...vm(), pool: BACKUP_POOL }));
    fullId = full.id;
    expect(full).toMatchObject({ state: 'complete', status: 'complete', kind: 'full', method: 'backup-begin', checkpoint: `vd-backup-${full.id}`, parent: null });
    const file = join(g.dir, `${BACKUP_CLONE.name}.backup-${full.id}.vdb.qcow2`);
    expect(full.disks).toEqual([{ target: 'vdb', source: g.disk, volume: `${BACKUP_CLONE.name}.backup-${full.id}.vdb.qcow2`, path: file, capacity: 64 << 20 }]);
    expect(hasPattern(file, 0x11, '0', '1M')).toBe(true);
    expect(virsh('checkpoint-list', '--domain', BACKUP_CLONE.uuid, '--name').stdout.trim()).toBe(`vd-backup-${full.id}`);
    // QEMU 7.2 cannot revert internal snapshots while the checkpoint's bitmap exists: Snapshots says so before any change.
    const snapCaps = await h.call('snapshots.capabilities', vm());
    expect(snapCaps.modes.find((m) => m.mode === 'internal-memory')).toEqual({ mode: 'internal-memory', ok: false, reason: expect.stringMatching(/this VM has backup checkpoints \(vd-backup-/) });
    expect(snapCaps.modes.find((m) => m.mode === 'external-disk')!.ok).toBe(true);

    await new Promise((r) => setTimeout(r, 1100)); // ids are per second
    writeLive(BACKUP_CLONE.uuid, 'vdb', 0x22, '1M', '1M');
    expect((await h.call('backups.options', vm())).incremental).toEqual({ ok: true, parent: full.id, reason: null });
    const [inc, incMs] = await timed(() => h.call('backups.create', { ...vm(), pool: BACKUP_POOL, incremental: true }));
    incId = inc.id;
    expect(inc).toMatchObject({ kind: 'incremental', parent: full.id });
    const incFile = inc.disks[0]!.path;
    expect(qemuImgInfo(incFile)['backing-filename']).toBe(file);
    expect(hasPattern(incFile, 0x11, '0', '1M') && hasPattern(incFile, 0x22, '1M', '1M')).toBe(true);
    expect(hasPattern(file, 0, '1M', '1M')).toBe(true); // the full one is unchanged
    console.log(`[backups] full backup of 64 MiB (running, over SSH) ${fullMs} ms, incremental ${incMs} ms`);

    const list = await h.call('backups.list', vm());
    expect(list.map((b) => [b.id, b.kind, b.children])).toEqual([[inc.id, 'incremental', []], [full.id, 'full', [inc.id]]]);
    expect(list[1]!.domainXml).toContain(`<uuid>${BACKUP_CLONE.uuid}</uuid>`);
    await expect(h.call('backups.delete', { ...vm(), pool: BACKUP_POOL, id: full.id })).rejects.toThrow(new RegExp(`incremental backup ${inc.id} builds on this one`));
  });

  it('restores the incremental backup as a new VM that boots, with the full disk content and fresh identity', async () => {
    const name = `${RESTORED_PREFIX} 1`;
    const [r, ms] = await timed(() => h.call('backups.restoreAsNew', { ...vm(), pool: BACKUP_POOL, id: incId, name, targetPool: BACKUP_POOL }));
    expect(r.name).toBe(name);
    expect(r.uuid).not.toBe(BACKUP_CLONE.uuid);
    const disk = join(g.dir, `${RESTORED_PREFIX}_1.vdb.qcow2`);
    expect(qemuImgInfo(disk)['backing-filename']).toBeUndefined(); // flattened
    expect(hasPattern(disk, 0x11, '0', '1M') && hasPattern(disk, 0x22, '1M', '1M')).toBe(true);
    const xml = virsh('dumpxml', '--domain', r.uuid).stdout;
    expect(xml).toContain(disk);
    expect(xml).not.toContain(BACKUP_CLONE.mac);
    expect(virsh('start', '--domain', r.uuid).status).toBe(0);
    await until(() => readSerialLog(name).includes(th.GUEST_BANNER), 120_000, 'the restored guest banner');
    console.log(`[backups] restore as new VM ${ms} ms`);
    virsh('destroy', '--domain', r.uuid);
  }, 180_000);

  it('cancel during a running backup aborts the job (domjobabort) and leaves no file', async () => {
    const big = { hostId, uuid: BIG_CLONE.uuid };
    const run = h.call('backups.create', { ...big, pool: BACKUP_POOL }).then(
      () => 'finished',
      (e: Error) => e.message,
    );
    await until(async () => (await h.call('backups.progress', big))?.phase === 'copying', 30_000, 'the backup job running');
    const p = await h.call('backups.progress', big);
    expect(p).toMatchObject({ phase: 'copying', total: 2 * 1024 ** 3 });
    expect((await h.call('backups.cancel', big)).cancelled).toBe(true);
    expect(await run).toMatch(/the backup was cancelled\. Removed what it had made/);
    expect(virsh('domjobinfo', '--domain', BIG_CLONE.uuid, '--completed').stdout).toMatch(/Cancelled/);
    expect(readdirSync(g.dir).filter((f) => f.startsWith(BIG_CLONE.name))).toEqual([]);
    expect(await h.call('backups.list', big)).toEqual([]);
    expect(await h.call('backups.progress', big)).toBeNull();
  }, 120_000);

  it('backs up the shut-off VM by copying its volume, then restores over it after confirmation, keeping the old disk', async () => {
    virsh('destroy', '--domain', BACKUP_CLONE.uuid);
    const o = await h.call('backups.options', vm());
    expect(o).toMatchObject({ running: false, method: 'vol-copy', checkpoint: { ok: false } });
    const shown = await h.call('commands.preview', { name: 'backups.create', args: { ...vm(), pool: BACKUP_POOL } });
    expect(shown.commands[2]!.argv.slice(3)).toEqual(['vol-create-from', '--pool', BACKUP_POOL, '--file', '/dev/stdin', '--vol', g.disk]);
    const off = await h.call('backups.create', { ...vm(), pool: BACKUP_POOL });
    expect(off).toMatchObject({ kind: 'full', method: 'vol-copy', checkpoint: null });
    expect(hasPattern(off.disks[0]!.path, 0x22, '1M', '1M')).toBe(true);

    await expect(h.call('backups.restoreOver', { ...vm(), pool: BACKUP_POOL, id: fullId, targetPool: BACKUP_POOL, confirm: false as unknown as true })).rejects.toThrow();
    const res = await h.call('backups.restoreOver', { ...vm(), pool: BACKUP_POOL, id: fullId, targetPool: BACKUP_POOL, confirm: true });
    expect(res.kept).toEqual([g.disk]);
    expect(existsSync(g.disk)).toBe(true);
    const restored = join(g.dir, `${BACKUP_CLONE.name}.restored-${fullId}.vdb.qcow2`);
    expect(virsh('dumpxml', '--inactive', '--domain', BACKUP_CLONE.uuid).stdout).toContain(restored);
    expect(hasPattern(restored, 0x11, '0', '1M') && hasPattern(restored, 0, '1M', '1M')).toBe(true);
    expect(virsh('checkpoint-list', '--domain', BACKUP_CLONE.uuid, '--name').stdout.trim()).toBe('');
    const hist = await h.call('details.history', vm());
    expect(hist[0]).toMatchObject({ cause: 'restore', summary: `restored from backup ${fullId} (${BACKUP_POOL})` });
  });

  it('deletes backups newest first through vol-delete; their files are gone', async () => {
    const before = await h.call('backups.list', vm());
    for (const b of before) {
      const r = await h.call('backups.delete', { ...vm(), pool: BACKUP_POOL, id: b.id });
      expect(r.removed).toContain(b.disks[0]!.path);
      expect(existsSync(b.disks[0]!.path)).toBe(false);
    }
    expect(await h.call('backups.list', vm())).toEqual([]);
    expect(readdirSync(g.dir).filter((f) => f.startsWith('vdbackup.'))).toEqual([]);
  });
});
