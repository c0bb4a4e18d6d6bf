// Fixtures: libvirt 9.0.0, `virsh -q -c test:///default` (interactive) unless said otherwise.
import { describe, expect, it } from 'vitest';
import { fixture } from '../testing/fixture';
import { parseListUuidName, parseUuidList } from './list';

const u = (n: number) => `00000000-0000-4000-8000-0000000000${String(n).padStart(2, '0')}`;
/** virsh lists in libvirt's hash-table order, which changes between captures: compare as sets. */
const sorted = <T>(xs: T[]) => [...xs].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
const TEST = '6695eb01-f6a4-8304-79aa-97f2502e193f';

describe('parseListUuidName', () => {
  it('list --all --uuid --name (test driver, hostile names)', () => {
    expect(sorted(parseListUuidName(fixture('test-list-all-uuid-name.txt')))).toEqual(sorted([
      { uuid: u(4), name: 'tmp-transient' },
      { uuid: u(2), name: "it's" },
      { uuid: TEST, name: 'test' },
      { uuid: u(3), name: ' lead-space' },
      { uuid: u(8), name: '--double' },
      { uuid: u(9), name: 'say "hi"' },
      { uuid: u(6), name: 'tab\there' },
      { uuid: u(7), name: 'trail-space ' },
      { uuid: u(1), name: 'web 01' },
      { uuid: u(5), name: '日本語 ünïcødé' },
    ]));
  });
  it('list --all --uuid --name (qemu:///embed)', () => {
    expect(sorted(parseListUuidName(fixture('qemu-list-all-uuid-name.txt')).map((d) => d.name))).toEqual(
      sorted(["qemu 'quoted' vm", 'paused vm', 'off vm']),
    );
  });
  it('ignores blank lines (one-shot virsh ends with one) and handles empty output', () => {
    expect(parseListUuidName(`\n${TEST} test\n\n`)).toEqual([{ uuid: TEST, name: 'test' }]);
    expect(parseListUuidName('')).toEqual([]);
  });
  it('throws on lines that are not "<uuid> <name>"', () => {
    expect(() => parseListUuidName(' Id   Name   State\n')).toThrow(/unexpected line/);
    expect(() => parseListUuidName(`${TEST}\n`)).toThrow(/unexpected line/);
  });
});

describe('parseUuidList', () => {
  const list = (f: string) => sorted(parseUuidList(fixture(`test-list-all-uuid${f}.txt`)));
  it('list --all --uuid and its filters', () => {
    expect(list('')).toEqual(sorted([u(4), u(2), TEST, u(3), u(8), u(9), u(6), u(7), u(1), u(5)]));
    expect(list('-autostart')).toEqual([u(1)]);
    expect(list('-transient')).toEqual([u(4)]);
    expect(list('-persistent')).toEqual(list('').filter((x) => x !== u(4)));
    expect(list('-with-managed-save')).toEqual([u(3)]);
    expect(list('-state-running')).toEqual(sorted([u(4), TEST]));
    expect(list('-state-paused')).toEqual([u(2)]);
    expect(list('-state-shutoff')).toEqual(sorted([u(3), u(8), u(9), u(6), u(7), u(1), u(5)]));
    expect(list('-state-other')).toEqual([]); // prints nothing at all
  });
  it('agrees with the --name variant', () => {
    expect(list('')).toEqual(sorted(parseListUuidName(fixture('test-list-all-uuid-name.txt')).map((d) => d.uuid)));
  });
  it('throws on anything else', () => {
    expect(() => parseUuidList('error: failed\n')).toThrow(/unexpected line/);
  });
});
