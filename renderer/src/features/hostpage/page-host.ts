import type { HostView } from '../../../../shared/model/host';

/**
 * Which connection a host page shows: the active one (opened from its row, picked on the page,
 * or selected in the list) while it is connected, else the first connected one. Null only when
 * no connection is connected, so a page never asks the user to pick a host first.
 */
export function pageHost(hosts: readonly HostView[], active: string | null): string | null {
  if (active !== null && hosts.some((h) => h.config.id === active && h.status.state === 'connected')) return active;
  return hosts.find((h) => h.status.state === 'connected')?.config.id ?? null;
}
