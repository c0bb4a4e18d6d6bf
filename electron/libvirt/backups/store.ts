/**
 * Backups as they lie in pools: each is a manifest volume (`vdbackup.<vm uuid>.<id>.json`, the
 * JSON of BackupManifest with the VM's definition) and one qcow2 volume per disk. Written with
 * vol-create-as + vol-upload and read with vol-download, so a non-root SSH user in the libvirt
 * group manages them like any volume. https://libvirt.org/manpages/virsh.html#vol-upload
 */
import { Writable } from 'node:stream';
import { AppError } from '../../../shared/errors';
import { BackupManifest, type Backup, type HostBackups } from '../../../shared/model/backup';
import { parseXml } from '../../xml/dom';
import type { Pool } from '../../../shared/model/storage';
import type { HostConnection } from '../../hosts/host-connection';
import { parseVolList } from '../../virsh/parse/vsh-table';
import type { Step } from '../plan';
import { activeFilePools, listPools } from '../pools';
import { volumeXml } from '../volumes';
import { encodeManifest, manifestPrefix, manifestSize, manifestVolume } from './backup-plan';

/** Pools a backup may live in: active, with a directory (its volumes are files). */
export const backupPools = activeFilePools;

export async function findPool(host: HostConnection, name: string): Promise<Pool & { targetPath: string }> {
  const pool = backupPools(await listPools(host)).find((p) => p.name === name);
  if (!pool) throw new AppError('invalid_args', `pool "${name}" is not an active directory pool`);
  return pool;
}

/**
 * The steps that store a manifest: `begin` makes its volume and writes it 'running' before any
 * backup file exists; `complete` rewrites it once every file is whole (the preview shows both).
 */
export function manifestSteps(pool: string, m: BackupManifest): { begin: Step[]; complete: Step } {
  const size = manifestSize(m);
  const name = manifestVolume(m.vm.uuid, m.id);
  const upload = (state: BackupManifest['state']): Step => ({ argv: ['vol-upload', '--pool', pool, '--vol', name, '--file', '/dev/stdin'], stdin: encodeManifest({ ...m, state }, size) });
  return {
    begin: [{ argv: ['vol-create-as', '--pool', pool, '--name', name, '--capacity', String(size), '--format', 'raw', '--allocation', '0'] }, upload('running')],
    complete: upload('complete'),
  };
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

/** `vdbackup.<uuid>.<id>.json`: the VM and the id a manifest volume's name carries. */
const MANIFEST_NAME = /^vdbackup\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([0-9]{8}-[0-9]{6}(?:-[0-9]+)?)\.json$/;

/**
 * A manifest volume made but never written (the app was cut off between vol-create-as and
 * vol-upload): an interrupted backup with no files yet, known from its name only.
 */
function unwritten(name: string): BackupManifest | null {
  const m = MANIFEST_NAME.exec(name);
  if (!m) return null;
  const id = m[2]!;
  const createdAt = Date.UTC(+id.slice(0, 4), +id.slice(4, 6) - 1, +id.slice(6, 8), +id.slice(9, 11), +id.slice(11, 13), +id.slice(13, 15));
  return { format: 'virtdeck-backup/1', id, vm: { name: '', uuid: m[1]! }, createdAt, kind: 'full', method: 'vol-copy', checkpoint: null, parent: null, disks: [], domainXml: '', state: 'running' };
}

/** Files libvirt's backup job of this domain writes now (backup-dumpxml), none without a job. */
async function jobTargets(host: HostConnection, uuid: string): Promise<Set<string>> {
  const r = await host.run(['virsh', 'backup-dumpxml', '--domain', uuid], { allowFailure: true });
  if (r.code !== 0) return new Set(); // "no domain backup job present", or no such VM
  const doc = parseXml(r.stdout);
  return new Set([...doc.getElementsByTagName('target')].map((t) => t.getAttribute('file')).filter((f): f is string => !!f));
}

/** `pool/id` of the backups this app runs now (BackupJobs.activeKeys). */
export type ActiveBackups = ReadonlySet<string>;

async function collect(host: HostConnection, prefix: string, active: ActiveBackups): Promise<Backup[]> {
  const pools = backupPools(await listPools(host));
  const jobs = new Map<string, Promise<Set<string>>>();
  const targetsOf = (uuid: string) => jobs.get(uuid) ?? (jobs.set(uuid, jobTargets(host, uuid)), jobs.get(uuid)!);
  const perPool = await Promise.all(
    pools.map(async (p) => {
      const names = (await volumeNames(host, p.name)).filter((n) => n.startsWith(prefix) && MANIFEST_NAME.test(n));
      const found = await Promise.all(
        names.map(async (n): Promise<Backup | null> => {
          const text = await downloadText(host, p.name, n).catch(() => null);
          if (text === null) return null; // removed meanwhile
          let m: BackupManifest | null;
          if (/^[\0\s]*$/.test(text)) m = unwritten(n);
          else {
            try {
              m = parseManifest(text, `${p.name}/${n}`);
            } catch {
              return null; // not a manifest Virtdeck wrote: not listed, not touched
            }
          }
          if (!m) return null;
          const sizes = await Promise.all(m.disks.map((d) => volumeXml(host, p.name, d.volume).then((x) => (x.allocation === null ? null : Number(x.allocation)), () => null)));
          const allocation = sizes.some((s) => s === null) ? null : sizes.reduce<number>((a, b) => a + b!, 0);
          let status: Backup['status'] = 'complete';
          if (m.state === 'running') {
            // Still written when this app runs it, or when libvirt's job (its app gone) writes into its files.
            const targets = m.method === 'backup-begin' && m.disks.length > 0 ? await targetsOf(m.vm.uuid) : new Set<string>();
            const writing = active.has(`${p.name}/${m.id}`) || m.disks.some((d) => targets.has(d.path));
            status = writing ? 'running' : 'interrupted';
          }
          return { ...m, pool: p.name, manifestVolume: n, allocation, children: [] as string[], status };
        }),
      );
      return found.filter((b): b is Backup => b !== null);
    }),
  );
  const all = perPool.flat();
  for (const b of all) if (b.parent !== null) all.find((p) => p.id === b.parent && p.pool === b.pool && p.vm.uuid === b.vm.uuid)?.children.push(b.id);
  return all.sort((a, b) => b.createdAt - a.createdAt || b.id.localeCompare(a.id));
}

/** Every backup of the VM in every backup pool, newest first, each with its dependants and status. */
export const listBackups = (host: HostConnection, uuid: string, active: ActiveBackups = new Set()) => collect(host, manifestPrefix(uuid), active);

/** Every backup on the host, also of VMs deleted since (their only way back is restore as new), and the pools to restore into. */
export async function listHostBackups(host: HostConnection, active: ActiveBackups = new Set()): Promise<HostBackups> {
  const [all, uuids, pools] = await Promise.all([collect(host, 'vdbackup.', active), host.run(['virsh', 'list', '--all', '--uuid']), listPools(host)]);
  const defined = new Set(uuids.stdout.split('\n').map((l) => l.trim().toLowerCase()).filter(Boolean));
  return {
    backups: all.map((b) => ({ ...b, vmDefined: defined.has(b.vm.uuid.toLowerCase()) })),
    pools: backupPools(pools).map((p) => ({ name: p.name, path: p.targetPath!, available: p.available === null ? null : Number(p.available) })),
  };
}

export async function findBackup(host: HostConnection, uuid: string, pool: string, id: string, active?: ActiveBackups): Promise<Backup> {
  const b = (await listBackups(host, uuid, active)).find((x) => x.pool === pool && x.id === id);
  if (!b) throw new AppError('not_found', `no backup ${id} of this VM in pool "${pool}" (it may have been deleted meanwhile)`);
  return b;
}

export { manifestVolume };
