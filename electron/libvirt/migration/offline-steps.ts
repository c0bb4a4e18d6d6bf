/**
 * The virsh steps of an offline move, as data: built once and both shown ("Show command") and
 * run, so the preview and the move cannot drift apart. Pure functions (unit-tested).
 * virsh: https://libvirt.org/manpages/virsh.html#storage-volume-commands
 */
import { xmlEscape } from '../../xml/dom';
import type { Step } from '../plan';

/**
 * A flattened copy of a volume with a backing chain, made on the source by libvirt itself:
 * vol-create-from runs `qemu-img convert` as libvirtd (which can read root's images), and
 * without -B that merges the whole chain into one self-contained image. The source disk is
 * not touched; the temporary volume is deleted after the copy.
 * https://libvirt.org/manpages/virsh.html#vol-create-from
 */
export function flattenStep(poolUuid: string, volName: string, tmpName: string, capacity: string): Step {
  const xml = `<volume>\n  <name>${xmlEscape(tmpName)}</name>\n  <capacity unit='bytes'>${xmlEscape(capacity)}</capacity>\n  <target>\n    <format type='qcow2'/>\n  </target>\n</volume>\n`;
  return { argv: ['vol-create-from', '--pool', poolUuid, '--file', '/dev/stdin', '--inputpool', poolUuid, '--vol', volName], stdin: xml, long: true };
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

/** A temporary name beside the source volume, plainly Virtdeck's. */
export const flatName = (volName: string, tag: string) => `${volName}.virtdeck-flat-${tag}`;

/** "pool 'x'" from libvirt's refusal of a second pool on a folder another pool has. */
export function conflictingPool(message: string): string | null {
  return /conflict with pool:?\s*'([^']+)'/i.exec(message)?.[1] ?? null;
}

export const dirOf = (file: string) => file.slice(0, Math.max(1, file.lastIndexOf('/')));
export const baseOf = (file: string) => file.slice(file.lastIndexOf('/') + 1);
