import { create } from 'zustand';
import type { AppErrorShape } from '../../../shared/errors';
import type { HostId, HostStatus, HostView } from '../../../shared/model/host';

export type HostCommand = 'connect' | 'disconnect' | 'remove';
export interface HostRequestError {
  command: HostCommand;
  error: AppErrorShape;
}

export interface HostsState {
  hosts: HostView[];
  loaded: boolean;
  loadError: AppErrorShape | null;
  /** The last failed connect/disconnect/remove request per host (status errors live in `status`). */
  requestErrors: Record<HostId, HostRequestError>;
  /** Hosts with a connect/disconnect/remove request in flight. */
  busy: Record<HostId, true>;
  /** Why a host's usage numbers are not updating (stats.problem), while they are not. */
  statsProblems: Record<HostId, string>;
}

export const useHostsStore = create<HostsState>()(() => ({
  hosts: [],
  loaded: false,
  loadError: null,
  requestErrors: {},
  busy: {},
  statsProblems: {},
}));

export function setHosts(hosts: HostView[]) {
  useHostsStore.setState({ hosts, loaded: true, loadError: null });
}

export function setHostsLoadError(error: AppErrorShape) {
  useHostsStore.setState({ loadError: error });
}

/** Inserts or replaces one host (e.g. the result of hosts.save) ahead of the hosts.changed refetch. */
export function upsertHost(view: HostView) {
  useHostsStore.setState((s) => {
    const i = s.hosts.findIndex((h) => h.config.id === view.config.id);
    return { hosts: i < 0 ? [...s.hosts, view] : s.hosts.map((h, j) => (j === i ? view : h)) };
  });
}

export function setHostStatus(hostId: HostId, status: HostStatus) {
  useHostsStore.setState((s) => ({
    hosts: s.hosts.map((h) => (h.config.id === hostId ? { ...h, status } : h)),
  }));
}

export function setHostBusy(hostId: HostId, busy: boolean) {
  useHostsStore.setState((s) => {
    const next = { ...s.busy };
    if (busy) next[hostId] = true;
    else delete next[hostId];
    return { busy: next };
  });
}

export function setHostRequestError(hostId: HostId, error: HostRequestError | null) {
  useHostsStore.setState((s) => {
    const next = { ...s.requestErrors };
    if (error) next[hostId] = error;
    else delete next[hostId];
    return { requestErrors: next };
  });
}

export function setStatsProblem(hostId: HostId, message: string | null) {
  useHostsStore.setState((s) => {
    const next = { ...s.statsProblems };
    if (message) next[hostId] = message;
    else delete next[hostId];
    return { statsProblems: next };
  });
}

export const selectHost = (hostId: HostId | null) => (s: HostsState) =>
  hostId === null ? undefined : s.hosts.find((h) => h.config.id === hostId);
