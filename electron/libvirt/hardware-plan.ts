/**
 * The hardware forms' changes as plans: the new persistent definition (`define --validate`,
 * XML on stdin), what must exist first (a new volume), and what changes the running VM too —
 * vCPU count (setvcpus), balloon size (setmem), title/description (desc), a NIC's link
 * (domif-setlink), a VNC/SPICE password (update-device), hot-plug and unplug (attach/detach-device --live). Whatever libvirt cannot
 * change live is reported as waiting for the next boot. hardware.ts runs exactly these steps, and
 * `commands.preview` shows them, so what the user is shown and what runs cannot drift apart.
 * https://libvirt.org/manpages/virsh.html#setvcpus, #setmem, #attach-device, #domif-setlink
 */
import { randomBytes } from 'node:crypto';
import { AppError } from '../../shared/errors';
import type { DomainConfig, HardwareEdit, NewDevice } from '../../shared/model/details';
import type { HostConnection } from '../hosts/host-connection';
import { parsePoolXml } from '../virsh/parse/storage';
import { addDevice, removeDevice, type ResolvedNewDevice } from '../xml/add-remove';
import { child, h, insertChild, removeChildren, serializeXml, setAttr } from '../xml/dom';
import { DomainXml } from '../xml/domain-xml';
import { editDevice } from '../xml/edit-devices';
import { editBoot, editCpu, editEvents, editGeneral, editMemory, editVcpus } from '../xml/edit-general';
import { defineStep, domainStatus, inactiveXml, liveXml } from './domain-config';
import { hostDeviceSource } from './nodedevs';
import type { Step } from './plan';

export interface PlanContext {
  host: HostConnection;
  uuid: string;
  /** Also change the running VM where libvirt can. */
  live: boolean;
}

export interface HardwarePlan {
  /** Runs before the define (creating a new disk's volume); a failure stops everything. */
  setup: Step[];
  /** The new persistent definition; null when the live step writes the config itself (change-media). */
  define: { xml: string; summary: string } | null;
  /** Changes of the running VM after the define; a failure is reported, the define stands. */
  live: Step[];
  running: boolean;
  /** The VM runs and (part of) the change waits for its next boot. */
  rest: boolean;
  /** An added device's id. */
  id?: string;
}

export const planSteps = (p: HardwarePlan): Step[] => [...p.setup, ...(p.define ? [defineStep(p.define.xml)] : []), ...p.live];

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

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** What one edit changes on the running VM (steps) and whether anything else waits for the boot. */
function liveStepsOf(uuid: string, edit: HardwareEdit, before: DomainConfig, now: DomainConfig, liveXml: DomainXml): { steps: Step[]; rest: boolean } {
  const live = liveXml.read();
  const steps: Step[] = [];
  switch (edit.kind) {
    case 'vcpus':
      if (live.vcpu.current !== now.vcpu.current) steps.push({ argv: ['setvcpus', '--domain', uuid, '--count', String(now.vcpu.current), '--live'] });
      return { steps, rest: now.vcpu.max !== before.vcpu.max || now.vcpu.cpuset !== before.vcpu.cpuset || now.vcpu.placement !== before.vcpu.placement };
    case 'memory': {
      const fits = now.memory.currentKiB <= live.memory.maxKiB;
      if (live.memory.currentKiB !== now.memory.currentKiB && fits) steps.push({ argv: ['setmem', '--domain', uuid, '--size', `${now.memory.currentKiB}KiB`, '--live'] });
      // Everything but the balloon size (maximum, limits, hugepages) waits for the next boot.
      return { steps, rest: !same({ ...before.memory, currentKiB: 0 }, { ...now.memory, currentKiB: 0 }) || !fits };
    }
    case 'general':
      // Title and description change live too, so the running VM's metadata matches at once.
      if (edit.title !== undefined) steps.push({ argv: ['desc', '--domain', uuid, '--live', '--title', '--new-desc', edit.title] });
      if (edit.description !== undefined) steps.push({ argv: ['desc', '--domain', uuid, '--live', '--new-desc', edit.description] });
      return { steps, rest: false };
    case 'interface': {
      const b = before.devices.find((d) => d.id === edit.id);
      const n = now.devices.find((d) => d.id === edit.id);
      if (b?.kind !== 'interface' || n?.kind !== 'interface') return { steps, rest: !same(before, now) };
      // The link goes up or down on the running VM; any other NIC setting needs the next boot.
      const onLive = live.devices.find((d) => d.kind === 'interface' && d.mac === n.mac);
      if ((b.linkState ?? 'up') !== (n.linkState ?? 'up') && onLive && n.mac) steps.push({ argv: ['domif-setlink', '--domain', uuid, '--interface', n.mac, '--state', n.linkState ?? 'up'] });
      // (Without linkState, not with it set to a constant: an absent key would change the key order.)
      const { linkState: _b, ...restB } = b;
      const { linkState: _n, ...restN } = n;
      return { steps, rest: !same(restB, restN) };
    }
    case 'graphics': {
      // A new password reaches the running VM's VNC/SPICE server through update-device (the
      // running element with only passwd changed); every other graphics setting needs a boot.
      // QEMU changes it only on a server started with a password ('Could not set password' otherwise).
      const onlyPassword = !!edit.password && edit.type === undefined && edit.listen === undefined && edit.port === undefined;
      const b = before.devices.find((d) => d.id === edit.id);
      const el = live.devices.some((d) => d.id === edit.id && d.kind === 'graphics' && d.hasPassword && b?.kind === 'graphics' && d.type === b.type) ? (liveXml.device(edit.id).cloneNode(true) as ReturnType<DomainXml['device']>) : undefined;
      if (!onlyPassword || !el) return { steps, rest: !same(before, now) };
      setAttr(el, 'passwd', edit.password);
      steps.push({ argv: ['update-device', '--domain', uuid, '--file', '/dev/stdin', '--live'], stdin: serializeXml(el) });
      return { steps, rest: false };
    }
    default:
      return { steps, rest: !same(before, now) };
  }
}

/** A form's edits (applied in order to one definition), and what the running VM gets of them. */
export async function planEdit(c: PlanContext, edits: readonly HardwareEdit[]): Promise<HardwarePlan> {
  const x = DomainXml.parse(await inactiveXml(c.host, c.uuid));
  const status = await domainStatus(c.host, c.uuid);
  const live = status.running && c.live ? DomainXml.parse(await liveXml(c.host, c.uuid)) : undefined;
  const steps: Step[] = [];
  let rest = false;
  for (const edit of edits) {
    const before = x.read();
    applyEditToModel(x, edit);
    const now = x.read();
    if (!status.running) continue;
    if (!live) rest ||= !same(before, now);
    else {
      const r = liveStepsOf(c.uuid, edit, before, now, live);
      steps.push(...r.steps);
      rest ||= r.rest;
    }
  }
  const summary = edits.map((e) => ('id' in e ? `${e.kind} ${e.id}` : e.kind)).join(', ');
  return { setup: [], define: { xml: x.toXml(), summary }, live: steps, running: status.running, rest };
}

/** Resolves what the host must say first: a new volume's path (and its creation), a host device's ids. */
async function resolve(host: HostConnection, dev: NewDevice): Promise<{ device: ResolvedNewDevice; setup: Step[] }> {
  if (dev.kind === 'hostdev') return { device: { kind: 'hostdev', source: await hostDeviceSource(host, dev.nodedev) }, setup: [] };
  if (dev.kind !== 'disk') return { device: dev, setup: [] };
  const s = dev.source;
  if (s.type === 'path') return { device: { ...dev, path: s.path }, setup: [] };
  if (s.type === 'none') return { device: { ...dev, path: null }, setup: [] };
  // The volume's path before it exists: file-backed pools put it at <target><path>/NAME.
  const pool = parsePoolXml((await host.run(['virsh', 'pool-dumpxml', '--pool', s.pool])).stdout);
  if (!pool.targetPath || !['dir', 'fs', 'netfs', 'logical'].includes(pool.type))
    throw new AppError('unsupported', `new disks are created in directory, filesystem or LVM pools; ${s.pool} is a ${pool.type} pool`);
  const format = dev.format ?? 'qcow2';
  // https://libvirt.org/manpages/virsh.html#vol-create-as — capacity in bytes avoids unit guesswork.
  const bytes = String(Math.round(s.sizeGiB * 1024 ** 3));
  const create: Step = { argv: ['vol-create-as', '--pool', s.pool, '--name', s.name, '--capacity', bytes, ...(pool.type === 'logical' ? [] : ['--format', format])], long: true };
  return { device: { ...dev, path: `${pool.targetPath.replace(/\/$/, '')}/${s.name}`, format: pool.type === 'logical' ? 'raw' : format }, setup: [create] };
}

/** A device's XML for attach/detach on the running VM: without the config's address and alias. */
function liveFragment(x: DomainXml, id: string): string {
  const el = x.device(id).cloneNode(true) as ReturnType<DomainXml['device']>;
  removeChildren(el, 'address');
  removeChildren(el, 'alias');
  return serializeXml(el);
}

/** A locally administered QEMU MAC (52:54:00:…), so the config and the hot-plugged NIC agree. */
const newMac = () => `52:54:00:${[...randomBytes(3)].map((b) => b.toString(16).padStart(2, '0')).join(':')}`;

export async function planAdd(c: PlanContext, dev: NewDevice): Promise<HardwarePlan & { id: string }> {
  const x = DomainXml.parse(await inactiveXml(c.host, c.uuid));
  const status = await domainStatus(c.host, c.uuid);
  const { device, setup } = await resolve(c.host, dev);
  const { id } = addDevice(x, device);
  const el = x.device(id);
  if (el.tagName === 'interface' && !child(el, 'mac')) insertChild(el, h(x.doc, 'mac', { address: newMac() }), ['mac']);
  const live: Step[] = status.running && c.live ? [{ argv: ['attach-device', '--domain', c.uuid, '--file', '/dev/stdin', '--live'], stdin: liveFragment(x, id) }] : [];
  return { id, setup, define: { xml: x.toXml(), summary: `add ${id}` }, live, running: status.running, rest: status.running && !c.live };
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

export async function planRemove(c: PlanContext, id: string): Promise<HardwarePlan> {
  const config = DomainXml.parse(await inactiveXml(c.host, c.uuid));
  const status = await domainStatus(c.host, c.uuid);
  const liveDevice = status.running && c.live ? matchLive(config, DomainXml.parse(await liveXml(c.host, c.uuid)), id) : undefined;
  removeDevice(config, id);
  const live: Step[] = liveDevice === undefined ? [] : [{ argv: ['detach-device', '--domain', c.uuid, '--file', '/dev/stdin', '--live'], stdin: liveDevice }];
  return { setup: [], define: { xml: config.toXml(), summary: `remove ${id}` }, live, running: status.running, rest: status.running && liveDevice === undefined };
}

/**
 * Insert or eject a CD-ROM/floppy: `change-media` (https://libvirt.org/manpages/virsh.html#change-media)
 * on the running VM and in the persistent config alike.
 */
export async function planChangeMedia(c: Omit<PlanContext, 'live'>, target: string, source: string | null): Promise<HardwarePlan> {
  const status = await domainStatus(c.host, c.uuid);
  const scope = status.running ? ['--live', '--config'] : ['--config'];
  const argv = source === null ? ['change-media', '--domain', c.uuid, '--path', target, '--eject', ...scope] : ['change-media', '--domain', c.uuid, '--path', target, '--source', source, '--update', ...scope];
  return { setup: [], define: null, live: [{ argv }], running: status.running, rest: false };
}
