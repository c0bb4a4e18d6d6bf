import type { Snapshot } from '../../../../../shared/model/snapshot';

export interface SnapshotNode {
  snap: Snapshot;
  children: SnapshotNode[];
}

/**
 * Parent links → a forest, children in creation order. A snapshot whose parent is not in the
 * list (deleted by --metadata elsewhere) becomes a root rather than disappearing.
 */
export function buildTree(snaps: readonly Snapshot[]): SnapshotNode[] {
  const nodes = new Map(snaps.map((s) => [s.name, { snap: s, children: [] as SnapshotNode[] }]));
  const roots: SnapshotNode[] = [];
  for (const s of [...snaps].sort((a, b) => a.createdAt - b.createdAt)) {
    const node = nodes.get(s.name)!;
    const parent = s.parent !== null ? nodes.get(s.parent) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

/** The default name: the local time, sortable, usable in file names ("2026-12-06_01-10-22"). */
export function timestampName(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}_${p(d.getHours())}-${p(d.getMinutes())}-${p(d.getSeconds())}`;
}
