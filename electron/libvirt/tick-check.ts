import type { Domain, DomainState } from '../../shared/model/domain';
import { domainStateFromCode, domstatsNumber, type DomstatsRecord } from '../virsh/parse';

/** States in which libvirt surely lists a VM as active (it has a QEMU process). */
const SURELY_ACTIVE: ReadonlySet<DomainState> = new Set(['running', 'paused', 'blocked']);

/**
 * What a stats tick (`domstats --list-active --state …`, fetched anyway) says the VM list has
 * wrong: VMs whose state differs, VMs listed as running or paused that are no longer active, and
 * whether the tick names a VM the list does not know. Any of these means a change reached
 * Virtdeck without its event (a watcher restarting, a libvirtd that stopped delivering events):
 * the list is refetched instead of staying wrong until the next event.
 */
export function tickDisagreement(
  records: readonly DomstatsRecord[],
  listed: readonly Domain[],
  uuidOf: (name: string) => string | undefined,
): { uuids: string[]; unknown: boolean } {
  const byUuid = new Map(listed.map((d) => [d.uuid, d]));
  const seen = new Set<string>();
  const uuids: string[] = [];
  let unknown = false;
  for (const rec of records) {
    const uuid = uuidOf(rec.name);
    const vm = uuid ? byUuid.get(uuid) : undefined;
    if (!uuid || !vm) {
      unknown = true;
      continue;
    }
    seen.add(uuid);
    const code = domstatsNumber(rec.fields, 'state.state');
    if (code !== undefined && domainStateFromCode(code) !== vm.state) uuids.push(uuid);
  }
  for (const vm of listed) if (SURELY_ACTIVE.has(vm.state) && !seen.has(vm.uuid)) uuids.push(vm.uuid);
  return { uuids, unknown };
}
