import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Transfer } from '../../shared/model/storage';
import { startHarness, type Harness, connectOverSsh } from '../../e2e/support/backend-harness';
import { testHost } from '../../e2e/support/test-host';

const MiB = 1024 * 1024;
const virsh = (...a: string[]) => spawnSync('virsh', ['-c', 'qemu:///system', ...a], { encoding: 'utf8' });
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('storage and networks on the real host over SSH (qemu+ssh to 127.0.0.1)', () => {
  const th = testHost();
  let h: Harness;
  let id: string;
  let work = '';
  let poolDir = '';
  const pools: string[] = [];
  const nets: string[] = [];
  let loop = '';

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'vd-storage-'));
    poolDir = join(work, 'pool dir');
    execFileSync('mkdir', ['-p', poolDir]);
    // The desktop app: files of this computer are chosen in its native dialogs (handles, not paths).
    h = await startHarness({ mode: 'desktop' });
    h.answerPrompts(() => ({ accept: true }));
    id = await connectOverSsh(h, th);
  });
  afterAll(() => {
    h?.close();
    for (const p of pools) {
      virsh('pool-destroy', p);
      virsh('pool-undefine', p);
    }
    for (const n of nets) {
      virsh('net-destroy', n);
      virsh('net-undefine', n);
    }
    if (loop) spawnSync('losetup', ['-d', loop]);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** Resolves when the transfer reaches a final state. */
  const settle = (transferId: string) => h.next('storage.transfer', (t) => t.transferId === transferId && t.state !== 'running', 60_000);

  it('a dir pool in a temp dir: qcow2 and raw volumes, resize, clone, upload + download byte-identical, delete', async () => {
    const { uuid } = await h.call('storage.pools.define', { hostId: id, spec: { type: 'dir', name: 'vd-test-pool dir', targetPath: poolDir }, build: true, start: true });
    pools.push(uuid);
    const pool = (await h.call('storage.pools.list', { hostId: id })).find((p) => p.uuid === uuid)!;
    expect(pool).toMatchObject({ type: 'dir', state: 'running', targetPath: poolDir });
    expect(Number(pool.capacity)).toBeGreaterThan(0); // sizes are decimal strings: near 2^64 a double loses them

    await h.call('storage.volumes.create', { hostId: id, poolUuid: uuid, spec: { name: 'disk 1.qcow2', format: 'qcow2', capacity: 64 * MiB } });
    await h.call('storage.volumes.create', { hostId: id, poolUuid: uuid, spec: { name: 'raw disk.img', format: 'raw', capacity: 32 * MiB } });
    await h.call('storage.volumes.create', { hostId: id, poolUuid: uuid, spec: { name: 'full.img', format: 'raw', capacity: 8 * MiB, preallocation: 'full' } });
    await h.call('storage.volumes.create', { hostId: id, poolUuid: uuid, spec: { name: 'overlay.qcow2', format: 'qcow2', capacity: 64 * MiB, backingPath: join(poolDir, 'disk 1.qcow2'), backingFormat: 'qcow2' } });
    let vols = await h.call('storage.volumes.list', { hostId: id, poolUuid: uuid });
    expect(vols.find((v) => v.name === 'disk 1.qcow2')).toMatchObject({ format: 'qcow2', capacity: String(64 * MiB), path: join(poolDir, 'disk 1.qcow2') });
    expect(vols.find((v) => v.name === 'raw disk.img')).toMatchObject({ format: 'raw', capacity: String(32 * MiB), allocation: '0' }); // sparse
    expect(Number(vols.find((v) => v.name === 'full.img')!.allocation)).toBeGreaterThanOrEqual(8 * MiB); // fully preallocated
    expect(vols.find((v) => v.name === 'overlay.qcow2')!.backing).toEqual({ path: join(poolDir, 'disk 1.qcow2'), format: 'qcow2' });

    await h.call('storage.volumes.resize', { hostId: id, poolUuid: uuid, name: 'disk 1.qcow2', capacity: 128 * MiB });
    await expect(h.call('storage.volumes.resize', { hostId: id, poolUuid: uuid, name: 'raw disk.img', capacity: 16 * MiB })).rejects.toMatchObject({ code: 'invalid_args' });
    const shrink = await h.call('commands.preview', { name: 'storage.volumes.resize', args: { hostId: id, poolUuid: uuid, name: 'raw disk.img', capacity: 16 * MiB, confirmShrink: true } });
    expect(shrink.commands[0]!.argv.slice(3)).toEqual(['vol-resize', '--pool', uuid, '--vol', 'raw disk.img', '--capacity', String(16 * MiB), '--shrink']);
    await h.call('storage.volumes.resize', { hostId: id, poolUuid: uuid, name: 'raw disk.img', capacity: 16 * MiB, confirmShrink: true });
    await h.call('storage.volumes.clone', { hostId: id, poolUuid: uuid, name: 'disk 1.qcow2', newName: 'clone of disk 1.qcow2' });
    await h.call('storage.volumes.wipe', { hostId: id, poolUuid: uuid, name: 'raw disk.img' });
    vols = await h.call('storage.volumes.list', { hostId: id, poolUuid: uuid });
    expect(vols.find((v) => v.name === 'disk 1.qcow2')!.capacity).toBe(String(128 * MiB));
    expect(vols.find((v) => v.name === 'raw disk.img')!.capacity).toBe(String(16 * MiB));
    expect(vols.find((v) => v.name === 'clone of disk 1.qcow2')).toMatchObject({ format: 'qcow2', capacity: String(128 * MiB) });

    // Upload 6 MiB of random bytes and download them back.
    const src = join(work, 'upload me.bin');
    writeFileSync(src, randomBytes(6 * MiB));
    const progress: Transfer[] = [];
    const off = h.backend.onEvent((n, p) => n === 'storage.transfer' && progress.push(p as Transfer));
    const up = await h.call('storage.volumes.upload', { hostId: id, poolUuid: uuid, name: 'uploaded "image".raw', file: await h.chooseFile('open', src) });
    const upDone = await settle(up.transferId);
    expect(upDone).toMatchObject({ state: 'done', bytesDone: 6 * MiB, bytesTotal: 6 * MiB });
    const dst = join(work, 'downloaded.bin');
    const saveAs = await h.chooseFile('save', dst);
    const down = await h.call('storage.volumes.download', { hostId: id, poolUuid: uuid, name: 'uploaded "image".raw', file: saveAs });
    expect(await settle(down.transferId)).toMatchObject({ state: 'done', bytesDone: 6 * MiB });
    off();
    expect(sha(dst)).toBe(sha(src));
    expect(existsSync(`${dst}.part`)).toBe(false);
    expect(progress.some((t) => t.transferId === up.transferId && t.state === 'running')).toBe(true);
    const log = await h.call('activity.list', { hostId: id });
    expect(log.find((e) => e.argv.includes('vol-upload'))).toMatchObject({ outcome: 'ok', argv: ['virsh', '-c', 'qemu:///system', 'vol-upload', '--pool', uuid, '--vol', 'uploaded "image".raw', '--file', '/dev/stdin'] });

    // A download never overwrites an existing file unless asked.
    await expect(h.call('storage.volumes.download', { hostId: id, poolUuid: uuid, name: 'uploaded "image".raw', file: saveAs })).rejects.toMatchObject({ code: 'invalid_args' });
    // A handle chosen to save to is not one to read from.
    await expect(h.call('storage.volumes.upload', { hostId: id, poolUuid: uuid, name: 'x.raw', file: saveAs })).rejects.toMatchObject({ code: 'invalid_args' });

    // A base with an overlay on it stays, even when no VM uses the overlay; overlays go first.
    await expect(h.call('storage.volumes.delete', { hostId: id, poolUuid: uuid, name: 'disk 1.qcow2' })).rejects.toMatchObject({ code: 'unsupported', message: expect.stringMatching(/base \(backing file\) of the volume “.*overlay\.qcow2”/) });
    expect(await h.call('storage.volumes.baseOf', { hostId: id, poolUuid: uuid, name: 'disk 1.qcow2' })).toEqual({ vms: [], overlays: [join(poolDir, 'overlay.qcow2')] });
    const left = await h.call('storage.volumes.list', { hostId: id, poolUuid: uuid });
    for (const v of [...left].sort((a, b) => Number(b.backing !== null) - Number(a.backing !== null))) await h.call('storage.volumes.delete', { hostId: id, poolUuid: uuid, name: v.name });
    expect(await h.call('storage.volumes.list', { hostId: id, poolUuid: uuid })).toEqual([]);
    await h.call('storage.pools.action', { hostId: id, uuid, action: 'stop' });
    await h.call('storage.pools.action', { hostId: id, uuid, action: 'delete' });
    expect(existsSync(poolDir)).toBe(false);
    await h.call('storage.pools.action', { hostId: id, uuid, action: 'undefine' });
    expect((await h.call('storage.pools.list', { hostId: id })).some((p) => p.uuid === uuid)).toBe(false);
  });

  it('an fs pool on a loop device: built (mkfs) and mounted for real; a full disk fails the upload clearly and leaves no volume', async () => {
    const img = join(work, 'loop.img');
    execFileSync('truncate', ['-s', '24M', img]);
    loop = execFileSync('losetup', ['-f', '--show', img], { encoding: 'utf8' }).trim();
    const mnt = join(work, 'mnt');
    const { uuid } = await h.call('storage.pools.define', {
      hostId: id,
      spec: { type: 'fs', name: 'vd-test-fs', device: loop, format: 'ext4', targetPath: mnt },
      build: true,
      buildFormat: 'if-empty',
      start: true,
    });
    pools.push(uuid);
    const pool = (await h.call('storage.pools.list', { hostId: id })).find((p) => p.uuid === uuid)!;
    expect(pool).toMatchObject({ type: 'fs', state: 'running', source: loop, targetPath: mnt });
    expect(Number(pool.capacity)).toBeGreaterThan(16 * MiB);
    expect(readFileSync('/proc/mounts', 'utf8')).toContain(`${loop} ${mnt} ext4`);

    // Fill the filesystem behind libvirt's back: the pool's cached free space still says there is room.
    execFileSync('fallocate', ['-l', `${Number(pool.available!) - 2 * MiB}`, join(mnt, 'filler')]);
    const src = join(work, 'big.bin');
    writeFileSync(src, Buffer.alloc(8 * MiB, 7));
    const t = await h.call('storage.volumes.upload', { hostId: id, poolUuid: uuid, name: 'big.raw', file: await h.chooseFile('open', src) });
    const end = await settle(t.transferId);
    expect(end).toMatchObject({ state: 'failed', error: { noSpace: true, message: expect.stringMatching(/ran out of space.*No space left on device/s) } });
    // The transfer ends only after its volume was deleted.
    expect((await h.call('storage.volumes.list', { hostId: id, poolUuid: uuid })).map((v) => v.name)).not.toContain('big.raw');
    rmSync(join(mnt, 'filler'));
    await h.call('storage.pools.action', { hostId: id, uuid, action: 'stop' });
    expect(readFileSync('/proc/mounts', 'utf8')).not.toContain(mnt);
    await h.call('storage.pools.action', { hostId: id, uuid, action: 'undefine' });
  });

  it('a cancelled upload leaves no volume, a cancelled download no file', async () => {
    const dir = join(work, 'cancel pool');
    const { uuid } = await h.call('storage.pools.define', { hostId: id, spec: { type: 'dir', name: 'vd-test-cancel', targetPath: dir }, build: true, start: true });
    pools.push(uuid);
    const src = join(work, 'slow.bin');
    writeFileSync(src, Buffer.alloc(256 * MiB, 1));
    const started = h.next('storage.transfer', (x) => x.state === 'running' && x.bytesDone > 0, 30_000);
    const t = await h.call('storage.volumes.upload', { hostId: id, poolUuid: uuid, name: 'partial.raw', file: await h.chooseFile('open', src) });
    await started;
    await h.call('storage.transfers.cancel', { transferId: t.transferId });
    expect(await settle(t.transferId)).toMatchObject({ state: 'cancelled' });
    // the cleanup may need a retry while libvirt still holds the aborted stream
    for (let i = 0; i < 40 && (await h.call('storage.volumes.list', { hostId: id, poolUuid: uuid })).length > 0; i++) await new Promise((r) => setTimeout(r, 250));
    expect(await h.call('storage.volumes.list', { hostId: id, poolUuid: uuid })).toEqual([]);

    await h.call('storage.volumes.create', { hostId: id, poolUuid: uuid, spec: { name: 'big.raw', format: 'raw', capacity: 256 * MiB, preallocation: 'full' } });
    const dst = join(work, 'never.bin');
    const running = h.next('storage.transfer', (x) => x.direction === 'download' && x.bytesDone > 0, 30_000);
    const d = await h.call('storage.volumes.download', { hostId: id, poolUuid: uuid, name: 'big.raw', file: await h.chooseFile('save', dst) });
    await running;
    await h.call('storage.transfers.cancel', { transferId: d.transferId });
    expect(await settle(d.transferId)).toMatchObject({ state: 'cancelled' });
    expect(existsSync(dst) || existsSync(`${dst}.part`)).toBe(false);
    await h.call('storage.volumes.delete', { hostId: id, poolUuid: uuid, name: 'big.raw' });
    await h.call('storage.pools.action', { hostId: id, uuid, action: 'stop' });
    await h.call('storage.pools.action', { hostId: id, uuid, action: 'undefine' });
  });

  it('an isolated network: created from the form, started, stopped and undefined; host interfaces list its bridge', async () => {
    const { uuid } = await h.call('networks.define', {
      hostId: id,
      spec: { name: 'vd-test-isolated net', mode: 'isolated', bridgeName: 'vdtest0', domainName: 'lab.test', ipv4: { address: '10.213.91.1', prefix: 24, dhcp: { start: '10.213.91.100', end: '10.213.91.200' }, hosts: [{ mac: '52:54:00:00:91:01', name: 'web1', ip: '10.213.91.10' }] } },
      start: true,
    });
    nets.push(uuid);
    const me = async () => (await h.call('networks.list', { hostId: id })).find((n) => n.uuid === uuid);
    expect(await me()).toMatchObject({ name: 'vd-test-isolated net', active: true, bridge: 'vdtest0', forwardMode: 'isolated', domainName: 'lab.test', leases: [] });
    const ifaces = await h.call('networks.interfaces', { hostId: id });
    expect(ifaces.interfaces.find((i) => i.name === 'vdtest0')).toMatchObject({ type: 'bridge' });
    await h.call('networks.action', { hostId: id, uuid, action: 'autostart' });
    expect((await me())!.autostart).toBe(true);
    await h.call('networks.action', { hostId: id, uuid, action: 'stop' });
    expect((await me())!.active).toBe(false);
    await h.call('networks.action', { hostId: id, uuid, action: 'undefine' });
    expect(await me()).toBeUndefined();
  });
});

describe('qemu-img details (local qemu:///system, where the images are readable)', () => {
  let h: Harness;
  let dir = '';
  let uuid = '';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vd-qimg-'));
    h = await startHarness();
    await h.call('hosts.connect', { hostId: 'local-system' });
  });
  afterAll(() => {
    h?.close();
    if (uuid) {
      virsh('pool-destroy', uuid);
      virsh('pool-undefine', uuid);
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows format, sizes and the backing chain; XML defined locally goes through a real pipe', async () => {
    ({ uuid } = await h.call('storage.pools.define', { hostId: 'local-system', spec: { type: 'dir', name: 'vd-test-qimg', targetPath: dir }, start: true }));
    await h.call('storage.volumes.create', { hostId: 'local-system', poolUuid: uuid, spec: { name: 'base.qcow2', format: 'qcow2', capacity: 16 * MiB } });
    await h.call('storage.volumes.create', { hostId: 'local-system', poolUuid: uuid, spec: { name: 'top.qcow2', format: 'qcow2', capacity: 16 * MiB, backingPath: join(dir, 'base.qcow2'), backingFormat: 'qcow2' } });
    const d = await h.call('storage.volumes.details', { hostId: 'local-system', poolUuid: uuid, name: 'top.qcow2' });
    expect(d).toMatchObject({ available: true, chain: [{ format: 'qcow2', virtualSize: 16 * MiB, backingFilename: join(dir, 'base.qcow2') }, { format: 'qcow2', backingFilename: null }] });
    const log = await h.call('activity.list', { hostId: 'local-system' });
    expect(log.find((e) => e.argv[0] === 'qemu-img')).toMatchObject({ outcome: 'ok', argv: ['qemu-img', 'info', '--output=json', '--backing-chain', '-U', join(dir, 'top.qcow2')] });
  });
});
