/**
 * The hardware forms' changes: each edits the persistent definition through the XML model and
 * `define --validate` (domain-config.ts); while the VM runs, what libvirt can change live is
 * applied too when asked — vCPU count (setvcpus), balloon size (setmem), title/description
 * (desc), hot-plug and unplug (attach/detach-device) — and the rest is reported as waiting for
 * the next boot. https://libvirt.org/manpages/virsh.html#setvcpus, #setmem, #attach-device
 */
import { AppError } from '../../shared/errors';
import type { EditResult, HardwareEdit, NewDevice } from '../../shared/model/details';
import type { HostConnection } from '../hosts/host-connection';
import { addDevice, removeDevice, type ResolvedNewDevice } from '../xml/add-remove';
import { removeChildren, serializeXml } from '../xml/dom';
import { DomainXml } from '../xml/domain-xml';
import { editDevice } from '../xml/edit-devices';
import { editBoot, editCpu, editEvents, editGeneral, editMemory, editVcpus } from '../xml/edit-general';
import { defineDomain, domainStatus, etagOf, inactiveXml, liveXml } from './domain-config';
import type { DomainXmlHistory } from './domain-history';
import { hostDeviceSource } from './nodedevs';

export interface EditContext {
  host: HostConnection;
  history: DomainXmlHistory;
  uuid: string;
  etag: string;
  /** Also change the running VM where libvirt can. */
  live: boolean;
}

/** Applies one form's edit to the XML model (pure: no host involved). */
export function applyEditToModel(x: DomainXml, edit: HardwareEdit): void {
  switch (edit.kind) {
    case 'general':
      return editGeneral(x, edit);
    case 'vcpus':
      return editVcpus(x, edit);
    case 'cpu':
      return editCpu(x, edit);
    case 'memory':
      return editMemory(x, edit);
    case 'boot':
      return editBoot(x, edit);
    case 'events':
      return editEvents(x, edit);
    default:
      return editDevice(x, edit);
  }
}

/** Runs a live step; its failure is reported, the persistent change stands. */
async function tryLive(host: HostConnection, argv: string[]): Promise<string | undefined> {
  try {
    await host.virsh(argv, { timeoutMs: 60_000 });
    return undefined;
  } catch (e) {
    return AppError.from(e).message;
  }
}

export async function editHardware(c: EditContext, edit: HardwareEdit): Promise<EditResult> {
  const x = DomainXml.parse(await inactiveXml(c.host, c.uuid));
  const before = x.read();
  applyEditToModel(x, edit);
  const { etag, after } = await defineDomain(c.host, c.history, { uuid: c.uuid, xml: x.toXml(), cause: 'hardware', summary: summaryOf(edit), etag: c.etag });
  const status = await domainStatus(c.host, c.uuid);
  if (!status.running) return { etag, liveApplied: false, needsRestart: false };
  const now = DomainXml.parse(after).read();
  const changed = JSON.stringify(before) !== JSON.stringify(now);
  if (!c.live) return { etag, liveApplied: false, needsRestart: changed };
  let liveError: string | undefined;
  let rest = false; // something that only the next boot applies
  if (edit.kind === 'vcpus') {
    const live = DomainXml.parse(await liveXml(c.host, c.uuid)).read();
    if (live.vcpu.current !== now.vcpu.current) liveError = await tryLive(c.host, ['setvcpus', '--domain', c.uuid, '--count', String(now.vcpu.current), '--live']);
    rest = now.vcpu.max !== before.vcpu.max || now.vcpu.cpuset !== before.vcpu.cpuset || now.vcpu.placement !== before.vcpu.placement;
  } else if (edit.kind === 'memory') {
    const live = DomainXml.parse(await liveXml(c.host, c.uuid)).read();
    if (live.memory.currentKiB !== now.memory.currentKiB && now.memory.currentKiB <= live.memory.maxKiB)
      liveError = await tryLive(c.host, ['setmem', '--domain', c.uuid, '--size', `${now.memory.currentKiB}KiB`, '--live']);
    // Everything but the balloon size (maximum, limits, hugepages) waits for the next boot.
    rest = JSON.stringify({ ...before.memory, currentKiB: 0 }) !== JSON.stringify({ ...now.memory, currentKiB: 0 }) || now.memory.currentKiB > live.memory.maxKiB;
  } else if (edit.kind === 'general') {
    // Title and description change live too, so the running VM's metadata matches at once.
    if (edit.title !== undefined) liveError = await tryLive(c.host, ['desc', '--domain', c.uuid, '--live', '--title', '--new-desc', edit.title]);
    if (edit.description !== undefined) liveError ??= await tryLive(c.host, ['desc', '--domain', c.uuid, '--live', '--new-desc', edit.description]);
  } else rest = changed;
  return { etag, liveApplied: liveError === undefined && !rest, needsRestart: rest || liveError !== undefined, ...(liveError ? { liveError } : {}) };
}

function summaryOf(edit: HardwareEdit): string {
  return 'id' in edit ? `${edit.kind} ${edit.id}` : edit.kind;
}

/** Resolves what the host must say first: a new volume's path, a host device's ids. */
async function resolve(host: HostConnection, dev: NewDevice): Promise<ResolvedNewDevice> {
  if (dev.kind === 'hostdev') return { kind: 'hostdev', source: await hostDeviceSource(host, dev.nodedev) };
  if (dev.kind !== 'disk') return dev;
  const s = dev.source;
  if (s.type === 'path') return { ...dev, path: s.path };
  if (s.type === 'none') return { ...dev, path: null };
  // https://libvirt.org/manpages/virsh.html#vol-create-as — capacity in bytes avoids unit guesswork.
  const bytes = String(Math.round(s.sizeGiB * 1024 ** 3));
  await host.virsh(['vol-create-as', '--pool', s.pool, '--name', s.name, '--capacity', bytes, '--format', dev.format ?? 'qcow2'], { timeoutMs: 120_000 });
  const path = (await host.virsh(['vol-path', '--pool', s.pool, '--vol', s.name])).stdout.trim();
  return { ...dev, path, format: dev.format ?? 'qcow2' };
}

/** A device's XML for attach/detach on the running VM: without the config's address and alias. */
function liveFragment(x: DomainXml, id: string): string {
  const el = x.device(id).cloneNode(true) as ReturnType<DomainXml['device']>;
  removeChildren(el, 'address');
  removeChildren(el, 'alias');
  return serializeXml(el);
}

export async function addHardware(c: EditContext, dev: NewDevice): Promise<EditResult & { id: string }> {
  const x = DomainXml.parse(await inactiveXml(c.host, c.uuid));
  const { id } = addDevice(x, await resolve(c.host, dev));
  const { etag, after } = await defineDomain(c.host, c.history, { uuid: c.uuid, xml: x.toXml(), cause: 'hardware', summary: `add ${id}`, etag: c.etag });
  const status = await domainStatus(c.host, c.uuid);
  if (!status.running) return { id, etag, liveApplied: false, needsRestart: false };
  if (!c.live) return { id, etag, liveApplied: false, needsRestart: true };
  // The device as libvirt completed it in the config (e.g. a generated MAC), so both agree.
  const fragment = liveFragment(DomainXml.parse(after), id);
  try {
    await c.host.virshExec(['attach-device', '--domain', c.uuid, '--file', '/dev/stdin', '--live'], { stdin: fragment, timeoutMs: 60_000 });
    return { id, etag, liveApplied: true, needsRestart: false };
  } catch (e) {
    return { id, etag, liveApplied: false, needsRestart: true, liveError: AppError.from(e).message };
  }
}

/** The running VM's element for a config device: same disk target, same MAC, else same position. */
function matchLive(config: DomainXml, live: DomainXml, id: string): string | undefined {
  const dev = config.read().devices.find((d) => d.id === id);
  const liveDevs = live.read().devices;
  let match;
  if (dev?.kind === 'disk' && dev.target) match = liveDevs.find((d) => d.kind === 'disk' && d.target === dev.target);
  else if (dev?.kind === 'interface' && dev.mac) match = liveDevs.find((d) => d.kind === 'interface' && d.mac === dev.mac);
  else {
    const tag = id.replace(/\[\d+\]$/, '');
    const sameTag = (devs: { id: string }[]) => devs.filter((d) => d.id.startsWith(`${tag}[`)).length;
    if (sameTag(liveDevs) === sameTag(config.read().devices)) match = liveDevs.find((d) => d.id === id);
  }
  return match ? serializeXml(live.device(match.id)) : undefined;
}

export async function removeHardware(c: EditContext, id: string): Promise<EditResult> {
  const config = DomainXml.parse(await inactiveXml(c.host, c.uuid));
  const status = await domainStatus(c.host, c.uuid);
  const liveDevice = status.running && c.live ? matchLive(config, DomainXml.parse(await liveXml(c.host, c.uuid)), id) : undefined;
  removeDevice(config, id);
  const { etag } = await defineDomain(c.host, c.history, { uuid: c.uuid, xml: config.toXml(), cause: 'hardware', summary: `remove ${id}`, etag: c.etag });
  if (!status.running) return { etag, liveApplied: false, needsRestart: false };
  if (!c.live || liveDevice === undefined) return { etag, liveApplied: false, needsRestart: true };
  try {
    await c.host.virshExec(['detach-device', '--domain', c.uuid, '--file', '/dev/stdin', '--live'], { stdin: liveDevice, timeoutMs: 60_000 });
    return { etag, liveApplied: true, needsRestart: false };
  } catch (e) {
    return { etag, liveApplied: false, needsRestart: true, liveError: AppError.from(e).message };
  }
}

/**
 * Insert or eject a CD-ROM/floppy: `change-media` (https://libvirt.org/manpages/virsh.html#change-media)
 * on the running VM and in the persistent config alike, so the history keeps the replaced config.
 */
export async function changeMedia(c: Omit<EditContext, 'etag' | 'live'>, target: string, source: string | null): Promise<EditResult> {
  const before = await inactiveXml(c.host, c.uuid);
  const status = await domainStatus(c.host, c.uuid);
  const scope = status.running ? ['--live', '--config'] : ['--config'];
  const argv = source === null ? ['change-media', '--domain', c.uuid, '--path', target, '--eject', ...scope] : ['change-media', '--domain', c.uuid, '--path', target, '--source', source, '--update', ...scope];
  await c.host.virsh(argv, { timeoutMs: 60_000 });
  await c.history.record(c.host.id, c.uuid, { cause: 'media', summary: source === null ? `eject ${target}` : `insert ${source} in ${target}`, xml: before });
  return { etag: etagOf(await inactiveXml(c.host, c.uuid)), liveApplied: status.running, needsRestart: false };
}
