/**
 * Which VMs are templates, per host (data only). Refetched on connect and on domains.changed,
 * and after a template is marked; Start reads it to ask before a template starts.
 */
import { useEffect } from 'react';
import { create } from 'zustand';
import type { Api } from '../../../../shared/contract';
import type { HostId } from '../../../../shared/model/host';
import { useApi } from '../../api/ApiProvider';
import { selectBackendReady, useBackendStore } from '../../stores/backend';
import { useHostsStore } from '../../stores/hosts';

interface TemplateState {
  byHost: Record<HostId, readonly string[]>;
}

export const useTemplateStore = create<TemplateState>()(() => ({ byHost: {} }));

const none: readonly string[] = [];
export const selectTemplates = (hostId: HostId) => (s: TemplateState) => s.byHost[hostId] ?? none;
export const isTemplate = (hostId: HostId, uuid: string) => (useTemplateStore.getState().byHost[hostId] ?? none).includes(uuid);

/** For Start buttons outside the VM list (consoles): a template asks first (a native confirm there). */
export function confirmTemplateStart(t: (k: 'clone.startTemplate.message', v: { names: string }) => string, hostId: HostId, uuid: string, name: string): boolean {
  return !isTemplate(hostId, uuid) || window.confirm(t('clone.startTemplate.message', { names: `“${name}”` }));
}

export async function refreshTemplates(api: Api, hostId: HostId): Promise<void> {
  try {
    const list = await api.request('templates.list', { hostId });
    useTemplateStore.setState((s) => ({ byHost: { ...s.byHost, [hostId]: list.map((t) => t.uuid) } }));
  } catch {
    // The host went away: its list is dropped with it below.
  }
}

const connectedIds = (s: ReturnType<typeof useHostsStore.getState>) =>
  s.hosts
    .filter((h) => h.status.state === 'connected')
    .map((h) => h.config.id)
    .join('\n');

export function useTemplatesSync() {
  const api = useApi();
  const ready = useBackendStore(selectBackendReady);
  const ids = useHostsStore(connectedIds);
  useEffect(() => {
    if (!ready) return;
    const connected = ids ? ids.split('\n') : [];
    for (const id of connected) void refreshTemplates(api, id);
    useTemplateStore.setState((s) => ({ byHost: Object.fromEntries(Object.entries(s.byHost).filter(([k]) => connected.includes(k))) }));
  }, [api, ready, ids]);
  useEffect(() => {
    const timers = new Map<HostId, ReturnType<typeof setTimeout>>();
    const off = api.on('domains.changed', ({ hostId, cause }) => {
      if (cause === 'sizes') return; // vCPU/memory figures arrived: no definition changed
      clearTimeout(timers.get(hostId));
      timers.set(hostId, setTimeout(() => void refreshTemplates(api, hostId), 500));
    });
    return () => {
      off();
      for (const t of timers.values()) clearTimeout(t);
    };
  }, [api]);
}
