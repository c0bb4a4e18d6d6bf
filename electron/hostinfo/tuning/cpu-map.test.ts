/**
 * The CPU map's parsers on real output: `virsh capabilities` and `virsh dumpxml --inactive` of
 * the provisioned test guest (libvirt 9.0.0, QEMU 7.2, Debian 12 host with 1 cell × 2 cores),
 * and a hand-made two-cell host with hyper-threads (as libvirt 9.0 prints them).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandCpuset, parseCputune, parseTopology } from './cpu-map';

const fx = (f: string) => readFileSync(join(__dirname, 'fixtures', f), 'utf8');

describe('the host topology from virsh capabilities', () => {
  it('reads the real single-cell host: 2 CPUs, one socket', () => {
    const t = parseTopology(readFileSync(join(__dirname, '..', 'fixtures', 'capabilities.xml'), 'utf8'));
    expect(t.cells).toHaveLength(1);
    expect(t.hostCpus).toBe(2);
    expect(t.sockets).toBe(1);
    expect(t.cells[0]!.cpus.map((c) => c.id)).toEqual([0, 1]);
  });
  it('reads two NUMA cells with thread siblings and sockets', () => {
    const t = parseTopology(fx('capabilities-2cells-ht.xml'));
    expect(t.cells.map((c) => c.id)).toEqual([0, 1]);
    expect(t.hostCpus).toBe(8);
    expect(t.sockets).toBe(2);
    expect(t.cells[1]!.cpus[0]).toEqual({ id: 2, socket: 1, die: 0, core: 0, siblings: '2,6' });
    expect(t.cells[0]!.memoryKiB).toBe(16384000);
  });
});

describe('a VM pinning from its XML', () => {
  it('an unpinned guest has no pins, no emulator pin and no numatune', () => {
    const p = parseCputune(fx('test-guest.xml'));
    expect(p).toMatchObject({ name: 'vd-test-guest', vcpus: 1, maxVcpus: 2, vcpuPins: [], emulatorPin: null, numatune: null, defaultCpuset: null });
  });
  it('reads vcpupin, emulatorpin, <vcpu cpuset> and numatune', () => {
    const xml = fx('test-guest.xml')
      .replace("<vcpu placement='static' current='1'>2</vcpu>", "<vcpu placement='static' cpuset='0-1'>2</vcpu>\n  <cputune>\n    <vcpupin vcpu='1' cpuset='1'/>\n    <vcpupin vcpu='0' cpuset='0'/>\n    <emulatorpin cpuset='1'/>\n  </cputune>\n  <numatune>\n    <memory mode='preferred' nodeset='0'/>\n  </numatune>");
    const p = parseCputune(xml);
    expect(p.vcpus).toBe(2);
    expect(p.vcpuPins).toEqual([{ vcpu: 0, cpuset: '0' }, { vcpu: 1, cpuset: '1' }]);
    expect(p.emulatorPin).toBe('1');
    expect(p.defaultCpuset).toBe('0-1');
    expect(p.numatune).toEqual({ mode: 'preferred', nodeset: '0', placement: null });
  });
});

describe('cpusets', () => {
  it('expands ranges, lists and exclusions', () => {
    expect(expandCpuset('0-3,^2,6')).toEqual([0, 1, 3, 6]);
    expect(expandCpuset('1')).toEqual([1]);
  });
  it('refuses anything else', () => {
    expect(() => expandCpuset('0-')).toThrow();
    expect(() => expandCpuset('$(reboot)')).toThrow();
    expect(() => expandCpuset('3-1')).toThrow();
  });
});
