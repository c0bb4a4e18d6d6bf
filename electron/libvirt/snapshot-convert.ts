/**
 * Converting a shut-off VM's raw disk to qcow2, so internal snapshots become possible (libvirt
 * refuses them on raw: "unsupported for storage type raw"). Through the disk's pool: `vol-create-from`
 * (qemu-img convert) into a fresh qcow2 v3 volume next to it, then the VM's definition repointed
 * through the safe define flow (previous XML in the history: undo). The raw volume is kept unless
 * the user asked to delete it after success; a failed define removes the new volume.
 * https://libvirt.org/manpages/virsh.html#vol-create-from
 */
import { posix } from 'node:path';
import { AppError } from '../../shared/errors';
import type { HostConnection } from '../hosts/host-connection';
import { parseVolList } from '../virsh/parse/vsh-table';
import { attr, child, elementChildren } from '../xml/dom';
import { DomainXml } from '../xml/domain-xml';
import { pointDiskAtFile } from '../xml/edit-devices';
import { targetVolumeXml } from './backups/backup-plan';
import { defineDomain, domainStatus, inactiveXml } from './domain-config';
import type { DomainXmlHistory } from './domain-history';
import { freshName } from './file-names';
import { runStep, type Step } from './plan';
import { volumeXml } from './volumes';

export interface ConvertArgs {
  uuid: string;
  target: string;
  deleteOld: boolean;
}

export interface ConvertPlan {
  copy: Step;
  /** The definition with the disk on the new volume as qcow2. */
  xml: string;
  remove: Step | null;
  newPath: string;
  oldPath: string;
}

/** `disk.img` → `disk.qcow2`, then `disk-1.qcow2`…: never an existing name. */
export function freshQcow2Name(source: string, taken: ReadonlySet<string>): string {
  const stem = posix.basename(source).replace(/\.(raw|img)$/i, '');
  return freshName(stem, taken, { ext: '.qcow2' });
}

/** The definition with disk `target` on `path` as qcow2 (everything else kept). */
export function repointedXml(xml: string, target: string, path: string): string {
  const dom = DomainXml.parse(xml);
  const disk = elementChildren(dom.devices, 'disk').find((d) => attr(child(d, 'target'), 'dev') === target);
  if (!disk) throw new AppError('not_found', `no disk ${target} in this VM's configuration`);
  pointDiskAtFile(disk, path, 'qcow2');
  return dom.toXml();
}

export async function planConvert(host: HostConnection, a: ConvertArgs): Promise<ConvertPlan> {
  const status = await domainStatus(host, a.uuid);
  if (status.running) throw new AppError('invalid_args', `${status.name} is running: a disk can be converted only while the VM is shut off`);
  const xml = await inactiveXml(host, a.uuid);
  const disk = elementChildren(DomainXml.parse(xml).devices, 'disk').find((d) => attr(child(d, 'target'), 'dev') === a.target);
  if (!disk) throw new AppError('not_found', `no disk ${a.target} in this VM's configuration`);
  const source = attr(child(disk, 'source'), 'file');
  const format = attr(child(disk, 'driver'), 'type') ?? 'raw';
  if (attr(disk, 'type') !== 'file' || !source) throw new AppError('unsupported', `disk ${a.target} is not a file`);
  if (format !== 'raw') throw new AppError('invalid_args', `disk ${a.target} is ${format}, not raw`);
  const pool = await host.run(['virsh', 'vol-pool', '--vol', source], { allowFailure: true });
  if (pool.code !== 0) throw new AppError('unsupported', `${source} is not a volume of any pool: add its directory as a pool to convert it through libvirt`);
  const poolName = pool.stdout.trim();
  const [vol, list] = await Promise.all([volumeXml(host, poolName, source), host.run(['virsh', 'vol-list', '--pool', poolName])]);
  if (vol.capacity === null) throw new AppError('virsh', `the size of ${source} cannot be read`);
  const name = freshQcow2Name(source, new Set(parseVolList(list.stdout).map((r) => r.name)));
  const newPath = posix.join(posix.dirname(source), name);
  return {
    copy: { argv: ['vol-create-from', '--pool', poolName, '--file', '/dev/stdin', '--vol', source, '--inputpool', poolName], stdin: targetVolumeXml({ volume: name, capacity: Number(vol.capacity) }), long: true },
    xml: repointedXml(xml, a.target, newPath),
    remove: a.deleteOld ? { argv: ['vol-delete', '--pool', poolName, '--vol', source] } : null,
    newPath,
    oldPath: source,
  };
}

export const convertSteps = (p: ConvertPlan): Step[] => [p.copy, { argv: ['define', '--file', '/dev/stdin', '--validate'], stdin: p.xml }, ...(p.remove ? [p.remove] : [])];

export async function convertDisk(host: HostConnection, history: DomainXmlHistory, a: ConvertArgs): Promise<{ newPath: string; removed: string | null }> {
  const p = await planConvert(host, a);
  const pool = p.copy.argv[2]!;
  await runStep(host, p.copy);
  try {
    await defineDomain(host, history, { uuid: a.uuid, xml: p.xml, cause: 'hardware', summary: `disk ${a.target} converted to qcow2 (${p.oldPath} kept as it was)` });
  } catch (e) {
    await host.run(['virsh', 'vol-delete', '--pool', pool, '--vol', p.newPath], { allowFailure: true });
    const err = AppError.from(e);
    throw new AppError(err.code, `${err.message} The new volume ${p.newPath} was removed; the VM still uses ${p.oldPath}.`, err.detail);
  }
  if (p.remove) await runStep(host, p.remove);
  return { newPath: p.newPath, removed: p.remove ? p.oldPath : null };
}
