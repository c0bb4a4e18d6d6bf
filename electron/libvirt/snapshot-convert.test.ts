import { describe, expect, it } from 'vitest';
import { snapshotFilesOf } from './domains';
import { freshQcow2Name, repointedXml } from './snapshot-convert';
import type { Snapshot } from '../../shared/model/snapshot';

describe('raw → qcow2 conversion', () => {
  it('the new volume gets a name next to the raw one that no volume has', () => {
    expect(freshQcow2Name('/p/disk.raw', new Set())).toBe('disk.qcow2');
    expect(freshQcow2Name('/p/disk.img', new Set(['disk.qcow2', 'disk-1.qcow2']))).toBe('disk-2.qcow2');
    expect(freshQcow2Name('/p/--x $(y)', new Set())).toBe('--x $(y).qcow2');
  });

  it('only the chosen disk is repointed and made qcow2; the rest of the definition stays', () => {
    const xml = `<domain type='kvm'><name>v</name><devices><disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='/p/a.raw'/><target dev='vda'/></disk><disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='/p/b.raw'/><target dev='vdb'/></disk><x-keep/></devices></domain>\n`;
    const out = repointedXml(xml, 'vdb', '/p/b.qcow2');
    expect(out).toContain(`<driver name='qemu' type='raw'/><source file='/p/a.raw'/>`);
    expect(out).toContain(`<driver name='qemu' type='qcow2'/><source file='/p/b.qcow2'/>`);
    expect(out).toContain('<x-keep/>');
    expect(() => repointedXml(xml, 'vdz', '/x')).toThrow(/no disk vdz/);
  });
});

describe('VM delete: files of external snapshots', () => {
  const snap = (name: string, files: Snapshot['files']): Snapshot => ({ name, parent: null, current: false, createdAt: 0, state: 'running', description: '', location: 'external', memory: true, files, uses: [] });
  it('lists memory files and overlays that are not disks already, once each; internal data is the disk itself', () => {
    const snaps = [
      snap('a', [{ role: 'memory', path: '/p/v.a.mem' }, { role: 'overlay', path: '/p/d.a.qcow2', disk: 'vda' }]),
      snap('b', [{ role: 'overlay', path: '/p/d.b.qcow2', disk: 'vda' }, { role: 'internal', path: '/p/d.qcow2', disk: 'vda' }]),
    ];
    expect(snapshotFilesOf(snaps, ['/p/d.b.qcow2'])).toEqual([
      { snapshot: 'a', role: 'memory', path: '/p/v.a.mem' },
      { snapshot: 'a', role: 'overlay', path: '/p/d.a.qcow2' },
    ]);
  });
});
