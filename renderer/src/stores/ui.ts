import { create } from 'zustand';
import type { HostId } from '../../../shared/model/host';
import type { DomainUuid } from '../../../shared/model/domain';

export type ConnectionDialog = { kind: 'add' } | { kind: 'edit'; hostId: HostId };

export interface UiState {
  selectedHostId: HostId | null;
  connectionDialog: ConnectionDialog | null;
  vmFilter: string;
  /** Checked VMs per host; kept per host so switching hosts doesn't lose or leak a selection. */
  selectedVms: Record<HostId, DomainUuid[]>;
}

export const useUiStore = create<UiState>()(() => ({
  selectedHostId: null,
  connectionDialog: null,
  vmFilter: '',
  selectedVms: {},
}));

export function selectHostId(hostId: HostId | null) {
  useUiStore.setState({ selectedHostId: hostId });
}

export function openConnectionDialog(dialog: ConnectionDialog | null) {
  useUiStore.setState({ connectionDialog: dialog });
}

export function setVmFilter(vmFilter: string) {
  useUiStore.setState({ vmFilter });
}

export function setSelectedVms(hostId: HostId, uuids: DomainUuid[]) {
  useUiStore.setState((s) => ({ selectedVms: { ...s.selectedVms, [hostId]: uuids } }));
}

const none: DomainUuid[] = [];
export const selectVmSelection = (hostId: HostId | null) => (s: UiState) =>
  (hostId === null ? undefined : s.selectedVms[hostId]) ?? none;
