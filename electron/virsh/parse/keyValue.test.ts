// Fixtures: libvirt 9.0.0, interactive virsh; `test-*` on test:///default, `qemu-*` on qemu:///embed.
import { describe, expect, it } from 'vitest';
import { fixture } from '../testing/fixture';
import { parseDominfo, parseKeyValueTable } from './keyValue';

describe('parseKeyValueTable', () => {
  it('nodeinfo (values at column 21)', () => {
    expect(parseKeyValueTable(fixture('test-nodeinfo.txt'))).toEqual({
      'CPU model': 'i686',
      'CPU(s)': '16',
      'CPU frequency': '1400 MHz',
      'CPU socket(s)': '2',
      'Core(s) per socket': '2',
      'Thread(s) per core': '2',
      'NUMA cell(s)': '2',
      'Memory size': '3145728 KiB',
    });
  });
  it('keeps blanks that belong to the value (dominfo of " lead-space"), empty values are ""', () => {
    const t = parseKeyValueTable(fixture('test-dominfo-managedsave.txt'));
    expect(t['Name']).toBe(' lead-space');
    expect(t['Security DOI']).toBe('');
  });
  it('a key longer than the padding is followed by exactly one space', () => {
    expect(parseKeyValueTable('Id:             1\nA very long key here: v a l\n')).toEqual({ Id: '1', 'A very long key here': 'v a l' });
  });
  it('values may contain colons; lines without one are ignored', () => {
    expect(parseKeyValueTable('Security label: system_u:system_r:svirt_t:s0:c1,c2 (enforcing)\nnoise\n')).toEqual({
      'Security label': 'system_u:system_r:svirt_t:s0:c1,c2 (enforcing)',
    });
  });
});

describe('parseDominfo', () => {
  it('dominfo --domain test (running, persistent)', () => {
    const d = parseDominfo(fixture('test-dominfo-running.txt'));
    expect({ ...d, raw: undefined }).toEqual({
      id: 6, name: 'test', uuid: '6695eb01-f6a4-8304-79aa-97f2502e193f', osType: 'linux', state: 'running', stateText: 'running',
      cpus: 2, cpuTimeSeconds: d.cpuTimeSeconds, maxMemoryKiB: 8388608, usedMemoryKiB: 2097152, persistent: true, autostart: false,
      managedSave: false, securityModel: 'testSecurity', securityDoi: '', securityLabel: 'libvirt-test (enforcing)', raw: undefined,
    });
    expect(d.cpuTimeSeconds).toBeGreaterThan(0);
  });
  it("dominfo of a paused domain named it's", () => {
    const d = parseDominfo(fixture('test-dominfo-paused.txt'));
    expect([d.name, d.state, d.stateText, d.id]).toEqual(["it's", 'paused', 'paused', 3]);
  });
  it('dominfo of a shut off domain with a managed save image (no Id, no label)', () => {
    const d = parseDominfo(fixture('test-dominfo-managedsave.txt'));
    expect([d.id, d.name, d.state, d.managedSave, d.securityLabel]).toEqual([null, ' lead-space', 'shutoff', true, null]);
  });
  it('dominfo of a transient domain', () => {
    expect(parseDominfo(fixture('test-dominfo-transient.txt')).persistent).toBe(false);
  });
  it('dominfo of an autostart domain ("Autostart: enable")', () => {
    const d = parseDominfo(fixture('test-dominfo-autostart.txt'));
    expect([d.name, d.autostart, d.state]).toEqual(['web 01', true, 'shutoff']);
  });
  it('dominfo on qemu:///embed (Security model: none, DOI 0)', () => {
    const d = parseDominfo(fixture('qemu-dominfo-running.txt'));
    expect([d.name, d.osType, d.cpuTimeSeconds !== null, d.securityModel, d.securityDoi, d.securityLabel]).toEqual([
      "qemu 'quoted' vm", 'hvm', true, 'none', '0', null,
    ]);
  });
  it('"no limit" / "unknown" become null', () => {
    const d = parseDominfo('Name:           x\nUUID:           ABC\nMax memory:     no limit\nPersistent:     unknown\n');
    expect([d.maxMemoryKiB, d.persistent, d.autostart, d.uuid]).toEqual([null, null, null, 'abc']);
  });
  it('throws when it is not dominfo output', () => {
    expect(() => parseDominfo('error: failed to get domain')).toThrow();
  });
});
