/**
 * The open wizard's form (data only; null when closed), and the VMs this window is customizing
 * before their installation (the details editor shows "Begin installation" for them).
 */
import { create } from 'zustand';
import { useHostsStore } from '../../stores/hosts';
import { useUiStore } from '../../stores/ui';
import { initialDraft, randomMac, type ConsoleChoice, type Draft } from './draft';

export interface WizardState {
  draft: Draft | null;
  /** Per VM uuid: the console to open once "Begin installation" started it. */
  afterInstall: Record<string, ConsoleChoice>;
}

export const useWizardStore = create<WizardState>()(() => ({ draft: null, afterInstall: {} }));

function newUuid(): string {
  return crypto.randomUUID();
}

/** The connected hosts, in list order. */
export function connectedHostIds(): string[] {
  return useHostsStore
    .getState()
    .hosts.filter((h) => h.status.state === 'connected')
    .map((h) => h.config.id);
}

/**
 * Opens the wizard on `hostId`, or on the active host when it is connected, or on the first
 * connected one (the Source step lets the user pick another when several are connected).
 * An open wizard stays as it is: a second Ctrl+N must not wipe what was typed.
 */
export function openNewVm(hostId?: string): void {
  if (useWizardStore.getState().draft) return;
  const connected = connectedHostIds();
  const active = useUiStore.getState().selection.hostId;
  const host = hostId ?? (active !== null && connected.includes(active) ? active : (connected[0] ?? ''));
  useWizardStore.setState({ draft: initialDraft(host, newUuid(), randomMac()) });
}

export function closeNewVm(): void {
  useWizardStore.setState({ draft: null });
}

export function updateDraft(patch: Partial<Draft> | ((d: Draft) => Partial<Draft>)): void {
  useWizardStore.setState((s) => (s.draft ? { draft: { ...s.draft, ...(typeof patch === 'function' ? patch(s.draft) : patch) } } : s));
}

/** Another host: everything host-specific (pools, volumes, networks) starts over; the name stays. */
export function switchHost(hostId: string): void {
  useWizardStore.setState((s) => (s.draft ? { draft: { ...initialDraft(hostId, newUuid(), randomMac()), name: s.draft.name } } : s));
}

export function rememberAfterInstall(uuid: string, console: ConsoleChoice): void {
  useWizardStore.setState((s) => ({ afterInstall: { ...s.afterInstall, [uuid]: console } }));
}

export function forgetAfterInstall(uuid: string): void {
  useWizardStore.setState((s) => {
    const next = { ...s.afterInstall };
    delete next[uuid];
    return { afterInstall: next };
  });
}
