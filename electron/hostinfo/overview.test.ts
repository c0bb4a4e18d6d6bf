/**
 * The Overview's facts. Fixtures: `virsh -c qemu:///system capabilities` and `virsh version` on
 * the Debian 12 test machine (libvirt 9.0.0, QEMU 7.2, 2 vCPUs, one NUMA cell).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Domain } from '../../shared/model/domain';
import { parseCapabilities, parseVersion, runningTotals } from './overview';

const fx = (f: string) => readFileSync(join(__dirname, 'fixtures', f), 'utf8');

describe('host overview', () => {
  it('reads libvirt and hypervisor versions from virsh version', () => {
    expect(parseVersion(fx('version.txt'))).toEqual({ libvirt: 'libvirt 9.0.0', hypervisor: 'QEMU 7.2.22' });
  });

  it('reads the CPU model, NUMA cells and guest domain types from capabilities', () => {
    expect(parseCapabilities(fx('capabilities.xml'))).toEqual({
      cpuModel: 'Broadwell-noTSX-IBRS',
      numaCells: [{ id: 0, memoryKiB: 24731408, cpus: 2 }],
      domainTypes: ['qemu', 'kvm'],
    });
  });

  it('counts VMs and adds up what running ones were given; unsized ones are counted as unknown', () => {
    const vm = (state: Domain['state'], vcpus: number | null, memoryKiB: number | null) => ({ state, vcpus, memoryKiB }) as Domain;
    expect(runningTotals([vm('running', 4, 4194304), vm('paused', 2, 1048576), vm('shutoff', 8, 8388608), vm('running', null, null)])).toEqual({
      vms: { defined: 4, running: 3 },
      running: { vcpus: 6, memoryKiB: 5242880, unknown: 1 },
    });
  });
});
