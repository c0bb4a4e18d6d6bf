/**
 * Install media and disks named by the wizard: pool volumes (by pool UUID + volume name, as the
 * rest of Virtdeck addresses them) or host paths. Resolution only reads; nothing is changed.
 */
import { AppError } from '../../../shared/errors';
import type { MediaRef } from '../../../shared/model/newvm';
import type { Pool } from '../../../shared/model/storage';
import type { CommandResult, HostConnection } from '../../hosts/host-connection';
import { parseVolumeXml } from '../../virsh/parse/storage';
import type { DiskSource } from './domain-build';

export interface ResolvedMedia {
  /** For <disk>: the volume by pool name, or the file. */
  source: DiskSource;
  /** The file on the host (for <kernel>, qemu-img, virt-install). */
  path: string;
  label: string;
}

/** Resolves a MediaRef; a volume that does not exist, or a pool that is not running, is an AppError('not_found'). */
export async function resolveMedia(host: HostConnection, pools: readonly Pool[], ref: MediaRef): Promise<ResolvedMedia> {
  if (ref.type === 'path') return { source: { file: ref.path }, path: ref.path, label: ref.path };
  const pool = pools.find((p) => p.uuid === ref.poolUuid);
  if (!pool) throw new AppError('not_found', `There is no pool ${ref.poolUuid} on this host.`);
  if (pool.state !== 'running') throw new AppError('not_found', `The pool “${pool.name}” is not running.`);
  const res = await tryVirsh(host, ['vol-path', '--pool', ref.poolUuid, '--vol', ref.name]);
  if (!res.ok) throw new AppError('not_found', `There is no volume “${ref.name}” in the pool “${pool.name}”: ${res.error}`);
  return { source: { pool: pool.name, volume: ref.name }, path: res.stdout.trim(), label: `${pool.name}/${ref.name}` };
}

/**
 * A read-only program run whose answer is its exit code. A run that ended without an exit status
 * (code null: the channel closed without one, seen over SSH under load) is asked again, twice,
 * and then reported, never taken for "not there".
 */
export function readOnHost(host: HostConnection, argv: string[], timeoutMs = 30_000): Promise<CommandResult> {
  return host.run(argv, { allowFailure: true, timeoutMs });
}

/** A virsh query whose failure is an answer (no such volume, no KVM). */
export async function tryVirsh(host: HostConnection, argv: string[]): Promise<{ ok: true; stdout: string } | { ok: false; error: string }> {
  const r = await host.run(['virsh', ...argv], { allowFailure: true });
  return r.code === 0 ? { ok: true, stdout: r.stdout } : { ok: false, error: r.stderr.trim() };
}

interface ImageInfo {
  filename?: string;
  format?: string;
  'backing-filename'?: string;
  'full-backing-filename'?: string;
}

/**
 * Why an image imported as `format` is unsafe: a backing file outside every pool. qemu-img is
 * told the format (never guessing), so a raw image that carries a qcow2 header is read as raw
 * and has no backing chain. Returns null when it is fine.
 * https://www.qemu.org/docs/master/system/qemu-block-drivers.html#image-format-probing
 */
export async function backingProblem(host: HostConnection, pools: readonly Pool[], path: string, format: string): Promise<string | null> {
  if (format === 'raw') return null;
  const res = await readOnHost(host, ['qemu-img', 'info', '--output=json', '--backing-chain', '-U', '-f', format, '--', path], 60_000);
  if (res.code === 127) return 'qemu-img is not installed on the host, so the image’s backing files cannot be checked; import it as raw or install qemu-utils.';
  if (res.code !== 0) return `qemu-img cannot read the image as ${format}: ${res.stderr.trim()}`;
  let chain: ImageInfo[];
  try {
    const parsed = JSON.parse(res.stdout) as ImageInfo | ImageInfo[];
    chain = Array.isArray(parsed) ? parsed : [parsed];
  } catch {
    return 'qemu-img gave output Virtdeck cannot read.';
  }
  const roots = pools.map((p) => p.targetPath).filter((t): t is string => !!t && t.startsWith('/')).map((t) => (t.endsWith('/') ? t : `${t}/`));
  for (const img of chain) {
    const backing = img['full-backing-filename'] ?? img['backing-filename'];
    if (!backing) continue;
    if (!backing.startsWith('/') || !roots.some((r) => backing.startsWith(r)) || backing.split('/').includes('..'))
      return `The image has a backing file outside the host’s storage pools (${backing}); Virtdeck refuses it, as it could expose host files to the guest.`;
  }
  return null;
}

/**
 * The same check for a pool volume, through libvirt (`vol-dumpxml` shows the backing store it
 * found), so it works for an SSH user who cannot read the image file itself. Each backing file
 * must itself be a volume of a pool on this host.
 */
export async function volumeBackingProblem(host: HostConnection, pools: readonly Pool[], poolUuid: string, name: string, format: string): Promise<string | null> {
  if (format === 'raw') return null;
  const roots = pools.map((p) => p.targetPath).filter((t): t is string => !!t && t.startsWith('/')).map((t) => (t.endsWith('/') ? t : `${t}/`));
  let argv = ['vol-dumpxml', '--pool', poolUuid, '--vol', name];
  for (let depth = 0; depth < 16; depth++) {
    const r = await tryVirsh(host, argv);
    if (!r.ok) return `The backing file of the image is not a volume of any pool on this host: ${r.error}`;
    const backing = parseVolumeXml(r.stdout).backing;
    if (!backing) return null;
    if (!backing.path.startsWith('/') || !roots.some((root) => backing.path.startsWith(root)) || backing.path.split('/').includes('..'))
      return `The image has a backing file outside the host’s storage pools (${backing.path}); Virtdeck refuses it, as it could expose host files to the guest.`;
    argv = ['vol-dumpxml', '--vol', backing.path];
  }
  return 'The image’s backing chain is deeper than 16 images.';
}
