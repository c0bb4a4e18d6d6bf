// Fixtures: libvirt 9.0.0; `test-*` from `virsh -q -c test:///default`, `qemu-*` from
// `virsh -q -c qemu:///embed?root=…` (real QEMU driver, TCG guests), both interactive.
import { describe, expect, it } from 'vitest';
import { fixture } from '../testing/fixture';
import { domstatsNumber, parseDomstatsRaw } from './domstats';

describe('parseDomstatsRaw', () => {
  it('domstats --raw (test driver: only state.*; names with quotes, tab, blanks, unicode)', () => {
    const recs = parseDomstatsRaw(fixture('test-domstats-raw.txt'));
    expect(recs.map((r) => r.name).sort()).toEqual(
      ['trail-space ', 'tab\there', ' lead-space', 'tmp-transient', 'web 01', "it's", 'say "hi"', 'test', '--double', '日本語 ünïcødé'].sort(),
    );
    const byName = new Map(recs.map((r) => [r.name, r.fields]));
    expect(Object.fromEntries(byName.get("it's")!)).toEqual({ 'state.state': '3', 'state.reason': '1' });
    expect(byName.get(' lead-space')!.get('state.reason')).toBe('5'); // shut off, saved (managedsave)
    expect(byName.get('test')!.get('state.state')).toBe('1');
  });
  it('domstats --raw --state --cpu-total --balloon --vcpu --interface --block (test driver ignores the extra groups)', () => {
    expect(fixture('test-domstats-raw-groups.txt')).toBe(fixture('test-domstats-raw.txt'));
  });
  it("domstats --raw --state -- \"it's\" ' lead-space' 'tab\\there' keeps the requested order", () => {
    expect(parseDomstatsRaw(fixture('test-domstats-raw-named.txt')).map((r) => r.name)).toEqual(["it's", ' lead-space', 'tab\there']);
  });
  it('domstats --raw (qemu: running, shut off, paused)', () => {
    const recs = parseDomstatsRaw(fixture('qemu-domstats-raw.txt'));
    // block order follows libvirt's hash table, not definition order
    expect(recs.map((r) => r.name).sort()).toEqual(['off vm', 'paused vm', "qemu 'quoted' vm"]);
    const get = (n: string) => recs.find((r) => r.name === n)!.fields;
    const [running, off, paused] = [get("qemu 'quoted' vm"), get('off vm'), get('paused vm')];
    expect(running.size).toBe(42);
    expect(domstatsNumber(running, 'state.state')).toBe(1);
    expect(domstatsNumber(running, 'cpu.time')).toBeGreaterThan(0);
    expect(domstatsNumber(running, 'balloon.current')).toBe(1048576);
    expect(domstatsNumber(running, 'vcpu.current')).toBe(2);
    expect(running.get('block.0.name')).toBe('vda');
    expect(running.get('block.0.path')).toMatch(/\/disk\.img$/);
    expect(running.get('dirtyrate.calc_mode')).toBe('page-sampling');
    expect(domstatsNumber(running, 'dirtyrate.calc_mode')).toBeUndefined();
    expect(domstatsNumber(running, 'no.such')).toBeUndefined();
    expect(domstatsNumber(off, 'state.state')).toBe(5);
    expect(off.has('balloon.rss')).toBe(false);
    expect(domstatsNumber(paused, 'state.state')).toBe(3);
  });
  it('--state --cpu-total --balloon --vcpu --interface --block on qemu: same fields minus dirtyrate.*', () => {
    const all = parseDomstatsRaw(fixture('qemu-domstats-raw.txt'));
    const groups = parseDomstatsRaw(fixture('qemu-domstats-raw-groups.txt'));
    expect(groups.map((r) => [...r.fields.keys()])).toEqual(all.map((r) => [...r.fields.keys()].filter((k) => !k.startsWith('dirtyrate.'))));
  });
  it('values may contain "=", names may contain "\'" ; empty output → []', () => {
    const [r] = parseDomstatsRaw("Domain: 'a'b'\n  block.0.path=/x=y\n");
    expect(r!.name).toBe("a'b");
    expect(r!.fields.get('block.0.path')).toBe('/x=y');
    expect(parseDomstatsRaw('')).toEqual([]);
  });
  it('throws on fields outside a block or on garbage', () => {
    expect(() => parseDomstatsRaw('  state.state=1\n')).toThrow(/unexpected line/);
    expect(() => parseDomstatsRaw("Domain: 'a'\nerror: boom\n")).toThrow(/unexpected line/);
  });
});
