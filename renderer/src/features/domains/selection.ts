/**
 * Multi-selection as in a file manager, as pure functions over the visible order of one host's
 * VMs. The selection lives on one host at a time: actions go to one host's virsh, and a click on
 * another host's VM starts over there.
 */
import type { DomainUuid } from '../../../../shared/model/domain';
import type { HostId } from '../../../../shared/model/host';

export interface Selection {
  hostId: HostId | null;
  uuids: readonly DomainUuid[];
  /** Where a Shift range starts: the last plainly clicked or toggled VM. */
  anchor: DomainUuid | null;
  /** The keyboard cursor: the VM last clicked or moved to. */
  focus: DomainUuid | null;
}

export const emptySelection: Selection = { hostId: null, uuids: [], anchor: null, focus: null };

/** click = select only this; toggle = Ctrl/Cmd+click or checkbox; range = Shift; rangeAdd = Ctrl+Shift. */
export type ClickMode = 'single' | 'toggle' | 'range' | 'rangeAdd';

export function clickModeOf(e: { shiftKey: boolean; ctrlKey: boolean; metaKey: boolean }): ClickMode {
  const toggle = e.ctrlKey || e.metaKey;
  if (e.shiftKey) return toggle ? 'rangeAdd' : 'range';
  return toggle ? 'toggle' : 'single';
}

function single(hostId: HostId, uuid: DomainUuid): Selection {
  return { hostId, uuids: [uuid], anchor: uuid, focus: uuid };
}

/** The VMs from a to b inclusive, in display order; null when either is not shown. */
function rangeBetween(order: readonly DomainUuid[], a: DomainUuid, b: DomainUuid): DomainUuid[] | null {
  const i = order.indexOf(a);
  const j = order.indexOf(b);
  if (i < 0 || j < 0) return null;
  return order.slice(Math.min(i, j), Math.max(i, j) + 1);
}

/** `order` is the host's VMs as currently displayed (filtered and sorted). */
export function clickSelect(
  sel: Selection,
  hostId: HostId,
  uuid: DomainUuid,
  mode: ClickMode,
  order: readonly DomainUuid[],
): Selection {
  if (mode === 'single' || sel.hostId !== hostId) return single(hostId, uuid);
  if (mode === 'toggle') {
    const uuids = sel.uuids.includes(uuid) ? sel.uuids.filter((u) => u !== uuid) : [...sel.uuids, uuid];
    return { hostId, uuids, anchor: uuid, focus: uuid };
  }
  const range = sel.anchor === null ? null : rangeBetween(order, sel.anchor, uuid);
  if (!range) return single(hostId, uuid);
  if (mode === 'range') return { hostId, uuids: range, anchor: sel.anchor, focus: uuid };
  const added = new Set(sel.uuids);
  return { hostId, uuids: [...sel.uuids, ...range.filter((u) => !added.has(u))], anchor: sel.anchor, focus: uuid };
}

export function selectAll(sel: Selection, hostId: HostId, order: readonly DomainUuid[]): Selection {
  if (order.length === 0) return { hostId, uuids: [], anchor: null, focus: null };
  const keep = (u: DomainUuid | null) => (sel.hostId === hostId && u !== null && order.includes(u) ? u : null);
  return { hostId, uuids: order.slice(), anchor: keep(sel.anchor) ?? order[0]!, focus: keep(sel.focus) ?? order[0]! };
}

/**
 * Arrow keys: move the cursor by `delta` (±1, or ±Infinity for Home/End) within the host's
 * shown VMs. Plain moves select the VM under the cursor; `extend` (Shift) selects anchor..cursor.
 */
export function moveSelect(
  sel: Selection,
  hostId: HostId,
  order: readonly DomainUuid[],
  delta: number,
  extend: boolean,
): Selection {
  if (order.length === 0) return sel;
  const from = sel.hostId === hostId && sel.focus !== null ? order.indexOf(sel.focus) : -1;
  const target =
    from < 0 ? (delta < 0 ? order.length - 1 : 0) : Math.max(0, Math.min(order.length - 1, from + Math.max(-1e9, Math.min(1e9, delta))));
  const uuid = order[target]!;
  if (!extend || from < 0) return single(hostId, uuid);
  const anchor = sel.anchor !== null && order.includes(sel.anchor) ? sel.anchor : order[from]!;
  return { hostId, uuids: rangeBetween(order, anchor, uuid) ?? [uuid], anchor, focus: uuid };
}
