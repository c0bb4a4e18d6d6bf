import { describe, expect, it } from 'vitest';
import { DomainList } from './domain';
import { NetworkList } from './network';
import { PoolList, VolumeList } from './storage';

const pool = (over: Record<string, unknown>) => ({
  uuid: '00000000-0000-4000-8000-000000000001',
  name: 'p',
  type: 'dir',
  state: 'running',
  persistent: true,
  autostart: false,
  capacity: '107374182400',
  allocation: '0',
  available: '107374182400',
  targetPath: '/p',
  source: null,
  ...over,
});

describe('lists validated object by object', () => {
  it('one pool it cannot fully read is kept, with what is known and a note; the others are untouched', () => {
    const list = PoolList.parse([pool({ name: 'a' }), pool({ uuid: '00000000-0000-4000-8000-000000000002', name: 'odd', state: 'reticulating', available: 18446744073709551615 }), pool({ uuid: '00000000-0000-4000-8000-000000000003', name: 'c' })]);
    expect(list.map((p) => p.name)).toEqual(['a', 'odd', 'c']);
    expect(list[0]!.problems).toBeUndefined();
    expect(list[1]).toMatchObject({ state: 'inaccessible', capacity: '107374182400', available: null, type: 'dir', targetPath: '/p' });
    expect(list[1]!.problems).toEqual([expect.stringMatching(/^state: unreadable value "reticulating"/), expect.stringMatching(/^available: unreadable value 18446744073709552000/)]);
  });

  it('sizes travel as decimal strings, exact to 2^64−1', () => {
    expect(PoolList.parse([pool({ available: '18446744073709551615' })])[0]!.available).toBe('18446744073709551615');
  });

  it('an object without a readable identity cannot be shown and is left out, not the list', () => {
    expect(PoolList.parse([pool({ uuid: 'not-a-uuid' }), 'junk', null, pool({ name: 'kept' })]).map((p) => p.name)).toEqual(['kept']);
  });

  it('keeps problems the backend already noted', () => {
    const [p] = PoolList.parse([pool({ problems: ['pool-dumpxml: failed'], persistent: 'maybe' })]);
    expect(p!.problems).toEqual(['pool-dumpxml: failed', expect.stringMatching(/^persistent:/)]);
  });

  it('works the same for volumes, networks and domains', () => {
    const [v] = VolumeList.parse([{ name: 'Name backup.qcow2', key: 'k', path: '/p/x', type: 'block', format: null, capacity: 9.2e18, allocation: '1', physical: null, backing: null, usedBy: [] }]);
    expect(v).toMatchObject({ name: 'Name backup.qcow2', capacity: null, allocation: '1' });
    const [n] = NetworkList.parse([{ uuid: '00000000-0000-4000-8001-000000000001', name: 'n', active: true, persistent: true, autostart: false, bridge: null, forwardMode: 'open', forwardDev: null, domainName: null, ips: [{ family: 'ipx' }], leases: [], attached: [] }]);
    expect(n).toMatchObject({ name: 'n', forwardMode: 'open', ips: [], problems: [expect.stringMatching(/^ips:/)] });
    const [d] = DomainList.parse([{ uuid: '00000000-0000-4000-8002-000000000001', name: 'vm', state: 'hibernating', reason: 0, persistent: true, autostart: false, managedSave: false, vcpus: 1, memoryKiB: 1, maxMemoryKiB: 1 }]);
    expect(d).toMatchObject({ name: 'vm', state: 'nostate', vcpus: 1 });
  });
});
