/**
 * What a clone plan is built from, read from the host: the source's persistent XML and state,
 * every VM name, the pools (a new volume's path is the pool's target path + its name), the
 * volumes each pool holds, and for each disk (and the NVRAM file) the pool and volume it is.
 */
import { AppError } from '../../../shared/errors';
import type { HostConnection } from '../../hosts/host-connection';
import { parseListUuidName } from '../../virsh/parse';
import { parseVolList } from '../../virsh/parse/vsh-table';
import { attr, child, elementChildren, text } from '../../xml/dom';
import { DomainXml } from '../../xml/domain-xml';
import { backingChainOf } from '../backing-chains';
import { domainStatus, inactiveXml } from '../domain-config';
import { listPools } from '../pools';
import { isTemplateXml } from '../templates';
import { volumeXml } from '../volumes';

export interface PoolFact {
  uuid: string;
  name: string;
  path: string;
  available: string | null;
}

export interface VolFact {
  pool: PoolFact;
  name: string;
  path: string;
  format: string | null;
  capacity: number | null;
  allocation: number | null;
}

export interface DiskFact {
  /** Index among <devices>/<disk> elements. */
  index: number;
  target: string;
  device: string;
  type: string;
  /** File path, block device, or (type='volume') the volume's name; null for an empty drive. */
  source: string | null;
  format: string | null;
  readonly: boolean;
  shareable: boolean;
  vol: VolFact | null;
  /** Backing files of the source, nearest first. */
  backing: string[];
}

export interface CloneFacts {
  uuid: string;
  xml: string;
  name: string;
  running: boolean;
  template: boolean;
  names: Set<string>;
  pools: PoolFact[];
  /** Volume names per pool UUID. */
  volumes: Map<string, Set<string>>;
  disks: DiskFact[];
  nvram: { path: string; vol: VolFact | null } | null;
  tpmEmulator: boolean;
}

const num = (s: string | null): number | null => (s === null ? null : Number(s));

/** Which pool and volume a path is, or null when it is in no pool. */
async function volAt(host: HostConnection, pools: PoolFact[], byPool: { uuid: string } | null, volRef: string): Promise<VolFact | null> {
  let poolUuid: string;
  try {
    const args = byPool ? ['--pool', byPool.uuid, '--vol', volRef] : ['--vol', volRef];
    poolUuid = (await host.run(['virsh', 'vol-pool', '--uuid', ...args])).stdout.trim();
  } catch (e) {
    if (AppError.from(e).code === 'not_found') return null;
    throw e;
  }
  const pool = pools.find((p) => p.uuid === poolUuid);
  if (!pool) return null; // inactive, or a pool without a target path
  const x = await volumeXml(host, pool.uuid, volRef);
  return { pool, name: x.name, path: x.path, format: x.format, capacity: num(x.capacity), allocation: num(x.allocation) };
}

export async function loadCloneFacts(host: HostConnection, uuid: string): Promise<CloneFacts> {
  const [status, xml, listed, allPools] = await Promise.all([
    domainStatus(host, uuid),
    inactiveXml(host, uuid),
    host.run(['virsh', 'list', '--all', '--uuid', '--name']),
    listPools(host),
  ]);
  const pools: PoolFact[] = allPools
    .filter((p) => p.state === 'running' && p.targetPath !== null)
    .map((p) => ({ uuid: p.uuid, name: p.name, path: p.targetPath!, available: p.available }));
  const volumes = new Map<string, Set<string>>();
  await Promise.all(
    pools.map(async (p) => volumes.set(p.uuid, new Set(parseVolList((await host.run(['virsh', 'vol-list', '--pool', p.uuid])).stdout).map((r) => r.name)))),
  );
  const x = DomainXml.parse(xml);
  const disks = await Promise.all(
    elementChildren(x.devices, 'disk').map(async (d, index): Promise<DiskFact> => {
      const src = child(d, 'source');
      const type = attr(d, 'type') ?? 'file';
      const source = (type === 'volume' ? attr(src, 'volume') : (attr(src, 'file') ?? attr(src, 'dev'))) ?? null;
      const byPool = type === 'volume' ? pools.find((p) => p.name === attr(src, 'pool')) ?? null : null;
      const vol = source === null || (type === 'volume' && !byPool) || (type !== 'volume' && type !== 'file' && type !== 'block') ? null : await volAt(host, pools, byPool, source);
      return {
        index,
        target: attr(child(d, 'target'), 'dev') ?? `disk${index}`,
        device: attr(d, 'device') ?? 'disk',
        type,
        source,
        format: attr(child(d, 'driver'), 'type') ?? vol?.format ?? null,
        readonly: child(d, 'readonly') !== undefined,
        shareable: child(d, 'shareable') !== undefined,
        vol,
        backing: vol && vol.format === 'qcow2' ? (await backingChainOf(host, vol.path)).backing.map((b) => b.path) : [],
      };
    }),
  );
  const nvramPath = text(child(child(x.root, 'os'), 'nvram'))?.trim();
  const nvram = nvramPath ? { path: nvramPath, vol: await volAt(host, pools, null, nvramPath) } : null;
  const tpmEmulator = elementChildren(x.devices, 'tpm').some((t) => attr(child(t, 'backend'), 'type') === 'emulator');
  return {
    uuid,
    xml,
    name: status.name,
    running: status.state !== 'shutoff',
    template: isTemplateXml(xml),
    names: new Set(parseListUuidName(listed.stdout).map((d) => d.name)),
    pools,
    volumes,
    disks,
    nvram,
    tpmEmulator,
  };
}
