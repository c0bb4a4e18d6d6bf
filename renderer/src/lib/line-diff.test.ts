import { describe, expect, it } from 'vitest';
import { diffLines, hasChanges, hunks } from './line-diff';

const doc = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join('\n');

describe('the diff shown before applying XML', () => {
  it('shows nothing changed for the same text', () => {
    expect(hasChanges(diffLines(doc(5), doc(5)))).toBe(false);
  });

  it('marks one changed line as a deletion and an addition, with line numbers', () => {
    const after = doc(5).replace('line 3', 'line three');
    expect(diffLines(doc(5), after).filter((o) => o.kind !== 'same')).toEqual([
      { kind: 'del', text: 'line 3', oldLine: 3 },
      { kind: 'add', text: 'line three', newLine: 3 },
    ]);
  });

  it('handles insertions, removals and both ends', () => {
    const ops = diffLines('a\nb\nc', 'x\na\nc\ny');
    expect(ops.map((o) => `${o.kind[0]}${o.text}`)).toEqual(['ax', 'sa', 'db', 'sc', 'ay']);
    expect(diffLines('', 'a').map((o) => o.kind)).toEqual(['add']);
    expect(diffLines('a\n', '').map((o) => o.kind)).toEqual(['del']);
  });

  it('reproduces both texts exactly', () => {
    const before = 'a\nb\nc\nd\ne\nf\ng';
    const after = 'a\nB\nc\nd\nx\ny\ng\nh';
    const ops = diffLines(before, after);
    expect(ops.filter((o) => o.kind !== 'add').map((o) => o.text).join('\n')).toBe(before);
    expect(ops.filter((o) => o.kind !== 'del').map((o) => o.text).join('\n')).toBe(after);
  });

  it('groups changes into hunks with three lines of context, merging close ones', () => {
    const before = doc(30);
    const after = before.replace('line 5\n', 'line five\n').replace('line 8\n', 'line eight\n').replace('line 25\n', '');
    const hs = hunks(diffLines(before, after));
    expect(hs.map((h) => [h.oldStart, h.newStart, h.lines.length])).toEqual([
      [2, 2, 12],
      [22, 22, 7],
    ]);
  });
});

describe('diffLines on large or rewritten texts', () => {
  it('keeps line numbers right around a change in the middle of a long text', () => {
    const before = doc(5000);
    const after = before.replace('line 2500\n', 'line 2500 edited\n');
    const changed = diffLines(before, after).filter((o) => o.kind !== 'same');
    expect(changed).toEqual([
      { kind: 'del', text: 'line 2500', oldLine: 2500 },
      { kind: 'add', text: 'line 2500 edited', newLine: 2500 },
    ]);
  });

  it('shows a completely rewritten long text as replaced instead of allocating a huge trace', () => {
    const before = doc(6000);
    const after = Array.from({ length: 6000 }, (_, i) => `other ${i}`).join('\n');
    const ops = diffLines(before, after);
    expect(ops.filter((o) => o.kind === 'del')).toHaveLength(6000);
    expect(ops.filter((o) => o.kind === 'add')).toHaveLength(6000);
    expect(ops[0]).toEqual({ kind: 'del', text: 'line 1', oldLine: 1 });
  });

  it('handles empty sides', () => {
    expect(diffLines('', '')).toEqual([]);
    expect(diffLines('', 'a\nb')).toEqual([
      { kind: 'add', text: 'a', newLine: 1 },
      { kind: 'add', text: 'b', newLine: 2 },
    ]);
  });
});
