/**
 * Who uses which base image: every VM's disks on the host, each followed down its backing chain.
 * A linked clone's overlay names its base only inside the qcow2 header, so a base looks unused
 * to `domblklist`; deleting it silently breaks every overlay on top (virt-manager#810/#811).
 * The chain is read through libvirt (`vol-dumpxml --vol PATH` → <backingStore><path>), which
 * can read root-owned 0600 images a non-root SSH user cannot; an image outside every pool falls
 * back to `qemu-img info --backing-chain -U` (-U: a running VM holds the image locked).
 * https://libvirt.org/formatstorage.html#storage-volume-backing-store
 */
import { AppError } from '../../shared/errors';
import type { HostConnection } from '../hosts/host-connection';
import { parseDomblklist } from '../virsh/parse';
import { parseQemuImgInfo, parseVolumeXml } from '../virsh/parse/storage';
import { parseVolList } from '../virsh/parse/vsh-table';
import { attr, child, elementChildren, parseXml, path as xmlPath } from '../xml/dom';
import { diskUsers, type DiskUse } from './usage';

export interface ChainLink {
  path: string;
  format: string | null;
}

export interface DiskChain extends DiskUse {
  /** The disk's file: `source` itself, or for a <disk type='volume'> the volume's path (domblklist names only the volume). */
  path?: string;
  /** The disk's backing files, nearest first (the disk's own source is not in it). */
  backing: ChainLink[];
  /** Why the chain could not be read completely (then `backing` holds what was read). */
  unreadable?: string;
}

const MAX_DEPTH = 32;

/** The backing chain below `path`, nearest first. */
export async function backingChainOf(host: HostConnection, path: string): Promise<{ backing: ChainLink[]; unreadable?: string }> {
  const backing: ChainLink[] = [];
  let cur = path;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    let next: ChainLink | null;
    try {
      next = parseVolumeXml((await host.run(['virsh', 'vol-dumpxml', '--vol', cur])).stdout).backing;
    } catch (e) {
      if (AppError.from(e).code !== 'not_found') return { backing, unreadable: `${cur}: ${AppError.from(e).message}` };
      return qemuImgChain(host, cur, backing);
    }
    if (next === null) return { backing };
    backing.push(next);
    cur = next.path;
  }
  return { backing, unreadable: `${path}: backing chain deeper than ${MAX_DEPTH}` };
}

/** A file outside every pool: `qemu-img info --backing-chain -U` as the connection's user. */
async function qemuImgChain(host: HostConnection, path: string, read: ChainLink[]): Promise<{ backing: ChainLink[]; unreadable?: string }> {
  const res = await host.run(['qemu-img', 'info', '--output=json', '--backing-chain', '-U', '--', path], { allowFailure: true });
  if (res.code !== 0) return { backing: read, unreadable: `${path}: ${res.stderr.trim() || `qemu-img exited with ${res.code}`}` };
  const images = parseQemuImgInfo(res.stdout);
  return { backing: [...read, ...images.slice(1).map((i) => ({ path: i.filename, format: i.format }))] };
}

/**
 * The files of a VM's <disk type='volume'> disks, by target: domblklist shows only the volume's
 * name (New VM's disks are pool volumes), its pool is in the domain XML, `vol-path` gives the file.
 * https://libvirt.org/formatdomain.html#hard-drives-floppy-disks-cdroms
 */
export async function volumeDiskPaths(host: HostConnection, uuid: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const r = await host.run(['virsh', 'dumpxml', '--domain', uuid], { allowFailure: true });
  if (r.code !== 0) return out; // undefined meanwhile
  const disks = elementChildren(xmlPath(parseXml(r.stdout), 'domain/devices'), 'disk').filter((d) => attr(d, 'type') === 'volume');
  await Promise.all(
    disks.map(async (d) => {
      const src = child(d, 'source');
      const [pool, vol, target] = [attr(src, 'pool'), attr(src, 'volume'), attr(child(d, 'target'), 'dev')];
      if (!pool || !vol || !target) return;
      const p = await host.run(['virsh', 'vol-path', '--pool', pool, '--vol', vol], { allowFailure: true });
      if (p.code === 0) out.set(target, p.stdout.replace(/\n+$/, ''));
    }),
  );
  return out;
}

/** Every disk of every VM with its chain. Sources that are not files (network, block without a path) have none. */
export async function allDiskChains(host: HostConnection): Promise<DiskChain[]> {
  const uses = await diskUsers(host);
  const volumeVms = [...new Set(uses.filter((u) => u.type === 'volume').map((u) => u.uuid))];
  const volPaths = new Map(await Promise.all(volumeVms.map(async (uuid) => [uuid, await volumeDiskPaths(host, uuid)] as const)));
  return Promise.all(
    uses.map(async (u): Promise<DiskChain> => {
      const file = u.type === 'file' || u.type === 'block' ? u.source : u.type === 'volume' ? volPaths.get(u.uuid)?.get(u.target) : undefined;
      if (file === undefined) return { ...u, backing: [] };
      return { ...u, path: file, ...(await backingChainOf(host, file)) };
    }),
  );
}

/**
 * Volumes of every active pool whose own backing file is one of `paths`: an overlay that no VM
 * uses (a linked copy made on the Storage page, a VM's kept disk) breaks as well when its base goes.
 */
export async function overlayVolumesOf(host: HostConnection, paths: readonly string[]): Promise<{ path: string; name: string; base: string }[]> {
  if (paths.length === 0) return [];
  const wanted = new Set(paths);
  const pools = (await host.run(['virsh', 'pool-list', '--uuid'])).stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  const per = await Promise.all(
    pools.map(async (pool) => {
      const listed = await host.run(['virsh', 'vol-list', '--pool', pool], { allowFailure: true });
      if (listed.code !== 0) return []; // stopped meanwhile
      const rows = parseVolList(listed.stdout);
      const found = await Promise.all(
        rows.map(async (row) => {
          const x = await host.run(['virsh', 'vol-dumpxml', '--vol', row.path], { allowFailure: true });
          const base = x.code === 0 ? parseVolumeXml(x.stdout).backing?.path : undefined;
          return base !== undefined && wanted.has(base) ? [{ path: row.path, name: row.name, base }] : [];
        }),
      );
      return found.flat();
    }),
  );
  return per.flat();
}

/** Why each of `paths` must stay: the VMs (other than `exceptUuid`) and the volumes (other than `exceptPaths`) built on it. */
export interface BaseUse {
  vms: { uuid: string; name: string; target: string }[];
  overlays: string[];
}

export async function baseUses(host: HostConnection, paths: readonly string[], exceptUuid?: string, exceptPaths: readonly string[] = []): Promise<Map<string, BaseUse>> {
  const out = new Map<string, BaseUse>();
  if (paths.length === 0) return out;
  const [chains, overlays] = await Promise.all([allDiskChains(host), overlayVolumesOf(host, paths)]);
  const except = new Set(exceptPaths);
  // An overlay that is itself a VM's disk is named by its VM.
  const vmFiles = new Set(chains.map((c) => c.path ?? c.source));
  for (const p of paths) {
    const vms = dependentsOf(chains, p, exceptUuid).map((d) => ({ uuid: d.uuid, name: d.name, target: d.target }));
    const ov = overlays.filter((o) => o.base === p && !except.has(o.path) && !vmFiles.has(o.path)).map((o) => o.path);
    if (vms.length > 0 || ov.length > 0) out.set(p, { vms, overlays: ov });
  }
  return out;
}

/** One line for the refusal and the dialogs' reasons. */
export function describeBaseUse(u: BaseUse): string {
  const parts = [...u.vms.map((d) => `“${d.name}” (${d.target})`), ...u.overlays.map((o) => `the volume “${o}”`)];
  return parts.join(', ');
}

/** One VM's disks with their chains. */
export async function diskChainsOfVm(host: HostConnection, uuid: string): Promise<{ target: string; source: string; backing: ChainLink[]; unreadable?: string }[]> {
  const rows = parseDomblklist((await host.run(['virsh', 'domblklist', '--domain', uuid, '--details'])).stdout).filter((b) => b.source !== '');
  return Promise.all(rows.map(async (b) => ({ target: b.target, source: b.source, ...(b.type === 'file' || b.type === 'block' ? await backingChainOf(host, b.source) : { backing: [] }) })));
}

/** The VM disks (of VMs other than `exceptUuid`) that have `path` as a backing file somewhere in their chain. */
export function dependentsOf(chains: readonly DiskChain[], path: string, exceptUuid?: string): DiskChain[] {
  const except = exceptUuid?.toLowerCase();
  return chains.filter((c) => c.uuid.toLowerCase() !== except && c.backing.some((b) => b.path === path));
}

/**
 * Throws `unsupported` naming the VMs and volumes that depend on any of `paths` as a base. A disk
 * whose chain cannot be read (a file outside every pool the SSH user may not read) does not block:
 * it would block every delete on the host; its reader's error is in `allDiskChains`.
 */
export async function refuseDeletingBases(host: HostConnection, paths: readonly string[], exceptUuid?: string, exceptPaths: readonly string[] = []): Promise<void> {
  const refusal = baseRefusal([...(await baseUses(host, paths, exceptUuid, exceptPaths))]);
  if (refusal) throw refusal;
}

/** THE refusal text, for the delete of a VM and of a volume. */
export function baseRefusal(uses: readonly (readonly [string, BaseUse])[]): AppError | null {
  const problems = uses.map(([p, u]) => `“${p}” is the base (backing file) of ${describeBaseUse(u)}`);
  return problems.length > 0 ? new AppError('unsupported', `Refused: ${problems.join('; ')}. Deleting it would break those disks; delete the clones first.`) : null;
}
