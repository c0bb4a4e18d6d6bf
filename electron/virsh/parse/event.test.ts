// Fixtures: libvirt 9.0.0. `test-daemon-events*`: `virsh -c test+unix:///default?socket=… event --all
// --loop --timeout 6 [--timestamp]` against a private libvirtd while another virsh acted;
// `qemu-events-sigterm`: `event --all --loop --timeout 6` in interactive virsh on qemu:///embed
// while the guest's qemu was sent SIGTERM.
import { describe, expect, it } from 'vitest';
import { fixture } from '../testing/fixture';
import { parseEventLine } from './event';

const lines = (f: string) => fixture(f).split('\n');

describe('parseEventLine on captured output', () => {
  it('test driver via libvirtd: every event line parses, the rest is null', () => {
    const all = lines('test-daemon-events.txt');
    const events = all.map(parseEventLine).filter((e) => e !== null);
    expect(events).toHaveLength(19);
    expect(all.filter((l) => parseEventLine(l) === null)).toEqual(['event loop timed out', 'events received: 19', '', '']);
    expect(events[0]).toEqual({
      event: 'lifecycle', domain: "it's a vm", detail: 'Defined Added', lifecycle: { type: 'Defined', reason: 'Added' },
    });
    expect(events.map((e) => `${e.domain}|${e.detail}`)).toEqual([
      "it's a vm|Defined Added", "it's a vm|Started Booted", "it's a vm|Suspended Paused", "it's a vm|Resumed Unpaused",
      "it's a vm|type title, uri <null>", "it's a vm|type description, uri <null>", "it's a vm|type element, uri http://example.org/x",
      "it's a vm|Stopped Saved", "it's a vm|Started Booted", "it's a vm|Stopped Saved", "it's a vm|Started Restored",
      "it's a vm|Stopped Shutdown", 'transient one|Started Booted', 'transient one|Stopped Destroyed',
      "it's a vm|Undefined Renamed", 'renamed|Defined Renamed', 'renamed|Undefined Removed', 'test|Stopped Snapshot', 'test|Started Snapshot',
    ]);
    expect(events[4]).toEqual({ event: 'metadata-change', domain: "it's a vm", detail: 'type title, uri <null>' });
  });
  it('--timestamp prefix', () => {
    const e = parseEventLine(lines('test-daemon-events-timestamp.txt')[0]!);
    expect(e).toMatchObject({ event: 'lifecycle', domain: "it's a vm", detail: 'Defined Added' });
    expect(e!.timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\+0000$/);
    const plain = lines('test-daemon-events.txt').map(parseEventLine);
    const stamped = lines('test-daemon-events-timestamp.txt').map(parseEventLine).map((x) => x && { ...x, timestamp: undefined });
    expect(stamped.map((x) => x && JSON.stringify({ ...x, timestamp: undefined }))).toEqual(plain.map((x) => x && JSON.stringify({ ...x, timestamp: undefined })));
  });
  it('qemu: host-requested shutdown, multi-word detail, quotes in the name', () => {
    const [a, b] = lines('qemu-events-sigterm.txt').map(parseEventLine);
    expect(a).toEqual({
      event: 'lifecycle', domain: "qemu 'quoted' vm", detail: 'Shutdown Finished after host request',
      lifecycle: { type: 'Shutdown', reason: 'Finished after host request' },
    });
    expect(b!.lifecycle).toEqual({ type: 'Stopped', reason: 'Shutdown' });
  });
});

describe('parseEventLine on the other formats of tools/virsh-domain-event.c (not producible here)', () => {
  it('events without detail', () => {
    expect(parseEventLine("event 'reboot' for domain 'a': b'")).toEqual({ event: 'reboot', domain: "a': b", detail: '' });
  });
  it('disk events keep "disk ALIAS" in the detail', () => {
    expect(parseEventLine("event 'tray-change' for domain 'vm' disk sda: opened")).toEqual({
      event: 'tray-change', domain: 'vm', detail: 'disk sda: opened',
    });
  });
  it('details with quotes, first line of multi-line events, continuation lines', () => {
    expect(parseEventLine("event 'agent-lifecycle' for domain 'v': state: 'connected' reason: 'channel event'")).toMatchObject({
      domain: 'v', detail: "state: 'connected' reason: 'channel event'",
    });
    expect(parseEventLine("event 'tunable' for domain 'v':")).toEqual({ event: 'tunable', domain: 'v', detail: '' });
    expect(parseEventLine('\tcputune.vcpu_quota: 1000')).toBeNull();
    expect(parseEventLine("event 'lifecycle' for domain 'x")).toBeNull();
  });
  it('accepts a trailing newline', () => {
    expect(parseEventLine("event 'lifecycle' for domain 'v': Started Booted\n")?.domain).toBe('v');
  });
});
