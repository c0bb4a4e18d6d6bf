/** The pinning and memtune planners: the exact virsh argv "Show command" shows and runSteps runs. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTopology } from './cpu-map';
import { memtuneSteps, parseMemtune } from './memtune';
import { pinSteps } from './pinning';

const U = '5d7e57a1-0000-4e2e-8d0c-7e57c0ffee01';
const topo = parseTopology(readFileSync(join(__dirname, 'fixtures', 'capabilities-2cells-ht.xml'), 'utf8'));

describe('pin planner', () => {
  it('pins a vCPU persistently and live', () => {
    expect(pinSteps(topo, { uuid: U, target: { kind: 'vcpu', vcpu: 0 }, cpuset: '2,6', config: true, live: true })).toEqual([
      { argv: ['vcpupin', '--domain', U, '--vcpu', '0', '--cpulist', '2,6', '--config', '--live'] },
    ]);
  });
  it('unpins to every host CPU', () => {
    expect(pinSteps(topo, { uuid: U, target: { kind: 'emulator' }, cpuset: null, config: true, live: false })[0]!.argv).toEqual(['emulatorpin', '--domain', U, '--cpulist', '0-7', '--config']);
  });
  it('numatune names cells, not CPUs', () => {
    expect(pinSteps(topo, { uuid: U, target: { kind: 'numa', mode: 'strict' }, cpuset: '1', config: true, live: false })[0]!.argv).toEqual(['numatune', '--domain', U, '--mode', 'strict', '--nodeset', '1', '--config']);
    expect(() => pinSteps(topo, { uuid: U, target: { kind: 'numa', mode: 'strict' }, cpuset: '2', config: true, live: false })).toThrow(/no NUMA cell 2/);
  });
  it('refuses CPUs the host does not have and a change going nowhere', () => {
    expect(() => pinSteps(topo, { uuid: U, target: { kind: 'vcpu', vcpu: 0 }, cpuset: '9', config: true, live: false })).toThrow(/no CPU 9/);
    expect(() => pinSteps(topo, { uuid: U, target: { kind: 'vcpu', vcpu: 0 }, cpuset: '1', config: false, live: false })).toThrow(/--config/);
  });
});

describe('memtune', () => {
  it('parses the real output of virsh memtune (all unlimited)', () => {
    expect(parseMemtune(readFileSync(join(__dirname, 'fixtures', 'memtune.txt'), 'utf8'))).toEqual({ hardKiB: null, softKiB: null, swapHardKiB: null });
    expect(parseMemtune('hard_limit     : 1048576\nsoft_limit     : 524288\nswap_hard_limit: unlimited\n')).toEqual({ hardKiB: 1048576, softKiB: 524288, swapHardKiB: null });
  });
  it('passes only the limits that change, -1 for unlimited', () => {
    const cur = { hardKiB: 1048576, softKiB: null, swapHardKiB: null };
    expect(memtuneSteps(cur, { uuid: U, hardKiB: null, softKiB: 262144, swapHardKiB: null, config: true, live: true })[0]!.argv).toEqual([
      'memtune', '--domain', U, '--hard-limit', '-1', '--soft-limit', '262144', '--config', '--live',
    ]);
    expect(() => memtuneSteps(cur, { uuid: U, ...cur, config: true, live: false })).toThrow(/already/);
    expect(() => memtuneSteps(cur, { uuid: U, hardKiB: 1000, softKiB: 2000, swapHardKiB: null, config: true, live: false })).toThrow(/soft limit/);
  });
});
