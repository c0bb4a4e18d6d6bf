/**
 * Install media and disks named by the wizard: pool volumes (by pool UUID + volume name, as the
 * rest of Virtdeck addresses them) or host paths. Resolution only reads; nothing is changed.
 */
import { AppError } from '../../../shared/errors';
import type { MediaRef } from '../../../shared/model/newvm';
import type { Pool } from '../../../shared/model/storage';
import type { HostConnection } from '../../hosts/host-connection';
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
  const res = await host.run(['virsh', 'vol-path', '--pool', ref.poolUuid, '--vol', ref.name], { allowFailure: true });
  if (res.code !== 0) throw new AppError('not_found', `There is no volume “${ref.name}” in the pool “${pool.name}”: ${res.stderr.trim()}`);
  return { source: { pool: pool.name, volume: ref.name }, path: res.stdout.trim(), label: `${pool.name}/${ref.name}` };
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
  const res = await host.run(['qemu-img', 'info', '--output=json', '--backing-chain', '-U', '-f', format, '--', path], { allowFailure: true, timeoutMs: 60_000 });
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
