/**
 * Storage pools: the list, and the steps of every pool action. Pools are addressed by UUID
 * (virsh looks a --pool value up as a UUID first), so a pool named like an option or another
 * pool's name cannot be confused. https://libvirt.org/manpages/virsh.html#storage-pool-commands
 */
import { randomUUID } from 'node:crypto';
import type { BuildFormat, PoolAction } from '../../shared/api/storage';
import type { Pool, PoolSpec } from '../../shared/model/storage';
import type { HostConnection } from '../hosts/host-connection';
import { parseUuidList } from '../virsh/parse';
import { parsePoolInfo, parsePoolXml } from '../virsh/parse/storage';
import { PartialRead } from './partial-read';
import type { Step } from './plan';
import { poolXml } from './pool-xml';

/** Pool types whose volumes are plain files in the pool's target directory. */
export const FILE_POOL_TYPES: readonly string[] = ['dir', 'fs', 'netfs'];

/** Running pools whose volumes are files in a directory: where backups, memory snapshots and boot files go. */
export const activeFilePools = (pools: readonly Pool[]) => pools.filter((p): p is Pool & { targetPath: string } => p.state === 'running' && p.targetPath !== null && FILE_POOL_TYPES.includes(p.type));

/**
 * Every pool with its state and sizes: one `pool-list` plus two pipelined calls per pool. A pool
 * Virtdeck cannot fully read (a command fails, output it cannot parse, a state it does not know)
 * is listed with what is known and a note; only a pool undefined meanwhile is left out.
 */
export async function listPools(host: HostConnection): Promise<Pool[]> {
  const uuids = parseUuidList((await host.run(['virsh', 'pool-list', '--all', '--uuid'])).stdout);
  const pools = await Promise.all(uuids.map((uuid) => readPool(host, uuid)));
  return pools.filter((p): p is Pool => p !== null).sort((a, b) => a.name.localeCompare(b.name));
}

/** One pool; null when it no longer exists. */
async function readPool(host: HostConnection, uuid: string): Promise<Pool | null> {
  const reader = new PartialRead(host);
  const { problems } = reader;
  const read = <T>(argv: string[], parse: (out: string) => T) => reader.read(argv, parse);
  const [i, x] = await Promise.all([read(['pool-info', '--pool', uuid, '--bytes'], parsePoolInfo), read(['pool-dumpxml', '--pool', uuid], parsePoolXml)]);
  if (reader.gone) return null; // undefined between the calls
  if (i && i.state === null) problems.push(`state "${i.stateText}" is not one Virtdeck knows`);
  const state = i?.state ?? 'inaccessible';
  const active = state !== 'inactive';
  const pool: Pool = {
    uuid,
    name: x?.name || i?.name || uuid,
    type: x?.type ?? '',
    state,
    persistent: i?.persistent ?? false,
    autostart: i?.autostart ?? false,
    capacity: active ? (i?.capacity ?? null) : null,
    allocation: active ? (i?.allocation ?? null) : null,
    available: active ? (i?.available ?? null) : null,
    targetPath: x?.targetPath ?? null,
    source: x?.source ?? null,
  };
  if (pool.available !== null && pool.capacity !== null && BigInt(pool.available) > BigInt(pool.capacity))
    // libvirt computes available = capacity − allocation in unsigned 64 bits: volumes that exceed the pool wrap it to ~16 EiB.
    problems.push(`libvirt reports ${pool.available} bytes available, more than the capacity (${pool.capacity}): its volumes exceed the pool`);
  if (problems.length > 0) pool.problems = problems;
  return pool;
}

function buildStep(uuid: string, format: BuildFormat): Step {
  const flag = format === 'if-empty' ? ['--no-overwrite'] : format === 'overwrite' ? ['--overwrite'] : [];
  // mkfs / vgcreate / parted can take a while: its own channel, no session timeout.
  return { argv: ['pool-build', '--pool', uuid, ...flag], long: true };
}

export interface DefinePoolArgs {
  uuid?: string | undefined;
  spec: PoolSpec;
  build: boolean;
  buildFormat: BuildFormat;
  start: boolean;
  autostart: boolean;
}

/** pool-define of the generated XML (schema-validated by libvirt), then build/start/autostart by UUID. */
export function definePoolSteps(args: DefinePoolArgs): { uuid: string; steps: Step[] } {
  const uuid = (args.uuid ?? randomUUID()).toLowerCase();
  const steps: Step[] = [{ argv: ['pool-define', '--file', '/dev/stdin', '--validate'], stdin: poolXml(args.spec, uuid) }];
  if (args.build) steps.push(buildStep(uuid, args.buildFormat));
  if (args.start) steps.push({ argv: ['pool-start', '--pool', uuid] });
  if (args.autostart) steps.push({ argv: ['pool-autostart', '--pool', uuid] });
  return { uuid, steps };
}

export function poolActionSteps(uuid: string, action: PoolAction, buildFormat: BuildFormat): Step[] {
  switch (action) {
    case 'start':
      return [{ argv: ['pool-start', '--pool', uuid] }];
    case 'stop':
      // "destroy" only stops the pool; the storage is untouched (https://libvirt.org/manpages/virsh.html#pool-destroy).
      return [{ argv: ['pool-destroy', '--pool', uuid] }];
    case 'refresh':
      return [{ argv: ['pool-refresh', '--pool', uuid], long: true }];
    case 'build':
      return [buildStep(uuid, buildFormat)];
    case 'autostart':
      return [{ argv: ['pool-autostart', '--pool', uuid] }];
    case 'noautostart':
      return [{ argv: ['pool-autostart', '--pool', uuid, '--disable'] }];
    case 'undefine':
      return [{ argv: ['pool-undefine', '--pool', uuid] }];
    case 'delete':
      // Removes the pool's storage itself (the directory, the VG…); libvirt refuses while the pool is active.
      return [{ argv: ['pool-delete', '--pool', uuid], long: true }];
  }
}
