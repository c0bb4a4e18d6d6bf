/**
 * The wizard's "network install" and "PXE" sources, planned: what planning.ts adds for them.
 *  - tree: find kernel/initrd in the tree, the fetch steps into two install-only volumes, and
 *    the direct kernel boot of the install phase (removed with those volumes when it ends).
 *  - pxe: the install phase boots from the network; the chosen network is checked for TFTP/BOOTP.
 */
import { AppError } from '../../../shared/errors';
import type { InstallSource, NewVmSpec } from '../../../shared/model/newvm';
import type { Pool } from '../../../shared/model/storage';
import type { HostConnection } from '../../hosts/host-connection';
import { FILE_POOL_TYPES } from '../pools';
import type { BuildInput } from './domain-build';
import { chooseFetcher, hostFetchSteps, inspectTree, virtdeckFetchSteps, type FetchStep, type FetchTarget } from './fetch-to-host';
import { treeWarnings, type TreeLayout } from './install-tree';
import { tryVirsh } from './media';
import { pxeNetworkNote } from './pxe';

type TreeSource = Extract<InstallSource, { kind: 'tree' }>;

export interface TreePlan {
  layout: TreeLayout | null;
  kernel: NonNullable<BuildInput['kernel']> | null;
  steps: FetchStep[];
  volumes: BuildInput['createdVolumes'];
  notes: string[];
}

/** Pools whose volumes are plain files at <target>/<name> (what <kernel> needs: a path). */

/** Volume names of the install kernel and initrd of a VM. */
export const treeVolumeNames = (vmName: string) => ({ kernel: `${vmName}.install-kernel`, initrd: `${vmName}.install-initrd` });

export async function planTree(host: HostConnection, pools: readonly Pool[], spec: NewVmSpec, src: TreeSource, uuid: string, arch: string, problem: (field: string, message: string) => void): Promise<TreePlan> {
  const none: TreePlan = { layout: null, kernel: null, steps: [], volumes: [], notes: [] };
  const pool = pools.find((p) => p.uuid === src.poolUuid);
  if (!pool) {
    problem('source', `There is no pool ${src.poolUuid} on this host.`);
    return none;
  }
  if (pool.state !== 'running') problem('source', `The pool “${pool.name}” is not running.`);
  if (!FILE_POOL_TYPES.includes(pool.type) || !pool.targetPath) {
    problem('source', `The kernel must be a file: choose a directory pool (“${pool.name}” is ${pool.type}).`);
    return none;
  }
  let layout: TreeLayout;
  let fetcher: Awaited<ReturnType<typeof chooseFetcher>>;
  try {
    fetcher = await chooseFetcher(host, src.fetchBy);
    layout = await inspectTree(host, fetcher, src.url, arch);
  } catch (e) {
    problem('source', AppError.from(e).message);
    return none;
  }
  const names = treeVolumeNames(spec.name);
  for (const v of [names.kernel, names.initrd]) {
    if ((await tryVirsh(host, ['vol-path', '--pool', pool.uuid, '--vol', v])).ok) problem('source', `The pool “${pool.name}” already has a volume “${v}”.`);
  }
  const targets: FetchTarget[] = [
    { image: layout.kernel, role: 'kernel', poolUuid: pool.uuid, volume: names.kernel },
    { image: layout.initrd, role: 'initrd', poolUuid: pool.uuid, volume: names.initrd },
  ];
  const dir = pool.targetPath.replace(/\/+$/, '');
  return {
    layout,
    kernel: { kernel: `${dir}/${names.kernel}`, initrd: `${dir}/${names.initrd}`, cmdline: src.cmdline },
    steps: fetcher === 'virtdeck' ? virtdeckFetchSteps(targets) : hostFetchSteps(fetcher, targets, `/tmp/virtdeck-tree-${uuid}`),
    volumes: targets.map((t) => ({ poolUuid: t.poolUuid, name: t.volume, installOnly: true })),
    notes: [
      `${layout.osName ?? 'Install tree'}: kernel ${layout.kernel.path}, initrd ${layout.initrd.path}, fetched by ${fetcher === 'virtdeck' ? 'Virtdeck and uploaded' : `the host (${fetcher})`}.`,
      ...treeWarnings(layout),
    ],
  };
}

/** PXE needs a NIC; on a libvirt network, say when it has no TFTP/BOOTP (the guest may still get them from elsewhere). */
export async function planPxe(host: HostConnection, spec: NewVmSpec, problem: (field: string, message: string) => void): Promise<string[]> {
  const n = spec.network;
  if (n.kind === 'none') {
    problem('network', 'Network boot (PXE) needs a network interface: choose a network.');
    return [];
  }
  if (n.kind !== 'network') return [];
  const note = await pxeNetworkNote(host, n.network);
  return note ? [note] : [];
}
