import { describe, expect, it } from 'vitest';
import { clickModeOf, clickSelect, emptySelection, moveSelect, selectAll, type Selection } from './selection';

const order = ['a', 'b', 'c', 'd', 'e'];
const click = (sel: Selection, uuid: string, mode: Parameters<typeof clickSelect>[3], host = 'h') =>
  clickSelect(sel, host, uuid, mode, order);

describe('clickSelect', () => {
  it('selects one VM on a plain click', () => {
    expect(click(emptySelection, 'c', 'single')).toEqual({ hostId: 'h', uuids: ['c'], anchor: 'c', focus: 'c' });
  });

  it('toggles with Ctrl/Cmd and moves the anchor', () => {
    let s = click(emptySelection, 'a', 'single');
    s = click(s, 'c', 'toggle');
    expect(s.uuids).toEqual(['a', 'c']);
    s = click(s, 'a', 'toggle');
    expect(s).toEqual({ hostId: 'h', uuids: ['c'], anchor: 'a', focus: 'a' });
  });

  it('selects a range with Shift, in either direction, from a fixed anchor', () => {
    let s = click(emptySelection, 'b', 'single');
    s = click(s, 'd', 'range');
    expect(s.uuids).toEqual(['b', 'c', 'd']);
    s = click(s, 'a', 'range');
    expect(s.uuids).toEqual(['a', 'b']);
    expect(s.anchor).toBe('b');
  });

  it('adds a range to the selection with Ctrl+Shift', () => {
    let s = click(emptySelection, 'a', 'single');
    s = click(s, 'd', 'toggle');
    s = click(s, 'e', 'rangeAdd');
    expect(s.uuids).toEqual(['a', 'd', 'e']);
  });

  it('starts over on another host or when the anchor is filtered away', () => {
    const s = click(emptySelection, 'a', 'single');
    expect(click(s, 'b', 'toggle', 'other')).toEqual({ hostId: 'other', uuids: ['b'], anchor: 'b', focus: 'b' });
    const gone = { ...s, anchor: 'zzz' };
    expect(click(gone, 'c', 'range').uuids).toEqual(['c']);
  });
});

describe('selectAll and moveSelect', () => {
  it('selects every shown VM, keeping the cursor when it is shown', () => {
    const s = selectAll(click(emptySelection, 'c', 'single'), 'h', order);
    expect(s).toEqual({ hostId: 'h', uuids: order, anchor: 'c', focus: 'c' });
    expect(selectAll(emptySelection, 'h', [])).toEqual({ hostId: 'h', uuids: [], anchor: null, focus: null });
  });

  it('moves the cursor and selection with the arrow keys, clamped', () => {
    let s = moveSelect(emptySelection, 'h', order, 1, false);
    expect(s.uuids).toEqual(['a']);
    s = moveSelect(s, 'h', order, 1, false);
    expect(s.uuids).toEqual(['b']);
    s = moveSelect(s, 'h', order, -5, false);
    expect(s.uuids).toEqual(['a']);
    s = moveSelect(s, 'h', order, Infinity, false);
    expect(s.uuids).toEqual(['e']);
    expect(moveSelect(emptySelection, 'h', order, -1, false).uuids).toEqual(['e']);
  });

  it('extends from the anchor with Shift', () => {
    let s = click(emptySelection, 'b', 'single');
    s = moveSelect(s, 'h', order, 1, true);
    s = moveSelect(s, 'h', order, 1, true);
    expect(s).toEqual({ hostId: 'h', uuids: ['b', 'c', 'd'], anchor: 'b', focus: 'd' });
    s = moveSelect(s, 'h', order, -Infinity, true);
    expect(s.uuids).toEqual(['a', 'b']);
  });

  it('maps modifier keys to click modes', () => {
    const e = { shiftKey: false, ctrlKey: false, metaKey: false };
    expect(clickModeOf(e)).toBe('single');
    expect(clickModeOf({ ...e, metaKey: true })).toBe('toggle');
    expect(clickModeOf({ ...e, shiftKey: true })).toBe('range');
    expect(clickModeOf({ ...e, shiftKey: true, ctrlKey: true })).toBe('rangeAdd');
  });
});
