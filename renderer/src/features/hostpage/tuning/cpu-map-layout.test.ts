/** The CPU map's drawing helpers: grouping by socket/core, pins per CPU, and the pin form's cpuset. */
import { describe, expect, it } from 'vitest';
import type { CpuMap } from '../../../../../shared/api/tuning-cpu';
import { cpusetIds, groupCell, pinsOnCpu, toCpuset } from './cpu-map-layout';

const cpu = (id: number, socket: number, core: number) => ({ id, socket, die: 0, core, siblings: String(id) });
const map: CpuMap = {
  cells: [{ id: 0, memoryKiB: 1024, cpus: [cpu(4, 0, 0), cpu(0, 0, 0), cpu(1, 0, 1), cpu(5, 0, 1)] }],
  hostCpus: 4,
  sockets: 1,
  vms: [
    { uuid: 'u1', name: 'a', running: true, vcpus: 2, maxVcpus: 2, vcpuPins: [{ vcpu: 0, cpuset: '1' }, { vcpu: 1, cpuset: '0-1,4-5' }], defaultCpuset: null, emulatorPin: '0,4', numatune: null },
  ],
};

describe('CPU map layout', () => {
  it('groups thread siblings under their core, cores under their socket', () => {
    expect(groupCell(map.cells[0]!)).toEqual([{ socket: 0, cores: [{ core: 0, cpus: [cpu(0, 0, 0), cpu(4, 0, 0)] }, { core: 1, cpus: [cpu(1, 0, 1), cpu(5, 0, 1)] }] }]);
  });
  it('draws explicit pins on their CPUs; a pin to every CPU is not drawn', () => {
    expect(pinsOnCpu(map, 1)).toEqual([{ vm: 'a', what: 'v0' }]);
    expect(pinsOnCpu(map, 4)).toEqual([{ vm: 'a', what: 'emu' }]);
    expect(pinsOnCpu(map, 5)).toEqual([]);
  });
  it('cpusets both ways', () => {
    expect(cpusetIds('0-3,^2,6')).toEqual([0, 1, 3, 6]);
    expect(toCpuset([6, 0, 1, 2, 3])).toBe('0-3,6');
    expect(toCpuset([1])).toBe('1');
  });
});
