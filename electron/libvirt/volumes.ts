/**
 * Storage volumes: the list (with the VMs using each), the steps of every volume action, and
 * `qemu-img info`. A volume is addressed as `--pool <pool UUID> --vol <name>`; virsh takes an
 * option's value verbatim, so names like "--double" or "disk 1.qcow2" reach libvirt unchanged.
 * https://libvirt.org/manpages/virsh.html#storage-volume-commands
 */
import { AppError } from '../../shared/errors';
import type { Volume, VolumeDetails, VolumeSpecValue } from '../../shared/model/storage';
import type { HostConnection } from '../hosts/host-connection';
import { parseQemuImgInfo, parseVolumeXml, type VolumeXml } from '../virsh/parse/storage';
import { parseVolList } from '../virsh/parse/vsh-table';
import { baseUses, refuseDeletingBases } from './backing-chains';
import type { BaseOf } from '../../shared/model/domain';
import type { Step } from './plan';
import { diskUsers, usersOfVolume } from './usage';

const volArgs = (poolUuid: string, name: string) => ['--pool', poolUuid, '--vol', name];

/** One volume's XML, by name within its pool. */
export async function volumeXml(host: HostConnection, poolUuid: string, name: string): Promise<VolumeXml> {
  return parseVolumeXml((await host.run(['virsh', 'vol-dumpxml', ...volArgs(poolUuid, name)])).stdout);
}

/**
 * Volumes of an active pool. `vol-list` gives each volume's path; the exact name, format and
 * sizes come from `vol-dumpxml` looked up by that path (a name's trailing blanks are lost in
 * the table's padding, the path keeps them).
 */
export async function listVolumes(host: HostConnection, poolUuid: string): Promise<Volume[]> {
  const [listed, uses] = await Promise.all([host.run(['virsh', 'vol-list', '--pool', poolUuid]), diskUsers(host)]);
  const rows = parseVolList(listed.stdout);
  const vols = await Promise.all(
    rows.map(async (row): Promise<Volume | null> => {
      let x: VolumeXml;
      try {
        x = await volumeXml(host, poolUuid, row.path);
      } catch (e) {
        const err = AppError.from(e);
        if (err.code === 'not_found') return null; // deleted between the calls
        // Listed with what vol-list said, and why the rest is missing.
        return { name: row.name, key: '', path: row.path, type: '', format: null, capacity: null, allocation: null, physical: null, backing: null, usedBy: [], problems: [`vol-dumpxml: ${err.message}`] };
      }
      const vol: Volume = { ...x, usedBy: usersOfVolume(uses, x).map((u) => ({ uuid: u.uuid, name: u.name, target: u.target })) };
      const unread = (['capacity', 'allocation'] as const).filter((k) => x[k] === null);
      if (unread.length > 0) vol.problems = [`${unread.join(' and ')} could not be read from the volume XML`];
      return vol;
    }),
  );
  const list = vols.filter((v): v is Volume => v !== null).sort((a, b) => a.name.localeCompare(b.name));
  // A base image is in use by every VM whose disk is an overlay on it (cloud images, linked
  // copies): libvirt's domblklist names only the top image.
  for (const v of list) {
    const base = v.backing ? list.find((b) => b.path === v.backing!.path) : undefined;
    for (const u of base ? v.usedBy : []) if (!base!.usedBy.some((x) => x.uuid === u.uuid)) base!.usedBy.push(u);
  }
  return list;
}

/**
 * vol-create-as. Without --allocation virsh allocates the full capacity, so "none" passes 0
 * (sparse); "metadata" is qcow2's --prealloc-metadata. The backing volume is named by path
 * with its format given, so libvirt does not have to probe it.
 */
export function createVolumeSteps(poolUuid: string, spec: VolumeSpecValue): Step[] {
  const argv = ['vol-create-as', '--pool', poolUuid, '--name', spec.name, '--capacity', String(spec.capacity), '--format', spec.format];
  if (spec.preallocation === 'full') argv.push('--allocation', String(spec.capacity));
  else argv.push('--allocation', '0');
  if (spec.preallocation === 'metadata') argv.push('--prealloc-metadata');
  if (spec.backingPath !== undefined) argv.push('--backing-vol', spec.backingPath, '--backing-vol-format', spec.backingFormat ?? 'qcow2');
  // A fully allocated volume writes every byte: its own channel, no session timeout.
  return [{ argv, long: spec.preallocation === 'full' }];
}

export function cloneVolumeSteps(poolUuid: string, name: string, newName: string, preallocMetadata: boolean): Step[] {
  return [{ argv: ['vol-clone', ...volArgs(poolUuid, name), '--newname', newName, ...(preallocMetadata ? ['--prealloc-metadata'] : [])], long: true }];
}

/** Grows; shrinking loses the data past the new end, so it needs `confirmShrink` and then --shrink. */
export async function resizeVolumeSteps(host: HostConnection, poolUuid: string, name: string, capacity: number, confirmShrink: boolean): Promise<Step[]> {
  const current = (await volumeXml(host, poolUuid, name)).capacity;
  if (current === null) throw new AppError('invalid_args', `The current size of “${name}” cannot be read, so Virtdeck cannot tell whether this resize would shrink it.`);
  const shrink = BigInt(capacity) < BigInt(current);
  if (shrink && !confirmShrink)
    throw new AppError('invalid_args', `Shrinking “${name}” from ${current} to ${capacity} bytes destroys the data past the new end; confirm the shrink to do it.`);
  return [{ argv: ['vol-resize', ...volArgs(poolUuid, name), '--capacity', String(capacity), ...(shrink ? ['--shrink'] : [])] }];
}

export function wipeVolumeSteps(poolUuid: string, name: string, algorithm: string): Step[] {
  return [{ argv: ['vol-wipe', ...volArgs(poolUuid, name), '--algorithm', algorithm], long: true }];
}

/** Refused while a VM's disk points at the volume, unless the user confirmed; always refused while it is another disk's base. */
export async function deleteVolumeSteps(host: HostConnection, poolUuid: string, name: string, confirmInUse: boolean): Promise<Step[]> {
  const [vol, uses] = await Promise.all([volumeXml(host, poolUuid, name), diskUsers(host)]);
  const users = usersOfVolume(uses, vol);
  if (users.length > 0 && !confirmInUse)
    throw new AppError('invalid_args', `“${name}” is a disk of ${users.map((u) => `“${u.name}” (${u.target})`).join(', ')}; confirm to delete it anyway.`);
  // Every VM's chain (New VM's cloud overlays are <disk type='volume'>) and every pool's overlays.
  await refuseDeletingBases(host, [vol.path]);
  return [{ argv: ['vol-delete', ...volArgs(poolUuid, name)] }];
}

/** What deleteVolumeSteps would refuse, for the dialog before Delete is pressed. */
export async function volumeBaseOf(host: HostConnection, poolUuid: string, name: string): Promise<BaseOf | null> {
  const vol = await volumeXml(host, poolUuid, name);
  return (await baseUses(host, [vol.path])).get(vol.path) ?? null;
}

/**
 * `qemu-img info --output=json --backing-chain -U`: -U (force-share) reads an image a running
 * VM holds locked. Runs on the host as the SSH user, who may lack read access to images
 * libvirt created (mode 0600, owned by root): that is reported, not thrown.
 */
export async function volumeDetails(host: HostConnection, poolUuid: string, name: string): Promise<VolumeDetails> {
  const vol = await volumeXml(host, poolUuid, name);
  if (vol.type !== 'file' && vol.type !== 'block') return { available: false, reason: `qemu-img cannot read ${vol.type} volumes directly.` };
  const res = await host.run(['qemu-img', 'info', '--output=json', '--backing-chain', '-U', vol.path], { allowFailure: true });
  if (res.code === 127) return { available: false, reason: 'qemu-img is not installed on the host (package qemu-utils / qemu-img).' };
  if (res.code !== 0) return { available: false, reason: res.stderr.trim() || `qemu-img exited with ${res.code}` };
  try {
    return { available: true, chain: parseQemuImgInfo(res.stdout) };
  } catch (e) {
    return { available: false, reason: `unexpected qemu-img output: ${(e as Error).message}` };
  }
}
