/**
 * What an offline move needs, looked up on both hosts (MovePlan), and the pre-flight checks it
 * gives: each finding in plain words with its fix, before anything moves.
 */
import type { PreflightCheck } from '../../../shared/model/migration';
import { AppError } from '../../../shared/errors';
import type { HostConnection } from '../../hosts/host-connection';
import { parseDominfo, parseKeyValueTable } from '../../virsh/parse/keyValue';
import { parseListUuidName } from '../../virsh/parse/list';
import { parsePoolInfo, parsePoolXml, parseVolumeXml, type VolumeXml } from '../../virsh/parse/storage';
import { inactiveXml } from '../domain-config';
import { diskUsers, usersOfVolume } from '../usage';
import { sparseRaw } from './offline-steps';
import { moveNeeds, type MoveDisk, type MoveNeeds } from './offline-xml';
import { hostUuidOf } from './vm-needs';

/** One disk to copy, resolved on both hosts. */
export interface DiskCopy {
  disk: MoveDisk;
  /** Source pool and volume. */
  pool: { name: string; uuid: string; path: string | null };
  vol: VolumeXml;
  /** The bytes vol-download sends: the file's size. */
  bytes: number;
  /** The destination pool of the same name (null: missing). */
  destPool: { uuid: string; path: string | null; active: boolean; available: number | null } | null;
  /** A volume of that name already in the destination pool. */
  destTaken: boolean;
  /** Other VMs on the source with this volume as a disk: it is never deleted from the source. */
  sharedWith: string[];
}

export interface MovePlan {
  needs: MoveNeeds;
  xml: string;
  state: string;
  managedSave: boolean;
  /** Started with its host: the destination gets the same setting. */
  autostart: boolean;
  snapshots: number;
  copies: DiskCopy[];
  checks: PreflightCheck[];
}

const q = (s: string) => `“${s}”`;
const unique = <T>(xs: T[]) => [...new Set(xs)];

async function tryRun(host: HostConnection, argv: string[]): Promise<{ ok: boolean; out: string; err: string }> {
  const r = await host.run(argv, { allowFailure: true });
  return { ok: r.code === 0, out: r.stdout, err: r.stderr.trim() };
}

/** `test -e PATH` as the connection's user (over SSH: the SSH user, who may not see root's folders). */
async function existsOn(host: HostConnection, file: string): Promise<boolean> {
  return (await host.run(['test', '-e', file], { allowFailure: true })).code === 0;
}

async function poolFacts(host: HostConnection, name: string) {
  const info = await tryRun(host, ['virsh', 'pool-info', '--pool', name, '--bytes']);
  if (!info.ok) return null;
  const xml = await tryRun(host, ['virsh', 'pool-dumpxml', '--pool', name]);
  const i = parsePoolInfo(info.out);
  return { uuid: i.uuid, path: xml.ok ? parsePoolXml(xml.out).targetPath : null, active: i.state === 'running', available: i.available === null ? null : Number(i.available) };
}

/** Resolves a copied disk on the source: its pool (by path lookup for file disks) and volume. */
async function resolveDisk(source: HostConnection, dest: HostConnection, disk: MoveDisk): Promise<DiskCopy | PreflightCheck> {
  const fail = (message: string, fix: string): PreflightCheck => ({ id: `disk-${disk.target}`, ok: false, severity: 'error', message, fix });
  let poolName = disk.pool;
  let volArgs: string[];
  if (disk.path !== null) {
    const p = await tryRun(source, ['virsh', 'vol-pool', '--vol', disk.path]);
    if (!p.ok) return fail(`Disk ${disk.target} (${disk.path}) is not a volume of any storage pool on the source: ${p.err}`, `Create a pool for its folder on the source (Storage), or move the file into a pool.`);
    poolName = p.out.trim();
    volArgs = ['--vol', disk.path];
  } else volArgs = ['--pool', poolName!, '--vol', disk.volume!];
  const pool = await poolFacts(source, poolName!);
  if (!pool) return fail(`The source pool ${q(poolName!)} of disk ${disk.target} cannot be read.`, 'Start the pool on the source.');
  const vx = await tryRun(source, ['virsh', 'vol-dumpxml', ...volArgs]);
  if (!vx.ok) return fail(`Disk ${disk.target}: ${vx.err}`, 'Start or refresh the pool on the source.');
  const vol = parseVolumeXml(vx.out);
  const bytes = Number(vol.physical ?? vol.capacity ?? '0');
  const destPool = await poolFacts(dest, poolName!);
  const destTaken = destPool ? (await tryRun(dest, ['virsh', 'vol-info', '--pool', destPool.uuid, '--vol', vol.name])).ok : false;
  return { disk, pool: { name: poolName!, uuid: pool.uuid, path: pool.path }, vol, bytes, destPool, destTaken, sharedWith: [] };
}

/** Room a disk takes on the destination: a sparse raw image only its data (twice: qcow2 in transit, then raw). */
const needed = (r: DiskCopy) => (sparseRaw(r.disk.format ?? r.vol.format, r.vol.physical, r.vol.allocation) ? 2 * Number(r.vol.allocation) : r.bytes);

/** Looks everything up; `checks` are the findings (errors block the move). */
export async function planMove(source: HostConnection, dest: HostConnection, uuid: string): Promise<MovePlan> {
  if (source.id === dest.id) throw new AppError('invalid_args', 'the source and the destination are the same connection');
  const checks: PreflightCheck[] = [];
  const add = (c: PreflightCheck) => checks.push(c);
  const info = parseDominfo((await source.run(['virsh', 'dominfo', '--domain', uuid])).stdout);
  const xml = await inactiveXml(source, uuid);
  const needs = moveNeeds(xml);
  const state = info.stateText;
  add(
    info.state === 'shutoff'
      ? { id: 'state', ok: true, severity: 'info', message: `${q(needs.name)} is shut off.` }
      : { id: 'state', ok: false, severity: 'error', message: `${q(needs.name)} is ${state}: an offline move needs it shut off.`, fix: 'Shut it down first, or migrate it live.' },
  );
  if (info.persistent === false) add({ id: 'persistent', ok: false, severity: 'error', message: `${q(needs.name)} is transient: there is no definition to move.`, fix: 'Make it persistent (define it) first.' });
  const managedSave = info.managedSave === true;
  if (managedSave)
    add({ id: 'managed-save', ok: false, severity: 'error', message: `${q(needs.name)} has a saved state (managed save), which cannot be moved offline.`, fix: 'Start it and shut it down, or discard the saved state.' });

  // Host identity: libvirt's own rule for migration ("migrate guest to the same host").
  const [capsS, capsD] = await Promise.all([source.run(['virsh', 'capabilities']), dest.run(['virsh', 'capabilities'])]);
  const [hs, hd] = [hostUuidOf(capsS.stdout), hostUuidOf(capsD.stdout)];
  add(
    hs && hs === hd
      ? { id: 'host-uuid', ok: false, severity: 'error', message: `Both hosts report the same libvirt host UUID ${hs}: they are the same host, or cloned without a new host UUID.`, fix: 'Set host_uuid in libvirtd.conf on one of them (https://libvirt.org/manpages/libvirtd.html).' }
      : { id: 'host-uuid', ok: true, severity: 'info', message: `The host UUIDs differ (${hs ?? '?'} / ${hd ?? '?'}).` },
  );

  // Name and UUID must be free on the destination. The exact list, not a lookup: `--domain X`
  // would also match X as another domain's id or UUID.
  const taken = parseListUuidName((await dest.run(['virsh', 'list', '--all', '--uuid', '--name'])).stdout);
  const byName = taken.find((t) => t.name === needs.name);
  const byUuid = taken.find((t) => t.uuid.toLowerCase() === uuid.toLowerCase());
  if (byName) add({ id: 'name', ok: false, severity: 'error', message: `The destination already has a VM named ${q(needs.name)} (UUID ${byName.uuid}).`, fix: 'Rename one of them, or delete the one on the destination.' });
  else add({ id: 'name', ok: true, severity: 'info', message: `The name ${q(needs.name)} is free on the destination.` });
  if (byUuid) add({ id: 'uuid', ok: false, severity: 'error', message: `The destination already has a VM with UUID ${uuid} (${q(byUuid.name)}).`, fix: 'Delete or undefine it there first.' });

  for (const net of needs.networks) {
    const n = await tryRun(dest, ['virsh', 'net-info', '--network', net]);
    if (!n.ok) add({ id: `network-${net}`, ok: false, severity: 'error', message: `The network ${q(net)} that a NIC uses does not exist on the destination: ${n.err}`, fix: `Create the network ${q(net)} on the destination, or attach the NIC to another network.` });
    else if (parseKeyValueTable(n.out)['Active']?.trim() !== 'yes') add({ id: `network-${net}`, ok: false, severity: 'warning', message: `The network ${q(net)} exists on the destination but is not active.`, fix: `Start it there (virsh net-start) before starting the VM.` });
    else add({ id: `network-${net}`, ok: true, severity: 'info', message: `The network ${q(net)} is active on the destination.` });
  }
  for (const dev of needs.hostInterfaces) {
    const ok = !dev.includes('/') && (await existsOn(dest, `/sys/class/net/${dev}`));
    add(ok ? { id: `iface-${dev}`, ok: true, severity: 'info', message: `The host interface ${q(dev)} exists on the destination.` } : { id: `iface-${dev}`, ok: false, severity: 'error', message: `The bridge/interface ${q(dev)} that a NIC uses does not exist on the destination.`, fix: `Create ${q(dev)} on the destination, or change the NIC.` });
  }
  for (const file of needs.bootFiles) {
    const ok = await existsOn(dest, file);
    add(ok ? { id: `boot-${file}`, ok: true, severity: 'info', message: `${file} is present on the destination.` } : { id: `boot-${file}`, ok: false, severity: 'error', message: `The boot file ${file} (kernel, initrd or loader) is not present on the destination (or not visible to its user).`, fix: `Copy ${file} to the same path on the destination.` });
  }
  if (needs.tpmEmulator)
    add({ id: 'tpm', ok: false, severity: 'error', message: 'The VM has an emulated TPM. Its state (in /var/lib/libvirt/swtpm, owned by root) cannot be copied by a non-root user; moved without it, the guest would find an empty TPM (BitLocker or LUKS keys sealed in it are lost).', fix: 'Copy /var/lib/libvirt/swtpm/<uuid>/ as root yourself, or remove the TPM from the VM first.' });

  const snapshots = (await tryRun(source, ['virsh', 'snapshot-list', '--domain', uuid, '--name'])).out.split('\n').filter((l) => l.trim()).length;
  if (snapshots > 0)
    add({ id: 'snapshots', ok: false, severity: 'error', message: `${q(needs.name)} has ${snapshots} snapshot(s): their metadata cannot be moved, and the copied disks would lose them or carry them without a record.`, fix: 'Delete the snapshots first (or revert and delete them).' });

  const copies: DiskCopy[] = [];
  const uses = needs.disks.some((d) => d.kind === 'copy') ? await diskUsers(source) : [];
  for (const disk of needs.disks) {
    if (disk.kind === 'unsupported') {
      add({ id: `disk-${disk.target}`, ok: false, severity: 'error', message: `Disk ${disk.target}: ${disk.reason}.`, fix: 'Remove it from the VM, or migrate between hosts that share this storage.' });
      continue;
    }
    if (disk.kind === 'present') {
      if (disk.path === null) continue;
      const ok = await existsOn(dest, disk.path);
      add(ok ? { id: `disk-${disk.target}`, ok: true, severity: 'info', message: `Medium ${disk.target} (${disk.path}) is present on the destination.` } : { id: `disk-${disk.target}`, ok: false, severity: 'error', message: `The read-only medium ${disk.target} (${disk.path}) is not present on the destination.`, fix: 'Eject it, or copy the file to the same path there.' });
      continue;
    }
    const r = await resolveDisk(source, dest, disk);
    if (!('vol' in r)) {
      add(r);
      continue;
    }
    r.sharedWith = unique(usersOfVolume(uses, r.vol).filter((u) => u.uuid.toLowerCase() !== uuid.toLowerCase()).map((u) => u.name));
    copies.push(r);
    const id = `disk-${disk.target}`;
    if (r.sharedWith.length > 0)
      add({ id: `shared-${disk.target}`, ok: false, severity: 'warning', message: `Disk ${disk.target} (${r.vol.path}) is also a disk of ${r.sharedWith.map(q).join(', ')} on the source: it is copied as it is now, and kept on the source even if deleting the source's disks is asked.`, fix: 'Keep that VM shut off until the move is done.' });
    if (!r.destPool) add({ id, ok: false, severity: 'error', message: `Disk ${disk.target} is in pool ${q(r.pool.name)}, which the destination does not have.`, fix: `Create the pool ${q(r.pool.name)} on the destination${r.pool.path ? ` (path ${r.pool.path})` : ''}: Virtdeck can create it from the source pool's definition.` });
    else if (r.pool.path !== r.destPool.path) add({ id, ok: false, severity: 'error', message: `The pool ${q(r.pool.name)} has the path ${r.destPool.path ?? '?'} on the destination, not ${r.pool.path ?? '?'}.`, fix: 'Give the pools the same path, or rename one of them.' });
    else if (!r.destPool.active) add({ id, ok: false, severity: 'error', message: `The pool ${q(r.pool.name)} is not active on the destination.`, fix: 'Start it there.' });
    else if (r.destTaken) add({ id, ok: false, severity: 'error', message: `The destination pool ${q(r.pool.name)} already has a volume ${q(r.vol.name)}.`, fix: 'Delete or rename that volume on the destination.' });
    else if (r.destPool.available !== null && r.destPool.available < needed(r)) add({ id, ok: false, severity: 'error', message: `Disk ${disk.target} needs ${needed(r)} bytes; the pool ${q(r.pool.name)} has ${r.destPool.available} bytes available on the destination.`, fix: 'Free space in that pool.' });
    else
      add({ id, ok: true, severity: 'info', message: `Disk ${disk.target} (${r.vol.name}, ${r.bytes} bytes${r.vol.backing ? `, backed by ${r.vol.backing.path}: flattened into one image` : ''}) will be copied to pool ${q(r.pool.name)}.` });
  }
  if (needs.nvram) add({ id: 'nvram', ok: true, severity: 'info', message: `The UEFI variables ${needs.nvram} are copied through a temporary pool on each host.` });
  return { needs, xml, state, managedSave, autostart: info.autostart === true, snapshots, copies, checks };
}
