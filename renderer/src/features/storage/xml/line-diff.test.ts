import { describe, expect, it } from 'vitest';
import { hasChanges, lineDiff } from './line-diff';

describe('the XML review diff', () => {
  it('marks changed lines and keeps the rest', () => {
    const before = "<pool>\n  <name>a</name>\n  <target>\n    <path>/x</path>\n  </target>\n</pool>\n";
    const after = "<pool>\n  <name>a</name>\n  <target>\n    <path>/y</path>\n    <permissions/>\n  </target>\n</pool>";
    expect(lineDiff(before, after).filter((l) => l.kind !== 'same')).toEqual([
      { kind: 'del', text: '    <path>/x</path>' },
      { kind: 'add', text: '    <path>/y</path>' },
      { kind: 'add', text: '    <permissions/>' },
    ]);
    expect(hasChanges(lineDiff(before, before))).toBe(false);
  });

  it('handles insertions at the start and removals at the end', () => {
    expect(lineDiff('b\nc', 'a\nb')).toEqual([
      { kind: 'add', text: 'a' },
      { kind: 'same', text: 'b' },
      { kind: 'del', text: 'c' },
    ]);
  });
});
