import { beforeEach, describe, expect, it } from 'vitest';
import { closeConsole, openConsole, useConsolesStore } from './console-store';

const uuid = '5d7e57a1-0000-4e2e-8d0c-7e57c0ffee01';

describe('console tabs', () => {
  beforeEach(() => useConsolesStore.setState({ tabs: [], active: null }));

  it('opens one tab per console and brings an open one forward', () => {
    openConsole('h', uuid, 'vnc', 'guest');
    openConsole('h', uuid, 'serial', 'guest');
    openConsole('h', uuid, 'vnc', 'guest');
    const s = useConsolesStore.getState();
    expect(s.tabs.map((t) => t.kind)).toEqual(['vnc', 'serial']);
    expect(s.active).toBe(s.tabs[0]!.key);
  });

  it('closing the active tab activates its neighbour', () => {
    openConsole('h', uuid, 'vnc');
    openConsole('h', uuid, 'serial');
    const [a, b] = useConsolesStore.getState().tabs;
    closeConsole(b!.key);
    expect(useConsolesStore.getState().active).toBe(a!.key);
    closeConsole(a!.key);
    expect(useConsolesStore.getState()).toEqual({ tabs: [], active: null });
  });
});
