/**
 * The virsh steps of an offline move, as data: built once and both shown ("Show command") and
 * run, so the preview and the move cannot drift apart. Pure functions (unit-tested).
 * virsh: https://libvirt.org/manpages/virsh.html#storage-volume-commands
 */
import type { Step } from '../plan';
import { newVolumeXml } from '../volume-xml';

/**
 * A converted copy of a volume in the same pool, made by libvirt itself: vol-create-from runs
 * `qemu-img convert` as libvirtd (which can read root's images). Used twice:
 *  - on the source, into qcow2: without -B it merges a backing chain into one self-contained
 *    image, and it skips zeroes, so a sparse raw disk travels as a small qcow2;
 *  - on the destination, that qcow2 back into a raw volume, written sparse.
 * The input volume is not touched; the temporary volumes are deleted after the copy.
 * https://libvirt.org/manpages/virsh.html#vol-create-from
 */
export function convertStep(poolUuid: string, inputVol: string, newName: string, capacity: string, format: 'qcow2' | 'raw'): Step {
  return { argv: ['vol-create-from', '--pool', poolUuid, '--file', '/dev/stdin', '--inputpool', poolUuid, '--vol', inputVol], stdin: newVolumeXml({ name: newName, capacity, format }), long: true };
}

/**
 * A raw image worth sending as qcow2: at least 64 MiB of its file are holes and less than half
 * of it is allocated. (A fully written raw disk goes as it is: converting would only add work.)
 */
export function sparseRaw(format: string | null | undefined, physical: string | null, allocation: string | null): boolean {
  const [p, a] = [Number(physical ?? NaN), Number(allocation ?? NaN)];
  return format === 'raw' && Number.isFinite(p) && Number.isFinite(a) && p - a >= 64 * 2 ** 20 && a < p / 2;
}

export const volDeleteStep = (poolUuid: string, name: string): Step => ({ argv: ['vol-delete', '--pool', poolUuid, '--vol', name] });

/** vol-download of a whole volume to stdout (-q: no trailing empty line in the data). */
export const downloadStep = (poolUuid: string, name: string): Step => ({ argv: ['-q', 'vol-download', '--pool', poolUuid, '--vol', name, '--file', '/dev/stdout'], stdoutFile: 'the destination host' });

/**
 * A temporary transient dir pool over the NVRAM file's folder, so the file can be streamed
 * like a volume (libvirt only streams pool volumes). Destroying a transient dir pool leaves
 * its files; --build creates the folder on a destination that has none yet.
 * https://libvirt.org/manpages/virsh.html#pool-create-as
 */
export const tempPoolStep = (name: string, dir: string, build: boolean): Step => ({ argv: ['pool-create-as', '--name', name, '--type', 'dir', '--target', dir, ...(build ? ['--build'] : [])] });
export const poolDestroyStep = (name: string): Step => ({ argv: ['pool-destroy', '--pool', name] });

/**
 * The source's undefine once the destination has the VM: with its NVRAM (copied), managed-save
 * image and snapshot/checkpoint metadata. https://libvirt.org/manpages/virsh.html#undefine
 */
export const undefineSourceStep = (uuid: string, nvram: boolean): Step => ({
  argv: ['undefine', '--domain', uuid, '--managed-save', '--snapshots-metadata', '--checkpoints-metadata', ...(nvram ? ['--nvram'] : [])],
});

export const autostartStep = (uuid: string): Step => ({ argv: ['autostart', '--domain', uuid] });

/** The destination's undefine when the move is rolled back: only what this move defined there. */
export const undefineDestStep = (uuid: string, nvram: boolean): Step => ({ argv: ['undefine', '--domain', uuid, ...(nvram ? ['--nvram'] : [])] });

/** A temporary name beside the volume, plainly Virtdeck's. */
export const transitName = (volName: string, tag: string) => `${volName}.virtdeck-transit-${tag}`;

/** "pool 'x'" from libvirt's refusal of a second pool on a folder another pool has. */
export function conflictingPool(message: string): string | null {
  return /conflict with pool:?\s*'([^']+)'/i.exec(message)?.[1] ?? null;
}

export const dirOf = (file: string) => file.slice(0, Math.max(1, file.lastIndexOf('/')));
export const baseOf = (file: string) => file.slice(file.lastIndexOf('/') + 1);
