/**
 * A VM's snapshots: the tree as libvirt keeps it, and what Create may offer. Snapshot creation
 * and deletion fire no libvirt event, so the UI refetches after each (and when the tab shows).
 * Planning the changes is in snapshot-plan.ts, deleting and the cleanup after it in
 * snapshot-cleanup.ts. https://libvirt.org/manpages/virsh.html#snapshot-commands
 */
import { AppError } from '../../shared/errors';
import type { Snapshot, SnapshotCapabilities } from '../../shared/model/snapshot';
import type { HostConnection } from '../hosts/host-connection';
import { parseDaemonVersion, parseSnapshotNames, parseSnapshotXml } from '../virsh/parse/snapshot';
import { domainStatus, inactiveXml, liveXml } from './domain-config';
import { activeFilePools, listPools } from './pools';
import { capabilities, vmFacts, type VmFacts } from './snapshot-capabilities';

const virsh = async (host: HostConnection, ...argv: string[]) => (await host.run(['virsh', ...argv])).stdout;

/** The current snapshot's name, or null when the VM has none (virsh then fails). */
async function currentName(host: HostConnection, uuid: string): Promise<string | null> {
  try {
    return (await virsh(host, 'snapshot-current', '--domain', uuid, '--name')).replace(/\n$/, '') || null;
  } catch (e) {
    if (/does not have a current snapshot|no current snapshot/i.test(AppError.from(e).message)) return null;
    throw e;
  }
}

export const snapshotXml = (host: HostConnection, uuid: string, name: string) =>
  virsh(host, 'snapshot-dumpxml', '--domain', uuid, '--snapshotname', name, '--security-info');

/** Every snapshot, oldest first; one dumpxml each (pipelined on the session). */
export async function listSnapshots(host: HostConnection, uuid: string): Promise<Snapshot[]> {
  const [names, current] = await Promise.all([virsh(host, 'snapshot-list', '--domain', uuid, '--name').then(parseSnapshotNames), currentName(host, uuid)]);
  const snaps = await Promise.all(names.map(async (n) => parseSnapshotXml(await snapshotXml(host, uuid, n), n === current)));
  return snaps.sort((a, b) => a.createdAt - b.createdAt || a.name.localeCompare(b.name));
}

export async function daemonVersion(host: HostConnection): Promise<string> {
  const out = await virsh(host, 'version', '--daemon');
  const v = parseDaemonVersion(out);
  if (!v) throw new AppError('internal', `cannot read libvirt's version from: ${out.trim()}`);
  return v;
}

export interface VmSnapshotState {
  facts: VmFacts;
  /** Checkpoints of the VM (backups): they rule internal snapshots out. */
  checkpoints?: string[];
  running: boolean;
  caps: SnapshotCapabilities;
}

/** The VM as Create, Revert and Delete decide on it: facts from its XML, state, version, pools. */
export async function vmSnapshotState(host: HostConnection, uuid: string): Promise<VmSnapshotState> {
  const status = await domainStatus(host, uuid);
  const [xml, version, pools, cps] = await Promise.all([
    status.running ? liveXml(host, uuid) : inactiveXml(host, uuid),
    daemonVersion(host),
    listPools(host),
    host.run(['virsh', 'checkpoint-list', '--domain', uuid, '--name'], { allowFailure: true }),
  ]);
  const checkpoints = cps.code === 0 ? parseSnapshotNames(cps.stdout) : [];
  const facts = vmFacts(xml);
  const memoryPools = activeFilePools(pools).map((p) => ({ name: p.name, path: p.targetPath, available: p.available }));
  return { facts, running: status.running, checkpoints, caps: capabilities(facts, status.running, version, memoryPools, checkpoints) };
}

/** The snapshot, or not_found in the words the UI shows. */
export function findSnapshot(snaps: readonly Snapshot[], name: string): Snapshot {
  const s = snaps.find((x) => x.name === name);
  if (!s) throw new AppError('not_found', `no snapshot "${name}" (it may have been deleted meanwhile)`);
  return s;
}
