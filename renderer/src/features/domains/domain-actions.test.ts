import { describe, expect, it } from 'vitest';
import type { Domain, DomainState } from '../../../../shared/model/domain';
import { actionTargets, canApply, filterDomains } from './domain-actions';

let n = 0;
const vm = (name: string, state: DomainState = 'running'): Domain => ({
  uuid: `00000000-0000-0000-0000-${String(++n).padStart(12, '0')}`,
  name,
  state,
  reason: 0,
  persistent: true,
  autostart: false,
  managedSave: false,
});

describe('canApply', () => {
  it('matches what virsh accepts per state', () => {
    expect(canApply('start', 'shutoff')).toBe(true);
    expect(canApply('start', 'running')).toBe(false);
    expect(canApply('resume', 'paused')).toBe(true);
    expect(canApply('suspend', 'paused')).toBe(false);
    expect(canApply('destroy', 'paused')).toBe(true);
    expect(canApply('destroy', 'shutoff')).toBe(false);
    expect(canApply('shutdown', 'shutoff')).toBe(false);
  });
});

describe('actionTargets', () => {
  it('keeps only suitable, idle VMs', () => {
    const a = vm('a', 'shutoff');
    const b = vm('b', 'running');
    const c = vm('c', 'shutoff');
    expect(actionTargets('start', [a, b, c], { [c.uuid]: 'start' })).toEqual([a]);
  });
});

describe('filterDomains', () => {
  it('filters case-insensitively and sorts naturally', () => {
    const list = [vm('vm10'), vm('VM2'), vm('db'), vm('vm1')];
    expect(filterDomains(list, '').map((d) => d.name)).toEqual(['db', 'vm1', 'VM2', 'vm10']);
    expect(filterDomains(list, ' Vm ').map((d) => d.name)).toEqual(['vm1', 'VM2', 'vm10']);
    expect(filterDomains(list, 'zzz')).toEqual([]);
  });
});
