/**
 * Which consoles are open as tabs: data only. The RFB and Terminal objects live in the
 * components' refs; the backend's console ids live there too (a tab reconnects by itself).
 */
import { create } from 'zustand';
import type { ConsoleKind } from '../../../../shared/model/console';

export interface ConsoleTab {
  /** Stable tab key: kind + host + VM (+ serial device); one tab per console. */
  key: string;
  kind: ConsoleKind;
  hostId: string;
  uuid: string;
  /** VM name for the tab title (the uuid until known). */
  title: string;
  devname?: string;
}

export interface ConsolesState {
  tabs: ConsoleTab[];
  active: string | null;
}

export const useConsolesStore = create<ConsolesState>()(() => ({ tabs: [], active: null }));

export function tabKey(kind: ConsoleKind, hostId: string, uuid: string, devname?: string): string {
  return [kind, hostId, uuid, devname ?? ''].join('|');
}

/** Opens (or brings forward) a console tab. `name` is the VM's name for the tab title. */
export function openConsole(hostId: string, uuid: string, kind: ConsoleKind, name?: string, devname?: string): void {
  const key = tabKey(kind, hostId, uuid, devname);
  useConsolesStore.setState((s) => {
    if (s.tabs.some((t) => t.key === key)) return { active: key };
    const tab: ConsoleTab = { key, kind, hostId, uuid, title: name ?? uuid, ...(devname ? { devname } : {}) };
    return { tabs: [...s.tabs, tab], active: key };
  });
}

/** Closing the tab unmounts its console, which releases it on the host. */
export function closeConsole(key: string): void {
  useConsolesStore.setState((s) => {
    const i = s.tabs.findIndex((t) => t.key === key);
    if (i < 0) return s;
    const tabs = s.tabs.filter((t) => t.key !== key);
    const active = s.active === key ? (tabs[Math.min(i, tabs.length - 1)]?.key ?? null) : s.active;
    return { tabs, active };
  });
}

export function activateConsole(key: string): void {
  useConsolesStore.setState({ active: key });
}

export function setConsoleTitle(key: string, title: string): void {
  useConsolesStore.setState((s) => (s.tabs.some((t) => t.key === key && t.title !== title) ? { tabs: s.tabs.map((t) => (t.key === key ? { ...t, title } : t)) } : s));
}
