/**
 * Which VMs are in an install phase ("customizing" before installation, "installing" while the
 * installer runs), per host: data only. Filled by phase-sync.ts; read by the VM row's marker and
 * the details editor's "Begin installation" bar.
 */
import { create } from 'zustand';
import type { InstallPhase } from '../../../../shared/model/newvm';

export type ActivePhase = Exclude<InstallPhase, 'done'>;

export interface PhaseState {
  byHost: Readonly<Record<string, Readonly<Record<string, ActivePhase>>>>;
}

export const usePhaseStore = create<PhaseState>()(() => ({ byHost: {} }));

export function setPhase(hostId: string, uuid: string, phase: InstallPhase): void {
  usePhaseStore.setState((s) => {
    const host = { ...(s.byHost[hostId] ?? {}) };
    if (phase === 'done') delete host[uuid];
    else host[uuid] = phase;
    return { byHost: { ...s.byHost, [hostId]: host } };
  });
}

export function setHostPhases(hostId: string, phases: Record<string, ActivePhase>): void {
  usePhaseStore.setState((s) => ({ byHost: { ...s.byHost, [hostId]: phases } }));
}

export const selectPhase = (hostId: string, uuid: string) => (s: PhaseState) => s.byHost[hostId]?.[uuid];
