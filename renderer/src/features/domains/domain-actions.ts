/** Which commands make sense for which VMs, as plain data (no React), shared by toolbar, menu and keys. */
import type { Domain, DomainAction, DomainState, DomainUuid } from '../../../../shared/model/domain';

/**
 * Everything the list can do to VMs: libvirt actions sent through domains.action, plus the
 * commands with their own requests and dialogs.
 */
export type VmCommand = DomainAction | 'savefile' | 'restorefile' | 'delete';

/** Toolbar and context-menu order; `null` separates groups. */
export const commandGroups: readonly (readonly VmCommand[])[] = [
  ['start', 'shutdown', 'reboot', 'reset', 'destroy'],
  ['suspend', 'resume'],
  ['managedsave', 'managedsave-remove', 'savefile', 'restorefile'],
  ['autostart', 'noautostart'],
  ['delete'],
];

/** Mirrors what virsh accepts, so a button is never offered only to fail. */
const allowedIn: Record<DomainAction | 'savefile', readonly DomainState[]> = {
  start: ['shutoff', 'crashed'],
  shutdown: ['running', 'blocked'],
  reboot: ['running', 'blocked'],
  reset: ['running', 'blocked', 'paused'],
  suspend: ['running', 'blocked'],
  resume: ['paused'],
  destroy: ['running', 'blocked', 'paused', 'shutdown', 'crashed', 'pmsuspended'],
  managedsave: ['running', 'blocked', 'paused'],
  'managedsave-remove': ['shutoff', 'crashed'],
  savefile: ['running', 'blocked', 'paused'],
  autostart: ['nostate', 'running', 'blocked', 'paused', 'shutdown', 'shutoff', 'crashed', 'pmsuspended'],
  noautostart: ['nostate', 'running', 'blocked', 'paused', 'shutdown', 'shutoff', 'crashed', 'pmsuspended'],
};

/** Lose guest state (or the VM) and so ask first, naming the VMs. Delete has its own dialog. */
export const needsConfirmation: ReadonlySet<VmCommand> = new Set<VmCommand>(['destroy', 'reset', 'managedsave-remove']);

/** Commands that work on exactly one VM (a dialog about that VM). */
export const singleVmCommands: ReadonlySet<VmCommand> = new Set<VmCommand>(['savefile', 'delete']);

/** Whether a command applies to this VM in its current state. */
export function canApply(command: VmCommand, d: Domain): boolean {
  switch (command) {
    case 'restorefile':
      return false; // a host-level command; it needs no VM
    case 'delete':
      return true; // the backend forces a running VM off first (the dialog says so)
    case 'managedsave':
      // A transient VM has no configuration to restore the image into.
      return d.persistent && allowedIn.managedsave.includes(d.state);
    case 'managedsave-remove':
      return d.managedSave && allowedIn['managedsave-remove'].includes(d.state);
    case 'autostart':
      return d.persistent && !d.autostart;
    case 'noautostart':
      return d.persistent && d.autostart;
    default:
      return allowedIn[command].includes(d.state);
  }
}

/** The VMs a command would be sent to: selected, suitable, not busy; single-VM commands need exactly one. */
export function commandTargets(
  command: VmCommand,
  selected: readonly Domain[],
  pending: Readonly<Record<DomainUuid, unknown>>,
): Domain[] {
  if (singleVmCommands.has(command) && selected.length !== 1) return [];
  return selected.filter((d) => canApply(command, d) && !(d.uuid in pending));
}

export type StateFilter = 'all' | 'running' | 'paused' | 'shutoff' | 'other';
export const stateFilters: readonly StateFilter[] = ['all', 'running', 'paused', 'shutoff', 'other'];

/** Which filter bucket a state falls in; blocked counts as running (it is, waiting on a resource). */
export function stateBucket(state: DomainState): Exclude<StateFilter, 'all'> {
  switch (state) {
    case 'running':
    case 'blocked':
      return 'running';
    case 'paused':
      return 'paused';
    case 'shutoff':
      return 'shutoff';
    default:
      return 'other';
  }
}

export function isRunning(d: Domain): boolean {
  return stateBucket(d.state) === 'running';
}

/** A VM with a live process (so stats and addresses can exist). */
export function isActive(d: Pick<Domain, 'state'>): boolean {
  return d.state !== 'shutoff' && d.state !== 'crashed' && d.state !== 'nostate';
}

/** Case-insensitive substring match on the name, plus the state filter. Keeps the input order. */
export function filterDomains(domains: readonly Domain[], text: string, state: StateFilter = 'all'): Domain[] {
  const needle = text.trim().toLowerCase();
  if (!needle && state === 'all') return domains.slice();
  return domains.filter(
    (d) => (!needle || d.name.toLowerCase().includes(needle)) && (state === 'all' || stateBucket(d.state) === state),
  );
}
