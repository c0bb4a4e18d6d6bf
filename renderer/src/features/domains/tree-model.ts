/**
 * The VM tree as a flat list of fixed-height items (host header, VM rows, notes), which is what
 * the virtualizer needs. Rebuilt when the VM lists, filter, sort or collapse state change, never
 * per stats tick (except a throttled re-sort when sorted by a live column, decided by the caller).
 */
import type { Domain, DomainUuid } from '../../../../shared/model/domain';
import type { HostId, HostState } from '../../../../shared/model/host';
import { prefixOffsets } from '../../lib/virtual-range';
import { filterDomains, isRunning, type StateFilter } from './domain-actions';
import { sortDomains, type SortSources, type SortSpec } from './sort';

/** Pixel heights; the CSS reads the same numbers through custom properties set by the tree. */
export const ROW_HEIGHT = 30;
export const HOST_HEIGHT = 44;
export const HEADER_HEIGHT = 32;

export type NoteKind = 'notConnected' | 'connecting' | 'loading' | 'loadError' | 'empty' | 'noMatch';

export type TreeItem =
  | { kind: 'host'; key: string; hostId: HostId }
  | { kind: 'vm'; key: string; hostId: HostId; domain: Domain }
  | { kind: 'note'; key: string; hostId: HostId; note: NoteKind };

export interface HostInput {
  hostId: HostId;
  state: HostState;
  /** null until the first list arrived. */
  domains: readonly Domain[] | null;
  loadFailed: boolean;
  collapsed: boolean;
}

export interface TreeOptions {
  filter: string;
  stateFilter: StateFilter;
  sort: SortSpec;
  sources: (hostId: HostId) => SortSources;
}

export interface HostCounts {
  running: number;
  total: number;
}

export interface TreeModel {
  items: TreeItem[];
  /** offsets[i] = top of item i; the last entry is the total height. */
  offsets: Float64Array;
  /** Each host's VMs as displayed (filtered, sorted; empty when collapsed): what actions and selection see. */
  shown: Readonly<Record<HostId, readonly Domain[]>>;
  /** Per host, unfiltered: for the "3 running / 10" header. */
  counts: Readonly<Record<HostId, HostCounts>>;
  /** Where each shown VM is in `items`, for scrolling the keyboard cursor into view. */
  indexOf: ReadonlyMap<string, number>;
}

export const vmKey = (hostId: HostId, uuid: DomainUuid) => `${hostId}/${uuid}`;

function noteFor(h: HostInput, shown: number): NoteKind | null {
  if (h.state === 'connecting' || h.state === 'reconnecting') return 'connecting';
  if (h.state !== 'connected') return 'notConnected';
  if (h.domains === null) return h.loadFailed ? 'loadError' : 'loading';
  if (h.domains.length === 0) return 'empty';
  return shown === 0 ? 'noMatch' : null;
}

export function buildTree(hosts: readonly HostInput[], opts: TreeOptions): TreeModel {
  const items: TreeItem[] = [];
  const heights: number[] = [];
  const shown: Record<HostId, readonly Domain[]> = {};
  const counts: Record<HostId, HostCounts> = {};
  const indexOf = new Map<string, number>();
  const push = (item: TreeItem, height: number) => {
    items.push(item);
    heights.push(height);
  };

  for (const h of hosts) {
    const all = h.domains ?? [];
    counts[h.hostId] = { running: all.reduce((n, d) => n + (isRunning(d) ? 1 : 0), 0), total: all.length };
    push({ kind: 'host', key: `host/${h.hostId}`, hostId: h.hostId }, HOST_HEIGHT);
    if (h.collapsed) {
      shown[h.hostId] = [];
      continue;
    }
    const list = sortDomains(filterDomains(all, opts.filter, opts.stateFilter), opts.sort, opts.sources(h.hostId));
    shown[h.hostId] = list;
    // A load error is shown even when an older list is on screen, since that list may be stale.
    const note = h.loadFailed && h.state === 'connected' && h.domains !== null ? 'loadError' : noteFor(h, list.length);
    if (note) push({ kind: 'note', key: `note/${h.hostId}`, hostId: h.hostId, note }, ROW_HEIGHT);
    for (const d of list) {
      const key = vmKey(h.hostId, d.uuid);
      indexOf.set(key, items.length);
      push({ kind: 'vm', key, hostId: h.hostId, domain: d }, ROW_HEIGHT);
    }
  }
  return { items, offsets: prefixOffsets(heights), shown, counts, indexOf };
}

/** The active host's selected VMs that are on display, in display order: what commands act on. */
export function selectedShown(model: TreeModel, hostId: HostId | null, uuids: readonly DomainUuid[]): Domain[] {
  if (hostId === null || uuids.length === 0) return [];
  const chosen = new Set(uuids);
  return (model.shown[hostId] ?? []).filter((d) => chosen.has(d.uuid));
}
