import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../../../shared/model/snapshot';
import { buildTree, timestampName } from './snapshot-tree';

const s = (name: string, parent: string | null, createdAt: number): Snapshot => ({ name, parent, createdAt, current: false, state: 'running', description: '', location: 'internal', memory: true, files: [], uses: [] });
const shape = (nodes: ReturnType<typeof buildTree>): unknown => nodes.map((n) => [n.snap.name, shape(n.children)]);

describe('the snapshot tree', () => {
  it('shows a branch under its parent, children oldest first, whatever order the list came in', () => {
    expect(shape(buildTree([s('c', 'a', 3), s('a', null, 1), s('b', 'a', 2), s('d', 'c', 4)]))).toEqual([['a', [['b', []], ['c', [['d', []]]]]]]);
  });
  it('keeps a snapshot whose parent is gone as a root', () => {
    expect(shape(buildTree([s('x', 'gone', 1)]))).toEqual([['x', []]]);
  });
  it('names a new snapshot after the local time by default', () => {
    expect(timestampName(new Date(2026, 11, 6, 1, 2, 3))).toBe('2026-12-06_01-02-03');
  });
});
