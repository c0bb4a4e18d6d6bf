// Domain XML: `virsh dumpxml` (libvirt 9.0.0) of a running copy of the test guest with a qcow2
// disk vdb that already has an external overlay (d.s2 over d.qcow2). Variants (raw disk, pflash,
// no disk, agent) are edits of it; the refusal texts are libvirt 9.0's own, seen on that guest.
import { describe, expect, it } from 'vitest';
import { fixture } from '../virsh/testing/fixture';
import { parseSnapshotXml } from '../virsh/parse/snapshot';
import { capabilities, vmFacts } from './snapshot-capabilities';
import { planDelete } from './snapshot-cleanup';
import { createSteps, overlayPath, revertSteps, withDescription } from './snapshot-plan';
import type { Pool } from '../../shared/model/storage';

const xml = fixture('qemu-snapshot-domain-running.xml');
const UUID = '2610dbad-294c-477e-aeec-3b39f8cfb52a';
const pools = [{ name: 'images', path: '/var/lib/libvirt/images', available: '1000000000' }, { name: 'tiny', path: '/tiny', available: '1000' }];
const caps = (x: string, running = true, version = '9.0.0') => capabilities(vmFacts(x), running, version, pools);
const offers = (x: string, running = true) => Object.fromEntries(caps(x, running).modes.map((m) => [m.mode, m.ok ? 'ok' : m.reason]));
const raw = xml.replace("<driver name='qemu' type='qcow2'/>", "<driver name='qemu' type='raw'/>");
const noDisk = xml.replace(/<disk [\s\S]*?<\/disk>/, '');

describe('what Create offers, decided before any change', () => {
  it('a running VM on a qcow2 disk: internal with memory and both external modes; internal disk-only is off with libvirt\'s reason', () => {
    expect(offers(xml)).toEqual({
      'internal-memory': 'ok',
      'internal-disk': 'internal snapshot of a running VM must include the memory state',
      'external-disk': 'ok',
      'external-memory': 'ok',
    });
  });
  it('a raw disk: no internal snapshot, in libvirt\'s words, external still offered', () => {
    const o = offers(raw);
    expect(o['internal-memory']).toMatch(/^internal snapshot for disk vdb unsupported for storage type raw/);
    expect(o['external-disk']).toBe('ok');
  });
  it('a pflash loader: no internal snapshot, running or shut off', () => {
    const pflash = xml.replace('<kernel>', "<loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE.fd</loader>\n    <kernel>");
    expect(offers(pflash)['internal-memory']).toBe('internal snapshots of a VM with pflash based firmware are not supported');
    expect(offers(pflash, false)['internal-disk']).toBe('internal snapshots of a VM with pflash based firmware are not supported');
  });
  it('no disks: only an external memory snapshot of a running VM', () => {
    expect(Object.entries(offers(noDisk)).filter(([, v]) => v === 'ok').map(([k]) => k)).toEqual(['external-memory']);
    expect(Object.values(offers(noDisk, false)).every((v) => v !== 'ok')).toBe(true);
  });
  it('quiesce only with a connected guest agent', () => {
    expect(caps(xml).quiesce).toBe(false);
    const agent = xml.replace('<input ', "<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0' state='connected'/></channel>\n    <input ");
    expect(caps(agent).quiesce).toBe(true);
    expect(caps(agent, false).quiesce).toBe(false);
    const v = { facts: vmFacts(agent), running: true, caps: caps(agent) };
    const base = { hostId: 'h', uuid: UUID, name: 'q', description: '', atomic: true, quiesce: true };
    expect(createSteps(UUID, { ...base, mode: 'external-disk' }, v)[0]!.argv.slice(-2)).toEqual(['--atomic', '--quiesce']);
    expect(() => createSteps(UUID, { ...base, mode: 'internal-memory' }, v)).toThrow(/only possible with a disk-only external snapshot/);
  });
});

describe('create and revert steps', () => {
  const vm = (x = xml, running = true) => ({ facts: vmFacts(x), running, caps: caps(x, running) });
  it('external with memory: memory file in the pool, an overlay next to each disk, atomic', () => {
    expect(createSteps(UUID, { hostId: 'h', uuid: UUID, name: 'before, upgrade', description: 'd', mode: 'external-memory', atomic: true, quiesce: false, memoryPool: 'images' }, vm())).toEqual([{
      argv: ['snapshot-create-as', '--domain', UUID, '--name', 'before, upgrade', '--description', 'd',
        '--memspec', 'file=/var/lib/libvirt/images/vd-test-snapprobe.before__upgrade.mem,snapshot=external',
        '--diskspec', 'vdb,snapshot=external,file=/tmp/snapprobe/d.s2.before__upgrade.qcow2', '--atomic'],
    }]);
  });
  it('external with memory: a pool with less free space than the current memory is refused before Create', () => {
    expect(() => createSteps(UUID, { hostId: 'h', uuid: UUID, name: 'm', description: '', mode: 'external-memory', atomic: true, quiesce: false, memoryPool: 'tiny' }, vm())).toThrow(
      /pool "tiny" has 1000 bytes free; the memory file needs up to 134217728 bytes \(the VM's current memory\)/,
    );
  });
  it('backup checkpoints rule internal snapshots out (QEMU 7.2 "Device has active dirty bitmaps" on revert): create offers external only, revert refuses', () => {
    const withCp = capabilities(vmFacts(xml), true, '9.0.0', pools, ['vd-backup-1']);
    expect(Object.fromEntries(withCp.modes.map((m) => [m.mode, m.ok]))).toEqual({ 'internal-memory': false, 'internal-disk': false, 'external-disk': true, 'external-memory': true });
    expect(withCp.modes[0]!.reason).toMatch(/this VM has backup checkpoints \(vd-backup-1\).*Device has active dirty bitmaps/);
    const snap = parseSnapshotXml(fixture('qemu-snapshot-dumpxml-internal-memory.xml'), true);
    expect(() => revertSteps({ uuid: UUID, name: snap.name, after: 'as-taken', force: false, resetNvram: false }, snap, { ok: false }, ['vd-backup-1'])).toThrow(/backup checkpoints/);
  });
  it('a refused mode throws its reason instead of running anything', () => {
    expect(() => createSteps(UUID, { hostId: 'h', uuid: UUID, name: 'x', description: '', mode: 'internal-memory', atomic: true, quiesce: false }, vm(raw))).toThrow(/unsupported for storage type raw/);
    expect(() => createSteps(UUID, { hostId: 'h', uuid: UUID, name: 'x', description: '', mode: 'internal-memory', atomic: true, quiesce: true }, vm())).toThrow(/guest agent/);
  });
  it('no disks: the external memory snapshot saves the memory file alone', () => {
    expect(createSteps(UUID, { hostId: 'h', uuid: UUID, name: 'n', description: '', mode: 'external-memory', atomic: true, quiesce: false, memoryPool: 'images' }, vm(noDisk))[0]!.argv).toEqual([
      'snapshot-create-as', '--domain', UUID, '--name', 'n', '--memspec', 'file=/var/lib/libvirt/images/vd-test-snapprobe.n.mem,snapshot=external', '--atomic',
    ]);
  });
  it('overlay names keep the directory and drop the image extension', () => {
    expect(overlayPath('/p/disk 1.qcow2', 'snap/ä')).toBe('/p/disk 1.snap__.qcow2');
  });
  it('reverting to an external snapshot on libvirt 9.0 is refused with the reason; internal gets the options', () => {
    const ext = parseSnapshotXml(fixture('qemu-snapshot-dumpxml-external-disk.xml'), true);
    const int = parseSnapshotXml(fixture('qemu-snapshot-dumpxml-internal-memory.xml'), false);
    const a = { uuid: UUID, name: 's2', after: 'paused' as const, force: true, resetNvram: true };
    expect(() => revertSteps(a, ext, caps(xml).externalRevert)).toThrow(/revert to external snapshot not supported yet \(libvirt 9\.0\.0; it needs 9\.9\.0/);
    expect(revertSteps(a, ext, caps(xml, true, '9.9.0').externalRevert)[0]!.argv).toEqual(['snapshot-revert', '--domain', UUID, '--snapshotname', 's2', '--paused', '--force', '--reset-nvram']);
    expect(revertSteps({ ...a, name: 's1', after: 'as-taken', force: false, resetNvram: false }, int, caps(xml).externalRevert)[0]!.argv).toEqual(['snapshot-revert', '--domain', UUID, '--snapshotname', 's1']);
  });
  it('a new description keeps every other element of the snapshot XML', () => {
    const before = fixture('qemu-snapshot-dumpxml-external-memory.xml');
    const after = withDescription(before, 'new <text>');
    expect(after).toContain('<name>s3</name>\n  <description>new &lt;text&gt;</description>');
    expect(after.replace(/\s*<description>.*<\/description>/, '')).toBe(before.trimEnd());
    expect(withDescription(fixture('qemu-snapshot-dumpxml-internal-memory.xml'), '')).not.toContain('<description>first one');
  });
});

describe('delete: what goes, what stays', () => {
  const s1 = parseSnapshotXml(fixture('qemu-snapshot-dumpxml-internal-memory.xml'), false);
  const s2 = parseSnapshotXml(fixture('qemu-snapshot-dumpxml-external-disk.xml'), false);
  const s3 = parseSnapshotXml(fixture('qemu-snapshot-dumpxml-external-memory.xml'), true);
  const pool = { uuid: '11111111-2222-4333-8444-555555555555', name: 'probe', type: 'dir', state: 'running', targetPath: '/tmp/snapprobe' } as Pool;
  it('an external snapshot with memory: libvirt merges the overlay, Virtdeck removes the memory file through its pool', () => {
    const p = planDelete(UUID, [s1, s2, s3], 's3', 'one', ['/tmp/snapprobe/d.s3.qcow2'], [pool]);
    expect(p.impact).toEqual({ snapshots: ['s3'], goes: [{ path: '/tmp/snapprobe/s3.mem', how: 'virtdeck-removes' }, { path: '/tmp/snapprobe/d.s3.qcow2', how: 'libvirt-merges' }], stays: [] });
    expect(p.steps.map((s) => s.argv)).toEqual([
      ['snapshot-delete', '--domain', UUID, '--snapshotname', 's3'],
      ['pool-refresh', '--pool', pool.uuid],
      ['vol-delete', '--pool', pool.uuid, '--vol', 's3.mem'],
    ]);
  });
  it('a memory file outside any pool, or still named by another snapshot, stays', () => {
    expect(planDelete(UUID, [s1, s2, s3], 's3', 'one', [], []).impact.stays).toEqual([{ path: '/tmp/snapprobe/s3.mem', why: 'not-in-pool' }]);
    const twin = { ...s3, name: 's3b' };
    expect(planDelete(UUID, [s1, s2, s3, twin], 's3', 'one', [], [pool]).impact.stays).toEqual([{ path: '/tmp/snapprobe/s3.mem', why: 'used-by-snapshot' }]);
    expect(planDelete(UUID, [s1, s2, s3], 's3', 'one', ['/tmp/snapprobe/s3.mem'], [pool]).impact.stays).toEqual([{ path: '/tmp/snapprobe/s3.mem', why: 'used-by-vm' }]);
  });
  it('with children, children only, metadata only', () => {
    const i1 = { ...s1, name: 'i1', parent: 's1' };
    const i2 = { ...s1, name: 'i2', parent: 'i1' };
    const tree = planDelete(UUID, [s1, i1, i2], 's1', 'children', [], []);
    expect(tree.impact.snapshots).toEqual(['s1', 'i1', 'i2']);
    expect(tree.steps.map((x) => x.argv)).toEqual([['snapshot-delete', '--domain', UUID, '--snapshotname', 's1', '--children']]);
    expect(planDelete(UUID, [s1, i1, i2], 's1', 'children-only', [], []).impact.snapshots).toEqual(['i1', 'i2']);
    const meta = planDelete(UUID, [s1, s2, s3], 's3', 'metadata', [], [pool]);
    expect(meta.steps.map((s) => s.argv)).toEqual([['snapshot-delete', '--domain', UUID, '--snapshotname', 's3', '--metadata']]);
    expect(meta.impact.goes).toEqual([]);
    expect(meta.impact.stays.map((f) => f.why)).toEqual(['metadata-only', 'metadata-only']);
  });
  it('refused before anything runs: an external snapshot with children over an internal parent (libvirt cannot merge into it), external subtrees at once', () => {
    const p = planDelete(UUID, [s1, s2, s3], 's2', 'one', [], [pool]);
    expect(p.impact.refusal).toBe('deleting external snapshot that has internal snapshot as parent not supported');
    expect(p.steps).toEqual([]);
    expect(planDelete(UUID, [s1, s2, s3], 's1', 'children', [], []).impact.refusal).toMatch(/one at a time/);
  });
  it('a leaf external snapshot that is not current has its overlay deleted by libvirt: refused while the VM or another snapshot uses that file', () => {
    const leaf = { ...s3, current: false };
    const cur = { ...s1, name: 'now', parent: null, current: true };
    expect(planDelete(UUID, [s2, leaf, cur], 's3', 'one', [], [pool]).impact.goes).toContainEqual({ path: '/tmp/snapprobe/d.s3.qcow2', how: 'libvirt-deletes' });
    expect(planDelete(UUID, [s2, leaf, cur], 's3', 'one', ['/tmp/snapprobe/d.s3.qcow2'], [pool]).impact.refusal).toBe('libvirt would delete /tmp/snapprobe/d.s3.qcow2, which the VM still uses');
    const needs = { ...cur, uses: ['/tmp/snapprobe/d.s3.qcow2'] };
    expect(planDelete(UUID, [s2, leaf, needs], 's3', 'one', [], [pool]).impact.refusal).toBe('libvirt would delete /tmp/snapprobe/d.s3.qcow2, which snapshot "now" still needs');
  });
  it('a memory-only external snapshot is forgotten (--metadata, libvirt 9.0 cannot delete it) and its file removed', () => {
    const memOnly = { ...s3, files: s3.files.filter((f) => f.role === 'memory') };
    expect(planDelete(UUID, [s1, s2, memOnly], 's3', 'one', [], [pool]).steps[0]!.argv).toContain('--metadata');
  });
});
