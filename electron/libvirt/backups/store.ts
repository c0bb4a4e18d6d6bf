/**
 * Backups as they lie in pools: each is a manifest volume (`vdbackup.<vm uuid>.<id>.json`, the
 * JSON of BackupManifest with the VM's definition) and one qcow2 volume per disk. Written with
 * vol-create-as + vol-upload and read with vol-download, so a non-root SSH user in the libvirt
 * group manages them like any volume. https://libvirt.org/manpages/virsh.html#vol-upload
 */
import { Writable } from 'node:stream';
import { AppError } from '../../../shared/errors';
import { BackupManifest, type Backup } from '../../../shared/model/backup';
import type { Pool } from '../../../shared/model/storage';
import type { HostConnection } from '../../hosts/host-connection';
import { parseVolList } from '../../virsh/parse/vsh-table';
import type { Step } from '../plan';
import { activeFilePools, listPools } from '../pools';
import { volumeXml } from '../volumes';
import { encodeManifest, manifestPrefix, manifestVolume } from './backup-plan';

/** Pools a backup may live in: active, with a directory (its volumes are files). */
export const backupPools = activeFilePools;

export async function findPool(host: HostConnection, name: string): Promise<Pool & { targetPath: string }> {
  const pool = backupPools(await listPools(host)).find((p) => p.name === name);
  if (!pool) throw new AppError('invalid_args', `pool "${name}" is not an active directory pool`);
  return pool;
}

/** The two steps that store a manifest (the preview shows them as they run). */
export function manifestSteps(pool: string, m: BackupManifest): Step[] {
  const body = encodeManifest(m);
  const name = manifestVolume(m.vm.uuid, m.id);
  return [
    { argv: ['vol-create-as', '--pool', pool, '--name', name, '--capacity', String(Buffer.byteLength(body)), '--format', 'raw', '--allocation', '0'] },
    { argv: ['vol-upload', '--pool', pool, '--vol', name, '--file', '/dev/stdin'], stdin: body },
  ];
}

/** A volume's whole content through libvirt (small volumes only: manifests). */
export async function downloadText(host: HostConnection, pool: string, vol: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > 16 * 1024 * 1024) return done(new Error(`${vol} is larger than a backup manifest can be`));
      chunks.push(chunk);
      done();
    },
  });
  await host.run(['virsh', '-q', 'vol-download', '--pool', pool, '--vol', vol, '--file', '/dev/stdout'], { stream: { stdout: sink }, timeoutMs: 60_000 });
  return Buffer.concat(chunks).toString('utf8');
}

export function parseManifest(text: string, where: string): BackupManifest {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/\0+$/, ''));
  } catch (e) {
    throw new AppError('invalid_args', `${where} is not a Virtdeck backup manifest: ${(e as Error).message}`);
  }
  const parsed = BackupManifest.safeParse(json);
  if (!parsed.success) throw new AppError('invalid_args', `${where} is not a Virtdeck backup manifest: ${parsed.error.issues[0]?.message ?? 'bad shape'}`);
  return parsed.data;
}

/** Names of the volumes in a pool (vol-list's table). */
export async function volumeNames(host: HostConnection, pool: string): Promise<string[]> {
  return parseVolList((await host.run(['virsh', 'vol-list', '--pool', pool])).stdout).map((r) => r.name);
}

/** Every backup of the VM in every backup pool, newest first, each with its dependants. */
export async function listBackups(host: HostConnection, uuid: string): Promise<Backup[]> {
  const pools = backupPools(await listPools(host));
  const perPool = await Promise.all(
    pools.map(async (p) => {
      const names = (await volumeNames(host, p.name)).filter((n) => n.startsWith(manifestPrefix(uuid)) && n.endsWith('.json'));
      return Promise.all(
        names.map(async (n) => {
          const m = parseManifest(await downloadText(host, p.name, n), `${p.name}/${n}`);
          const sizes = await Promise.all(m.disks.map((d) => volumeXml(host, p.name, d.volume).then((x) => (x.allocation === null ? null : Number(x.allocation)), () => null)));
          const allocation = sizes.some((s) => s === null) ? null : sizes.reduce<number>((a, b) => a + b!, 0);
          return { ...m, pool: p.name, manifestVolume: n, allocation, children: [] as string[] };
        }),
      );
    }),
  );
  const all = perPool.flat();
  for (const b of all) if (b.parent !== null) all.find((p) => p.id === b.parent && p.pool === b.pool)?.children.push(b.id);
  return all.sort((a, b) => b.createdAt - a.createdAt || b.id.localeCompare(a.id));
}

export async function findBackup(host: HostConnection, uuid: string, pool: string, id: string): Promise<Backup> {
  const b = (await listBackups(host, uuid)).find((x) => x.pool === pool && x.id === id);
  if (!b) throw new AppError('not_found', `no backup ${id} of this VM in pool "${pool}" (it may have been deleted meanwhile)`);
  return b;
}

export { manifestVolume };
