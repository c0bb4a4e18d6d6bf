import { describe, expect, it } from 'vitest';
import type { Domain, DomainState } from '../../../../shared/model/domain';
import { canApply, commandTargets, filterDomains, stateBucket } from './domain-actions';

let n = 0;
const vm = (name: string, state: DomainState = 'running', extra: Partial<Domain> = {}): Domain => ({
  uuid: `00000000-0000-0000-0000-${String(++n).padStart(12, '0')}`,
  name,
  state,
  reason: 0,
  persistent: true,
  autostart: false,
  managedSave: false,
  vcpus: 1,
  memoryKiB: 1024,
  maxMemoryKiB: 1024,
  ...extra,
});

describe('canApply', () => {
  it('matches what virsh accepts per state', () => {
    expect(canApply('start', vm('a', 'shutoff'))).toBe(true);
    expect(canApply('start', vm('a', 'running'))).toBe(false);
    expect(canApply('resume', vm('a', 'paused'))).toBe(true);
    expect(canApply('suspend', vm('a', 'paused'))).toBe(false);
    expect(canApply('destroy', vm('a', 'paused'))).toBe(true);
    expect(canApply('destroy', vm('a', 'shutoff'))).toBe(false);
    expect(canApply('shutdown', vm('a', 'shutoff'))).toBe(false);
    expect(canApply('reset', vm('a', 'running'))).toBe(true);
  });

  it('knows about saved state, autostart and transient VMs', () => {
    expect(canApply('managedsave', vm('a', 'running'))).toBe(true);
    expect(canApply('managedsave', vm('a', 'running', { persistent: false }))).toBe(false);
    expect(canApply('managedsave-remove', vm('a', 'shutoff'))).toBe(false);
    expect(canApply('managedsave-remove', vm('a', 'shutoff', { managedSave: true }))).toBe(true);
    expect(canApply('autostart', vm('a'))).toBe(true);
    expect(canApply('noautostart', vm('a'))).toBe(false);
    expect(canApply('noautostart', vm('a', 'shutoff', { autostart: true }))).toBe(true);
    expect(canApply('autostart', vm('a', 'running', { persistent: false }))).toBe(false);
    expect(canApply('delete', vm('a', 'running'))).toBe(true);
    expect(canApply('savefile', vm('a', 'shutoff'))).toBe(false);
    expect(canApply('restorefile', vm('a', 'shutoff'))).toBe(false);
  });
});

describe('commandTargets', () => {
  it('keeps only suitable, idle VMs', () => {
    const a = vm('a', 'shutoff');
    const b = vm('b', 'running');
    const c = vm('c', 'shutoff');
    expect(commandTargets('start', [a, b, c], { [c.uuid]: 'start' })).toEqual([a]);
  });

  it('offers single-VM commands only for exactly one VM', () => {
    const a = vm('a');
    const b = vm('b');
    expect(commandTargets('delete', [a], {})).toEqual([a]);
    expect(commandTargets('delete', [a, b], {})).toEqual([]);
    expect(commandTargets('savefile', [b], {})).toEqual([b]);
  });
});

describe('filterDomains', () => {
  it('filters case-insensitively by name and keeps the order', () => {
    const list = [vm('vm10'), vm('VM2'), vm('db'), vm('vm1')];
    expect(filterDomains(list, '').map((d) => d.name)).toEqual(['vm10', 'VM2', 'db', 'vm1']);
    expect(filterDomains(list, ' Vm ').map((d) => d.name)).toEqual(['vm10', 'VM2', 'vm1']);
    expect(filterDomains(list, 'zzz')).toEqual([]);
  });

  it('filters by state bucket', () => {
    const list = [vm('r'), vm('b', 'blocked'), vm('p', 'paused'), vm('o', 'shutoff'), vm('c', 'crashed'), vm('s', 'pmsuspended')];
    const by = (s: Parameters<typeof filterDomains>[2]) => filterDomains(list, '', s).map((d) => d.name);
    expect(by('running')).toEqual(['r', 'b']);
    expect(by('paused')).toEqual(['p']);
    expect(by('shutoff')).toEqual(['o']);
    expect(by('other')).toEqual(['c', 's']);
    expect(by('all')).toHaveLength(6);
    expect(filterDomains(list, 'r', 'running').map((d) => d.name)).toEqual(['r']);
    expect(stateBucket('shutdown')).toBe('other');
  });
});
