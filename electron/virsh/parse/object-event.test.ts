// Fixtures: libvirt 9.0.0, written by fixtures/capture-object-events.mjs — `virsh -c qemu:///system
// pool-event --event lifecycle|refresh [--timestamp] --loop --timeout 10` and `net-event --event
// lifecycle --loop --timeout 10` while a second virsh acted on a pool named `vd-capture pool 'q' "x": y`
// and a network named `vd-capture net 'q' "x"`.
import { describe, expect, it } from 'vitest';
import { fixture } from '../testing/fixture';
import { parseObjectEventLine } from './object-event';

const lines = (f: string) => fixture(f).split('\n');
const POOL = `vd-capture pool 'q' "x": y`;

describe('parseObjectEventLine on captured output', () => {
  it('pool lifecycle: the name keeps its quotes and its own ": "', () => {
    const all = lines('pool-qemu-events.txt');
    const events = all.map(parseObjectEventLine).filter((e) => e !== null);
    expect(events.map((e) => e.detail)).toEqual(['Defined', 'Created', 'Started', 'Stopped', 'Deleted', 'Undefined']);
    expect(events.every((e) => e.kind === 'pool' && e.event === 'lifecycle' && e.name === POOL)).toBe(true);
    expect(all.filter((l) => parseObjectEventLine(l) === null)).toEqual(['event loop timed out', 'events received: 6', '', '']);
  });

  it('pool refresh has no detail; --timestamp is split off', () => {
    const [e] = lines('pool-qemu-events-refresh-timestamp.txt').map(parseObjectEventLine);
    expect(e).toMatchObject({ kind: 'pool', event: 'refresh', name: POOL, detail: '' });
    expect(e!.timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\+0000$/);
  });

  it('network lifecycle', () => {
    const events = lines('net-qemu-events.txt').map(parseObjectEventLine).filter((e) => e !== null);
    expect(events).toEqual(
      ['Defined', 'Started', 'Stopped', 'Undefined'].map((detail) => ({ kind: 'network', event: 'lifecycle', name: `vd-capture net 'q' "x"`, detail })),
    );
  });

  it('domain events and broken lines are not pool/network events', () => {
    expect(parseObjectEventLine("event 'lifecycle' for domain 'vm': Started Booted")).toBeNull();
    expect(parseObjectEventLine("event 'lifecycle' for network nodetail")).toBeNull();
    expect(parseObjectEventLine("event 'lifecycle' for network n: Started\n")?.name).toBe('n');
  });
});
