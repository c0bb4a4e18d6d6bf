/**
 * Toasts. Entries are data (which command, which VMs, which error), not text, so they render in
 * the current language and modules without React can raise them.
 */
import { create } from 'zustand';
import type { HostId } from '../../../shared/model/host';
import type { DomainNotice, DomainUuid } from '../../../shared/model/domain';
import type { VmCommand } from '../features/domains/domain-actions';

export interface FailedVm {
  name: string;
  error: { code: string; message: string };
}

export type NotificationBody =
  /** Some VMs failed a command; `failures` holds virsh's message per VM. */
  | { kind: 'failed'; command: VmCommand; failures: FailedVm[] }
  /** A long job finished (save to file, restore, delete). */
  | { kind: 'done'; command: 'savefile' | 'restorefile' | 'delete'; name: string; path?: string }
  /** A long job without a row to show it (restore: the VM appears only once it runs). */
  | { kind: 'started'; command: 'restorefile'; path: string }
  /** The guest did not act on an ACPI request: offers force off. */
  | { kind: 'notice'; hostId: HostId; uuid: DomainUuid; name: string; notice: DomainNotice['kind'] };

export type Severity = 'info' | 'warning' | 'error';
export type Notification = NotificationBody & { id: number; severity: Severity };

export interface NotificationsState {
  items: Notification[];
}

/** Info disappears on its own; errors and notices wait for the user. */
export const infoTimeoutMs = 10_000;
/** Older ones are dropped beyond this, so a storm of failures cannot grow the page forever. */
export const maxNotifications = 20;

export const useNotificationsStore = create<NotificationsState>()(() => ({ items: [] }));

let nextId = 1;
const timers = new Map<number, ReturnType<typeof setTimeout>>();

export function severityOf(body: NotificationBody): Severity {
  return body.kind === 'failed' ? 'error' : body.kind === 'notice' ? 'warning' : 'info';
}

export function notify(body: NotificationBody): number {
  const id = nextId++;
  const item = { ...body, id, severity: severityOf(body) } as Notification;
  useNotificationsStore.setState((s) => {
    // A repeated notice for the same VM replaces the earlier one instead of stacking.
    const kept =
      body.kind === 'notice'
        ? s.items.filter((n) => !(n.kind === 'notice' && n.hostId === body.hostId && n.uuid === body.uuid))
        : s.items;
    const items = [...kept, item];
    for (const dropped of items.slice(0, Math.max(0, items.length - maxNotifications))) clearTimer(dropped.id);
    return { items: items.slice(-maxNotifications) };
  });
  if (item.severity === 'info') timers.set(id, setTimeout(() => dismiss(id), infoTimeoutMs));
  return id;
}

function clearTimer(id: number) {
  const timer = timers.get(id);
  if (timer !== undefined) clearTimeout(timer);
  timers.delete(id);
}

export function dismiss(id: number) {
  clearTimer(id);
  useNotificationsStore.setState((s) => (s.items.some((n) => n.id === id) ? { items: s.items.filter((n) => n.id !== id) } : s));
}
