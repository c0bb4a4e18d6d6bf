/**
 * Start in the VM list says why a VM would not start before it is started: a VM backed by
 * hugepages needs that many free pages (issue 17). The check runs only for VMs the list shows as
 * not running (a running or paused VM already holds its pages), and costs the backend one
 * `dumpxml` per VM; the host's page counts are read only when one has <hugepages/>. A check that
 * cannot run (test driver, a disconnect) does not stand in the way: Start then reports libvirt's error.
 */
import type { Api } from '../../../../shared/contract';
import type { Domain } from '../../../../shared/model/domain';
import type { HostId } from '../../../../shared/model/host';
import { openDomainDialog, type VmRef } from '../../stores/ui';

const holdsPages = (d: Partial<Pick<Domain, 'state'>>) => d.state === 'running' || d.state === 'paused';

/** The VMs of `targets` that would not fit, with the reason; [] when all fit or the check cannot tell. */
export async function hugepageRefusals(api: Api, hostId: HostId, targets: readonly (VmRef & Partial<Pick<Domain, 'state'>>)[]): Promise<{ uuid: string; name: string; reason: string }[]> {
  const toCheck = targets.filter((d) => !holdsPages(d));
  if (toCheck.length === 0) return [];
  try {
    const refused = await api.request('tuning.hugepages.checkStart', { hostId, uuids: toCheck.map((d) => d.uuid) });
    return refused.map((f) => ({ uuid: f.uuid, name: f.name, reason: f.reason ?? '' }));
  } catch {
    return [];
  }
}

/** Checks, then either runs `start` (all fit) or opens the dialog that says which would not start and why. */
export async function startWithChecks(api: Api, hostId: HostId, targets: readonly (VmRef & Partial<Pick<Domain, 'state'>>)[], start: (targets: VmRef[]) => void): Promise<void> {
  const refused = await hugepageRefusals(api, hostId, targets);
  const refs = targets.map(({ uuid, name }) => ({ uuid, name }));
  if (refused.length === 0) return start(refs);
  openDomainDialog({ kind: 'startRefused', hostId, targets: refs, refused });
}
