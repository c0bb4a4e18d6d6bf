import { describe, expect, it } from 'vitest';
import type { Domain, DomainState } from '../../../../shared/model/domain';
import { HOST_HEIGHT, ROW_HEIGHT, buildTree, vmKey, type HostInput, type TreeOptions } from './tree-model';

let n = 0;
const vm = (name: string, state: DomainState = 'running'): Domain => ({
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
});
const opts: TreeOptions = { filter: '', stateFilter: 'all', sort: { key: 'name', dir: 'asc' }, sources: () => ({}) };
const host = (hostId: string, domains: Domain[] | null, extra: Partial<HostInput> = {}): HostInput => ({
  hostId,
  state: 'connected',
  domains,
  loadFailed: false,
  collapsed: false,
  ...extra,
});
const shape = (m: ReturnType<typeof buildTree>) =>
  m.items.map((i) => (i.kind === 'host' ? `H:${i.hostId}` : i.kind === 'vm' ? i.domain.name : `(${i.note})`));

describe('buildTree', () => {
  it('lists hosts with their sorted VMs and counts running ones', () => {
    const m = buildTree([host('a', [vm('b2'), vm('b1', 'shutoff'), vm('b10', 'blocked')]), host('b', [])], opts);
    expect(shape(m)).toEqual(['H:a', 'b1', 'b2', 'b10', 'H:b', '(empty)']);
    expect(m.counts).toEqual({ a: { running: 2, total: 3 }, b: { running: 0, total: 0 } });
    expect([...m.offsets].at(-1)).toBe(2 * HOST_HEIGHT + 4 * ROW_HEIGHT);
    const first = m.shown.a![0]!;
    expect(m.indexOf.get(vmKey('a', first.uuid))).toBe(1);
  });

  it('explains hosts without a list', () => {
    const m = buildTree(
      [
        host('off', null, { state: 'disconnected' }),
        host('err', null, { state: 'error' }),
        host('busy', null, { state: 'reconnecting' }),
        host('wait', null),
        host('bad', null, { loadFailed: true }),
      ],
      opts,
    );
    expect(shape(m)).toEqual(['H:off', '(notConnected)', 'H:err', '(notConnected)', 'H:busy', '(connecting)', 'H:wait', '(loading)', 'H:bad', '(loadError)']);
  });

  it('filters, and hides collapsed hosts from display and from actions', () => {
    const list = [vm('web1'), vm('web2', 'shutoff'), vm('db')];
    const m = buildTree([host('a', list), host('c', list, { collapsed: true })], { ...opts, filter: 'web', stateFilter: 'running' });
    expect(shape(m)).toEqual(['H:a', 'web1', 'H:c']);
    expect(m.shown.c).toEqual([]);
    expect(m.counts.c).toEqual({ running: 2, total: 3 });
    expect(shape(buildTree([host('a', list)], { ...opts, filter: 'zzz' }))).toEqual(['H:a', '(noMatch)']);
  });

  it('keeps showing a stale list with a load error note', () => {
    expect(shape(buildTree([host('a', [vm('x')], { loadFailed: true })], opts))).toEqual(['H:a', '(loadError)', 'x']);
  });

  it('builds 1000 VMs quickly enough for keystrokes', () => {
    const many = Array.from({ length: 1000 }, (_, i) => vm(`vm-${i}`, i % 3 ? 'running' : 'shutoff'));
    const t0 = performance.now();
    const m = buildTree([host('a', many)], opts);
    expect(m.items).toHaveLength(1001);
    expect(performance.now() - t0).toBeLessThan(200);
  });
});
