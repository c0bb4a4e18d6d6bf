// Fixtures: real virsh 9.0 output (electron/virsh/parse/fixtures, qemu:///embed with TCG guests:
// one running, one paused, one shut off). A --list-active tick is the running and paused blocks.
import { describe, expect, it } from 'vitest';
import type { Domain, DomainState } from '../../shared/model/domain';
import { parseDomstatsRaw, parseListUuidName } from '../virsh/parse';
import { fixture } from '../virsh/testing/fixture';
import { tickDisagreement } from './tick-check';

const listedNames = parseListUuidName(fixture('qemu-list-all-uuid-name.txt'));
const uuidOf = (name: string) => listedNames.find((d) => d.name === name)?.uuid;
const allRecords = parseDomstatsRaw(fixture('qemu-domstats-raw-groups.txt'));
const activeTick = allRecords.filter((r) => r.name !== 'off vm');

function list(states: Record<string, DomainState>): Domain[] {
  return listedNames.map(({ uuid, name }) => ({
    uuid, name, state: states[name] ?? 'shutoff', reason: 0, persistent: true, autostart: false, managedSave: false, vcpus: 2, memoryKiB: 524288, maxMemoryKiB: 1048576,
  }));
}
const truth = { "qemu 'quoted' vm": 'running', 'paused vm': 'paused', 'off vm': 'shutoff' } as const;

describe('tickDisagreement', () => {
  it('a list that matches the tick needs nothing', () => {
    expect(tickDisagreement(activeTick, list(truth), uuidOf)).toEqual({ uuids: [], unknown: false });
  });

  it('a VM paused or resumed without an event is named', () => {
    const stale = list({ ...truth, 'paused vm': 'running' });
    expect(tickDisagreement(activeTick, stale, uuidOf)).toEqual({ uuids: [uuidOf('paused vm')], unknown: false });
  });

  it('a VM listed as running that the tick no longer has (stopped without an event) is named', () => {
    const stale = list({ ...truth, 'off vm': 'running' });
    expect(tickDisagreement(activeTick, stale, uuidOf)).toEqual({ uuids: [uuidOf('off vm')], unknown: false });
  });

  it('a VM started without an event is named, and a name the list lacks is reported', () => {
    const stale = list({ ...truth, "qemu 'quoted' vm": 'shutoff' });
    expect(tickDisagreement(activeTick, stale, uuidOf).uuids).toEqual([uuidOf("qemu 'quoted' vm")]);
    expect(tickDisagreement(activeTick, list(truth), (n) => (n === 'paused vm' ? undefined : uuidOf(n))).unknown).toBe(true);
  });

  it('a tick without state fields (an older tick format) only checks presence', () => {
    const bare = activeTick.map((r) => ({ name: r.name, fields: new Map([...r.fields].filter(([k]) => !k.startsWith('state.'))) }));
    expect(tickDisagreement(bare, list({ ...truth, 'paused vm': 'running' }), uuidOf).uuids).toEqual([]);
    expect(tickDisagreement(bare, list({ ...truth, 'off vm': 'paused' }), uuidOf).uuids).toEqual([uuidOf('off vm')]);
  });
});
