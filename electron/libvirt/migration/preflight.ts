/**
 * Pre-flight of a live migration (issue 15): every check runs before anything moves, each with
 * what was found (libvirt's words where it answered) and its fix. Read-only on both hosts.
 */
import { dirname } from 'node:path';
import { AppError } from '../../../shared/errors';
import type { MigrationOptions, PreflightCheck, PreflightReport } from '../../../shared/model/migration';
import type { HostConnection } from '../../hosts/host-connection';
import { parsePoolXml } from '../../virsh/parse/storage';
import { verifiedKeyLines } from './direct';
import { relayDescription } from './relay';
import { hostUuidOf, vmNeeds, type VmNeeds } from './vm-needs';

export interface LiveFacts {
  needs: VmNeeds;
  /** virsh's state words on the source ("running", "paused", "shut off"…). */
  state: string;
  report: PreflightReport;
}

const err = (id: string, message: string, fix?: string): PreflightCheck => ({ id, ok: false, severity: 'error', message, ...(fix ? { fix } : {}) });
const ok = (id: string, message: string): PreflightCheck => ({ id, ok: true, severity: 'info', message });
const warn = (id: string, message: string, fix?: string): PreflightCheck => ({ id, ok: true, severity: 'warning', message, ...(fix ? { fix } : {}) });

const virsh = (h: HostConnection, ...argv: string[]) => h.run(['virsh', ...argv], { allowFailure: true, timeoutMs: 60_000 });
/** Does `path` exist on the host (as its SSH user sees it; a local host: this computer)? */
const exists = async (h: HostConnection, p: string) => (await h.run(['test', '-e', p], { allowFailure: true, timeoutMs: 30_000 })).code === 0;
const firstLine = (s: string) => s.trim().replace(/^error:\s*/gm, '').split('\n').filter(Boolean).join(' ');

export function pathWhy(o: MigrationOptions): string {
  if (o.path === 'relay-tunnelled') return 'Control and data relayed through Virtdeck (--p2p --tunnelled): for a source that cannot reach the destination at all; slower, and on libvirt 9.0 it cannot copy storage.';
  if (o.path === 'direct') return 'Direct (--p2p, qemu+libssh): the source’s libvirtd logs in to the destination itself with a key file on the source, checking the destination’s key as Virtdeck verified it. Only for hosts that already trust each other.';
  if (o.path === 'offline') return 'Offline move: the disks are copied through Virtdeck, then the VM is defined on the destination.';
  return 'Control relayed through Virtdeck, data direct (--p2p, --migrateuri tcp://…): the source needs no credentials for the destination; only QEMU’s data goes straight to the destination (ports 49152+).';
}

export async function preflightLive(source: HostConnection, dest: HostConnection, uuid: string, o: MigrationOptions): Promise<LiveFacts> {
  const checks: PreflightCheck[] = [];
  const missingPools: Array<{ name: string; path: string }> = [];
  const [xmlRes, stateRes] = await Promise.all([virsh(source, 'dumpxml', '--inactive', '--domain', uuid), virsh(source, 'domstate', '--domain', uuid)]);
  if (xmlRes.code !== 0) throw new AppError('virsh', `${source.config.name}: ${firstLine(xmlRes.stderr)}`);
  // The definition (not the live XML): the CPU the user configured, which is what must fit the
  // destination; the live XML spells out every feature QEMU enabled.
  const needs = vmNeeds(xmlRes.stdout);
  const state = stateRes.stdout.trim();

  if (source.id === dest.id) checks.push(err('hosts', 'The source and the destination are the same connection.', 'Pick another connected host.'));
  if (state === 'running' || state === 'paused') checks.push(ok('state', `${needs.name} is ${state} on ${source.config.name}: it migrates live.`));
  else checks.push(err('state', `${needs.name} is ${state || 'not running'} on ${source.config.name}; live migration needs a running VM.`, 'Start it, or choose the offline move.'));

  // libvirt refuses two hosts with one host UUID ("migrate guest to the same host").
  const [capS, capD] = await Promise.all([virsh(source, 'capabilities'), virsh(dest, 'capabilities')]);
  const uS = capS.code === 0 ? hostUuidOf(capS.stdout) : null;
  const uD = capD.code === 0 ? hostUuidOf(capD.stdout) : null;
  if (!uS || !uD) checks.push(warn('host-uuid', 'Could not read both hosts’ host UUIDs (virsh capabilities).'));
  else if (uS === uD) checks.push(err('host-uuid', `Both hosts have the libvirt host UUID ${uS}: libvirt refuses ("migrate guest to the same host").`, 'Give one host its own host_uuid in /etc/libvirt/libvirtd.conf and restart libvirtd there.'));
  else checks.push(ok('host-uuid', 'The two hosts’ libvirt host UUIDs differ.'));

  // Name and UUID must be free on the destination.
  const [byUuid, byName] = await Promise.all([virsh(dest, 'domname', '--domain', uuid), virsh(dest, 'domuuid', '--domain', needs.name)]);
  if (byUuid.code === 0) checks.push(err('uuid', `${dest.config.name} already has a VM with UUID ${uuid} (“${byUuid.stdout.trim()}”).`, 'Remove or rename that VM on the destination first.'));
  else checks.push(ok('uuid', `No VM with this UUID on ${dest.config.name}.`));
  if (byName.code === 0) checks.push(err('name', `${dest.config.name} already has a VM named “${needs.name}” (UUID ${byName.stdout.trim()}).`, 'Rename one of the two VMs first.'));
  else checks.push(ok('name', `The name “${needs.name}” is free on ${dest.config.name}.`));

  // Files the destination must already have: kernel, initrd, and disks on shared storage.
  for (const [id, p] of [['kernel', needs.kernel], ['initrd', needs.initrd]] as const) {
    if (!p) continue;
    if (await exists(dest, p)) checks.push(ok(id, `The ${id} ${p} exists on ${dest.config.name}.`));
    else checks.push(err(id, `The ${id} ${p} does not exist on ${dest.config.name}.`, `Copy ${p} to the same path on ${dest.config.name}.`));
  }
  for (const d of needs.disks) {
    const copied = o.copyStorage !== 'none' && d.device === 'disk' && !d.readonly;
    const label = d.path ?? (d.volume ? `${d.pool}/${d.volume}` : d.type);
    if (copied) checks.push(...(await copyTarget(source, dest, d.target, d.path, missingPools, o.copyStorage === 'inc')));
    else if (d.path) {
      if (await exists(dest, d.path)) checks.push(ok(`disk:${d.target}`, `${d.target}: ${d.path} exists on ${dest.config.name} (shared storage).`));
      else checks.push(err(`disk:${d.target}`, `${d.target}: ${d.path} does not exist on ${dest.config.name}.`, d.device === 'disk' ? 'Copy storage (all disks), or put the disk on storage both hosts share.' : `Copy ${d.path} to the destination, or eject the media first.`));
    } else if (d.type === 'volume') checks.push(warn(`disk:${d.target}`, `${d.target}: volume ${label} is not checked on the destination.`));
  }

  for (const net of needs.networks) {
    const r = await virsh(dest, 'net-info', '--network', net);
    if (r.code !== 0) checks.push(err(`network:${net}`, `The network “${net}” does not exist on ${dest.config.name}: ${firstLine(r.stderr)}`, `Define and start “${net}” on the destination.`));
    else if (!/^Active:\s+yes/m.test(r.stdout)) checks.push(err(`network:${net}`, `The network “${net}” is not active on ${dest.config.name}.`, 'Start it on the destination.'));
    else checks.push(ok(`network:${net}`, `The network “${net}” is active on ${dest.config.name}.`));
  }
  for (const br of needs.bridges) {
    if (await exists(dest, `/sys/class/net/${br}/bridge`)) checks.push(ok(`bridge:${br}`, `The bridge ${br} exists on ${dest.config.name}.`));
    else checks.push(err(`bridge:${br}`, `The bridge ${br} does not exist on ${dest.config.name}.`, 'Create the bridge on the destination.'));
  }

  if (!needs.cpuXml) checks.push(ok('cpu', 'The VM sets no CPU model: QEMU’s default model runs on both.'));
  else if (needs.cpuMode === 'host-passthrough') checks.push(warn('cpu', 'The VM uses host-passthrough: it migrates only between identical CPUs, and libvirt cannot check that.', 'Use host-model or a named model for VMs that move.'));
  else {
    const opts = ['--virttype', needs.virtType, ...(needs.arch ? ['--arch', needs.arch] : []), ...(needs.machine ? ['--machine', needs.machine] : [])];
    const r = await dest.run(['virsh', 'hypervisor-cpu-compare', '--file', '/dev/stdin', ...opts, '--error'], { stdin: needs.cpuXml, allowFailure: true, timeoutMs: 60_000 });
    const said = firstLine(r.stdout + r.stderr);
    const bad = r.code !== 0 || /incompatible/i.test(said);
    // TCG emulates the features itself: libvirt's comparison against the host CPU is advisory there.
    if (bad && needs.virtType === 'qemu') checks.push(warn('cpu', `${dest.config.name} (TCG, advisory): ${said}`));
    else if (bad) checks.push(err('cpu', `${dest.config.name}: ${said}`, 'Choose a CPU model both hosts have.'));
    else checks.push(ok('cpu', `${dest.config.name}: ${said}`));
  }

  if (o.path === 'relay-tunnelled' && o.copyStorage !== 'none')
    checks.push(err('tunnelled-storage', 'Tunnelled migration cannot copy storage on libvirt 9.0 (“argument key ‘host’ must not have null value”).', 'Use the default path (data direct), shared storage, or the offline move.'));
  if (o.path === 'direct') checks.push(...(await directChecks(source, dest, o)));
  if (needs.tpm) checks.push(warn('tpm', 'The VM has an emulated TPM: its state lives in a root-only directory on the source.'));

  const report: PreflightReport = { checks, path: o.path, why: pathWhy(o), ...(o.path === 'direct' ? {} : { relay: relayDescription(source, dest) }), ...(missingPools.length ? { missingPools } : {}), ok: checks.every((c) => c.ok) };
  return { needs, state, report };
}

/**
 * A copied disk is created by libvirt on the destination in a pool with the same target
 * directory (libvirt pre-creates it there): the pool must exist with the same path.
 */
async function copyTarget(source: HostConnection, dest: HostConnection, target: string, file: string | undefined, missingPools: Array<{ name: string; path: string }>, inc: boolean): Promise<PreflightCheck[]> {
  if (!file) return [warn(`disk:${target}`, `${target}: not a file disk; libvirt copies it if the destination has a matching volume.`)];
  const r = await virsh(source, 'vol-pool', '--vol', file);
  const pool = r.code === 0 ? r.stdout.trim() : undefined;
  const id = `pool:${target}`;
  if (!pool) return [err(id, `${target}: ${file} is in no storage pool on the source; libvirt cannot create its copy.`, `Define a pool for ${dirname(file)} on both hosts.`)];
  const d = await virsh(dest, 'pool-dumpxml', '--pool', pool);
  if (d.code !== 0) {
    // A directory pool can be made the same on the destination: the dialog offers it.
    const src = await virsh(source, 'pool-dumpxml', '--pool', pool);
    if (src.code === 0 && parsePoolXml(src.stdout).type === 'dir' && !missingPools.some((m) => m.name === pool)) missingPools.push({ name: pool, path: dirname(file) });
    return [err(id, `${target}: ${dest.config.name} has no pool “${pool}”: ${firstLine(d.stderr)}`, `Create the pool “${pool}” at ${dirname(file)} on the destination.`)];
  }
  const there = parsePoolXml(d.stdout).targetPath;
  if (there !== dirname(file)) return [err(id, `${target}: the pool “${pool}” on ${dest.config.name} is at ${there ?? '?'}, not ${dirname(file)}.`, 'Give the pool the same path on both hosts.')];
  // --copy-storage-inc copies onto images made first (same backing chain); --copy-storage-all needs the path free.
  if (await exists(dest, file))
    return inc
      ? [ok(id, `${target}: ${file} exists on ${dest.config.name}; only what differs from its backing chain is copied.`)]
      : [err(id, `${target}: ${file} already exists on ${dest.config.name}.`, 'Remove it there first, copy incrementally onto it, or migrate with shared storage.')];
  // libvirt would pre-create a missing image empty and copy only the top layer onto it: the backing chain's data would be lost.
  if (inc) return [err(id, `${target}: ${file} does not exist on ${dest.config.name}; an incremental copy needs the image (with the same backing chain) made there first.`, `Create ${file} on ${dest.config.name} first, or copy all disks.`)];
  return [ok(id, `${target}: copied into the pool “${pool}” (${there}) on ${dest.config.name}.`)];
}

/** Path 4 needs a key file on the source and the destination's key as Virtdeck verified it. */
async function directChecks(source: HostConnection, dest: HostConnection, o: MigrationOptions): Promise<PreflightCheck[]> {
  const out: PreflightCheck[] = [];
  try {
    const { target } = await verifiedKeyLines(dest);
    out.push(ok('direct-hostkey', `The source will check ${dest.config.name}’s host key as Virtdeck verified it (${target.host}:${target.port}).`));
  } catch (e) {
    out.push(err('direct-hostkey', AppError.from(e).message, 'Use the relayed path, or connect to the destination directly over SSH.'));
  }
  if (!o.directKeyFile) out.push(err('direct-key', 'The direct path needs a private key on the source that the destination accepts.', 'Name the key file, or use the relayed path (no credentials needed).'));
  else if (await exists(source, o.directKeyFile)) out.push(ok('direct-key', `${o.directKeyFile} exists on ${source.config.name}.`));
  else out.push(warn('direct-key', `${o.directKeyFile} is not visible to Virtdeck’s user on ${source.config.name}; the source’s libvirtd (root) must be able to read it.`));
  return out;
}
