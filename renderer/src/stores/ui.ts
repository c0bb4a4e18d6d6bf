import { create } from 'zustand';
import type { HostId } from '../../../shared/model/host';
import type { Domain, DomainAction, DomainUuid } from '../../../shared/model/domain';
import type { StateFilter, VmCommand } from '../features/domains/domain-actions';
import { emptySelection, type Selection } from '../features/domains/selection';
import type { SortSpec } from '../features/domains/sort';

export type ConnectionDialog = { kind: 'add' } | { kind: 'edit'; hostId: HostId };

export interface VmRef {
  uuid: DomainUuid;
  name: string;
}

/** The one VM dialog that can be open; each names the VMs it is about. */
export type DomainDialog =
  | { kind: 'confirm'; hostId: HostId; command: VmCommand; targets: VmRef[]; noticeId?: number }
  | { kind: 'delete'; hostId: HostId; vm: VmRef }
  | { kind: 'savefile'; hostId: HostId; vm: VmRef }
  | { kind: 'restorefile'; hostId: HostId }
  | { kind: 'clone'; hostId: HostId; vm: VmRef; fromTemplate?: boolean }
  | { kind: 'template'; hostId: HostId; vm: VmRef; template: boolean }
  /** Start was asked for templates: confirm first (features/clone). */
  | { kind: 'startTemplate'; hostId: HostId; targets: VmRef[] }
  /** Start was asked for VMs that would not start (too few free hugepages): why, then start the others or try anyway (features/guards). */
  | { kind: 'startRefused'; hostId: HostId; targets: VmRef[]; refused: { uuid: string; name: string; reason: string }[] }
  /** "Show command": the virsh lines of a one-click action on these VMs (as selected when opened), then run it or not. */
  | { kind: 'command'; hostId: HostId; vms: Domain[]; action?: DomainAction }
  /** Migrate these VMs of `hostId` (context menu, or dropped onto the host `destHostId`). */
  | { kind: 'migrate'; hostId: HostId; vms: VmRef[]; running: boolean; destHostId?: HostId };

export interface ContextMenuState {
  hostId: HostId;
  x: number;
  y: number;
}

/** The main area: the VM tree of every host, or one host's page. */
export type MainView = 'vms' | 'host';
/** The tabs of a host page. */
export const HOST_TABS = ['overview', 'readiness', 'devices', 'tuning', 'storage', 'networks', 'backups'] as const;
export type HostTab = (typeof HOST_TABS)[number];

export interface UiState {
  view: MainView;
  hostTab: HostTab;
  activityOpen: boolean;
  connectionDialog: ConnectionDialog | null;
  vmFilter: string;
  stateFilter: StateFilter;
  sort: SortSpec;
  /** One host's VMs at a time; `selection.hostId` is also the host that host-level commands use. */
  selection: Selection;
  collapsed: Readonly<Record<HostId, true>>;
  domainDialog: DomainDialog | null;
  contextMenu: ContextMenuState | null;
}

export const useUiStore = create<UiState>()(() => ({
  view: 'vms',
  hostTab: 'overview',
  activityOpen: false,
  connectionDialog: null,
  vmFilter: '',
  stateFilter: 'all',
  sort: { key: 'name', dir: 'asc' },
  selection: emptySelection,
  collapsed: {},
  domainDialog: null,
  contextMenu: null,
}));

/** Makes a host the active one (e.g. its header was clicked); its VM selection starts empty. */
export function selectHostId(hostId: HostId | null) {
  useUiStore.setState((s) =>
    s.selection.hostId === hostId && s.selection.uuids.length === 0 ? s : { selection: { ...emptySelection, hostId } },
  );
}

export function setSelection(selection: Selection) {
  useUiStore.setState({ selection });
}

export function openConnectionDialog(dialog: ConnectionDialog | null) {
  useUiStore.setState({ connectionDialog: dialog });
}

export function setVmFilter(vmFilter: string) {
  useUiStore.setState({ vmFilter });
}

export function setStateFilter(stateFilter: StateFilter) {
  useUiStore.setState({ stateFilter });
}

export function setSort(sort: SortSpec) {
  useUiStore.setState({ sort });
}

export function toggleCollapsed(hostId: HostId) {
  useUiStore.setState((s) => {
    const collapsed = { ...s.collapsed };
    if (collapsed[hostId]) delete collapsed[hostId];
    else collapsed[hostId] = true;
    return { collapsed };
  });
}

export function openDomainDialog(domainDialog: DomainDialog | null) {
  useUiStore.setState({ domainDialog, contextMenu: null });
}

export function openContextMenu(contextMenu: ContextMenuState | null) {
  useUiStore.setState({ contextMenu });
}

export function setMainView(view: MainView) {
  useUiStore.setState({ view });
}

/**
 * Opens a host's page, on `tab` or the tab it showed last. The page's host is the active host
 * (`selection.hostId`), as for every host-level command.
 */
export function openHostPage(hostId: HostId, tab?: HostTab) {
  useUiStore.setState((s) => ({
    view: 'host',
    hostTab: tab ?? s.hostTab,
    selection: s.selection.hostId === hostId ? s.selection : { ...emptySelection, hostId },
  }));
}

export function toggleActivity() {
  useUiStore.setState((s) => ({ activityOpen: !s.activityOpen }));
}
