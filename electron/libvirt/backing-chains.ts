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
import { diskUsers, type DiskUse } from './usage';

export interface ChainLink {
  path: string;
  format: string | null;
}

export interface DiskChain extends DiskUse {
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

/** Every file-backed disk of every VM with its chain. Sources that are not files (network, block without a path) have none. */
export async function allDiskChains(host: HostConnection): Promise<DiskChain[]> {
  const uses = await diskUsers(host);
  return Promise.all(
    uses.map(async (u): Promise<DiskChain> => {
      if (u.type !== 'file' && u.type !== 'block') return { ...u, backing: [] };
      return { ...u, ...(await backingChainOf(host, u.source)) };
    }),
  );
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
 * Throws `unsupported` naming the VMs that depend on any of `paths` as a base. A disk whose
 * chain cannot be read (a file outside every pool the SSH user may not read) does not block:
 * it would block every delete on the host; its reader's error is in `allDiskChains`.
 */
export async function refuseDeletingBases(host: HostConnection, paths: readonly string[], exceptUuid?: string): Promise<void> {
  if (paths.length === 0) return;
  const chains = await allDiskChains(host);
  const problems: string[] = [];
  for (const p of paths) {
    const deps = dependentsOf(chains, p, exceptUuid);
    if (deps.length > 0) problems.push(`“${p}” is the base (backing file) of ${deps.map((d) => `“${d.name}” (${d.target})`).join(', ')}`);
  }
  if (problems.length > 0) throw new AppError('unsupported', `Refused: ${problems.join('; ')}. Deleting it would break those disks; delete the clones first.`);
}
