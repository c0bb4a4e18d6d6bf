/** Which power actions make sense in which state, and list helpers; plain data, no React. */
import type { Domain, DomainAction, DomainState, DomainUuid } from '../../../../shared/model/domain';

/** The toolbar, in display order. `reset` exists in the API but is not offered here yet. */
export const toolbarActions = ['start', 'shutdown', 'reboot', 'suspend', 'resume', 'destroy'] as const satisfies readonly DomainAction[];
export type ToolbarAction = (typeof toolbarActions)[number];

/** Mirrors what virsh accepts: e.g. shutdown needs a running guest, resume a paused one. */
const allowedIn: Record<DomainAction, readonly DomainState[]> = {
  start: ['shutoff', 'crashed'],
  shutdown: ['running', 'blocked'],
  reboot: ['running', 'blocked'],
  reset: ['running', 'blocked', 'paused'],
  suspend: ['running', 'blocked'],
  resume: ['paused'],
  destroy: ['running', 'blocked', 'paused', 'shutdown', 'crashed', 'pmsuspended'],
};

/** Actions that lose guest state and so ask first. */
export const needsConfirmation: ReadonlySet<DomainAction> = new Set<DomainAction>(['destroy', 'reset']);

export function canApply(action: DomainAction, state: DomainState): boolean {
  return allowedIn[action].includes(state);
}

/** The VMs an action would be sent to: selected, in a suitable state, and not already busy. */
export function actionTargets(
  action: DomainAction,
  selected: readonly Domain[],
  pending: Readonly<Record<DomainUuid, DomainAction>>,
): Domain[] {
  return selected.filter((d) => canApply(action, d.state) && !(d.uuid in pending));
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Case-insensitive substring match on the name, sorted naturally (vm2 before vm10). */
export function filterDomains(domains: readonly Domain[], filter: string): Domain[] {
  const needle = filter.trim().toLowerCase();
  const matching = needle ? domains.filter((d) => d.name.toLowerCase().includes(needle)) : [...domains];
  return matching.sort((a, b) => collator.compare(a.name, b.name));
}
