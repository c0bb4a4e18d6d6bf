/**
 * From the wizard's spec to what will run: every choice resolved against the host (OS defaults,
 * domain type, machine, firmware of that machine, media paths), every check done before
 * anything is created (name, pool space, network, firmware, XML validator), and the steps —
 * the same list `newvm.create` runs and `commands.preview` shows, each with its undo.
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/errors';
import type { NewVmSpec, OsDefaults, PlanProblem } from '../../../shared/model/newvm';
import type { HostConnection } from '../../hosts/host-connection';
import { hostInterfaces, listNetworks } from '../networks';
import type { Step } from '../plan';
import { listPools } from '../pools';
import { createVolumeSteps } from '../volumes';
import { validateDomainXml } from '../xml-validate';
import { buildDomainXml, hasInstallPhase, toFinal, type BuildInput } from './domain-build';
import { domCaps, hostCaps } from './host-facts';
import { backingProblem, resolveMedia, tryVirsh, volumeBackingProblem } from './media';
import { planCloudImage } from './cloud-image';
import type { SeedPreview } from '../../../shared/model/cloud-init';
import type { OsCatalogues } from './os-data';
import { planPxe, planTree } from './tree-plan';

/** A step with the step that reverses it (null: nothing to reverse, or covered by an earlier undo). */
export interface PlannedStep {
  step: Step;
  undo: Step | null;
  /** What the undo did, for the user ("deleted the volume x"). */
  undoText: string | null;
  /** The guest runs from here on (install phase tracking starts). */
  starts?: boolean;
  /** Bytes made when the step runs (the cloud-init seed), streamed to the step's /dev/stdin. */
  data?: () => Uint8Array;
  /** Runs instead of `step` when one shown line needs more (fetching an install tree: fetch-to-host.ts). */
  run?: (host: HostConnection) => Promise<void>;
}

export interface NewVmPlanInternal {
  uuid: string;
  build: BuildInput;
  xml: string;
  finalXml: string | null;
  steps: PlannedStep[];
  os: OsDefaults;
  osNote: string | null;
  osinfoId: string | null;
  problems: PlanProblem[];
  phase: 'customizing' | 'installing' | 'done';
  seed: SeedPreview | null;
  /** What the user should know about the source (tree found, fetched by whom, unverified kernel, PXE network without TFTP). */
  sourceNotes: string[];
}

const defineStep = (xml: string): Step => ({ argv: ['define', '--validate', '--file', '/dev/stdin'], stdin: xml });

export async function planNewVm(host: HostConnection, catalogues: OsCatalogues, spec: NewVmSpec, opts: { validateXml: boolean }): Promise<NewVmPlanInternal> {
  const problems: PlanProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ field, message });
  const uuid = (spec.uuid ?? randomUUID()).toLowerCase();
  const [resolved, caps, pools, networks, names] = await Promise.all([
    catalogues.resolve(host, spec.osId),
    hostCaps(host),
    listPools(host),
    listNetworks(host),
    host.run(['virsh', 'list', '--all', '--name']).then((r) => r.stdout),
  ]);
  const os = resolved.defaults;

  // Name and UUID: exact comparison against the list (a lookup by name would also match IDs and UUIDs).
  if (names.split('\n').some((n) => n === spec.name)) problem('name', `A VM named “${spec.name}” already exists on this host.`);
  if (spec.uuid) {
    const uuids = (await host.run(['virsh', 'list', '--all', '--uuid'])).stdout;
    if (uuids.split('\n').some((u) => u.trim().toLowerCase() === uuid)) problem('name', `A VM with the UUID ${uuid} already exists on this host.`);
  }

  // Domain type and machine: kvm when usable, q35 when the OS supports it and the host has it.
  let domainType = spec.domainType ?? (caps.domainTypes.includes('kvm') ? 'kvm' : 'qemu');
  if (!caps.domainTypes.includes(domainType)) {
    problem('domainType', `This host does not offer the domain type “${domainType}”.`);
    domainType = 'qemu';
  }
  const hasMachine = (m: string) => caps.machines.some((x) => x.name === m || x.canonical === m);
  const machine = spec.machine ?? (os.q35 && hasMachine('q35') ? 'q35' : (caps.defaultMachine ?? 'pc'));
  if (!hasMachine(machine)) problem('machine', `This host has no machine type “${machine}”.`);
  const canonical = caps.machines.find((x) => x.name === machine)?.canonical ?? machine;
  const q35 = /q35/.test(canonical);
  const dc = await domCaps(host, domainType, caps.arch, machine).catch((e: unknown) => {
    problem('machine', AppError.from(e).message);
    return null;
  });
  if (spec.firmware === 'efi' && dc) {
    if (!dc.firmware.includes('efi')) problem('firmware', `The host has no UEFI firmware for the machine type ${machine} (install ovmf).`);
    else if (spec.secureBoot && !dc.secureBootOn) problem('firmware', `The host has no Secure Boot firmware for ${machine}${q35 ? '' : ' (Secure Boot needs q35)'}.`);
    else if (!spec.secureBoot && !dc.secureBootOff) problem('firmware', `The host has only Secure Boot firmware for ${machine}.`);
  }

  // Media.
  const media = async (field: string, ref: Parameters<typeof resolveMedia>[2]) =>
    resolveMedia(host, pools, ref).catch((e: unknown) => {
      problem(field, AppError.from(e).message);
      return null;
    });
  const src = spec.source;
  const cdrom = src.kind === 'iso' ? await media('source', src.iso) : null;
  let kernel: BuildInput['kernel'] = null;
  if (src.kind === 'kernel') {
    const [k, i, d] = await Promise.all([media('source', src.kernel), src.initrd ? media('source', src.initrd) : null, src.dtb ? media('source', src.dtb) : null]);
    if (k) kernel = { kernel: k.path, cmdline: src.cmdline, ...(i ? { initrd: i.path } : {}), ...(d ? { dtb: d.path } : {}) };
  }

  // Storage: the imported image is the disk; else a new volume, an existing one, or none.
  const steps: PlannedStep[] = [];
  const createdVolumes: BuildInput['createdVolumes'] = [];
  const sourceNotes: string[] = [];
  if (src.kind === 'tree') {
    // First: a tree with a wrong checksum is refused before anything else is created.
    const t = await planTree(host, pools, spec, src, uuid, caps.arch, problem);
    kernel = t.kernel;
    steps.push(...t.steps);
    createdVolumes.push(...t.volumes);
    sourceNotes.push(...t.notes);
  }
  if (src.kind === 'pxe') sourceNotes.push(...(await planPxe(host, spec, problem)));
  let disk: BuildInput['disk'] = null;
  let cloud: Awaited<ReturnType<typeof planCloudImage>> | null = null;
  if (src.kind === 'cloud') {
    cloud = await planCloudImage(host, pools, spec, src, uuid, problem);
    steps.push(...cloud.steps);
    createdVolumes.push(...cloud.createdVolumes);
    disk = cloud.disk;
  }
  if (src.kind === 'import') {
    const m = await media('source', src.disk);
    if (m) {
      const d = src.disk;
      const bad = d.type === 'volume' ? await volumeBackingProblem(host, pools, d.poolUuid, d.name, src.format) : await backingProblem(host, pools, m.path, src.format);
      if (bad) problem('source', bad);
      disk = { source: m.source, format: src.format };
    }
  } else if (spec.storage.kind === 'existing') {
    const m = await media('storage', spec.storage.volume);
    if (m) {
      const v = spec.storage.volume;
      const bad = v.type === 'volume' ? await volumeBackingProblem(host, pools, v.poolUuid, v.name, spec.storage.format) : await backingProblem(host, pools, m.path, spec.storage.format);
      if (bad) problem('storage', bad);
      disk = { source: m.source, format: spec.storage.format };
    }
  } else if (spec.storage.kind === 'new') {
    const s = spec.storage;
    const cloudDisk = src.kind === 'cloud';
    const pool = pools.find((p) => p.uuid === s.poolUuid);
    const volName = s.name ?? `${spec.name}.${s.format === 'qcow2' ? 'qcow2' : 'img'}`;
    if (!pool) problem('storage', `There is no pool ${s.poolUuid} on this host.`);
    else if (pool.state !== 'running') problem('storage', `The pool “${pool.name}” is not running.`);
    else {
      if (pool.available !== null && BigInt(s.sizeBytes) > BigInt(pool.available))
        problem('storage', `The pool “${pool.name}” has ${fmt(pool.available)} free; the disk needs ${fmt(String(s.sizeBytes))}.`);
      const exists = await tryVirsh(host, ['vol-path', '--pool', s.poolUuid, '--vol', volName]);
      if (exists.ok) problem('storage', `The pool “${pool.name}” already has a volume “${volName}”.`);
      if (volName.includes('/')) problem('storage', 'A volume name cannot contain “/”.');
      // A cloud image's disk is made from the image (cloud-image.ts); the checks above hold for it too.
      if (!cloudDisk) {
        createdVolumes.push({ poolUuid: s.poolUuid, name: volName });
        disk = { source: { pool: pool.name, volume: volName }, format: s.format };
        for (const step of createVolumeSteps(s.poolUuid, { name: volName, format: s.format, capacity: s.sizeBytes, preallocation: s.preallocation }))
          steps.push({ step, undo: { argv: ['vol-delete', '--pool', s.poolUuid, '--vol', volName] }, undoText: `deleted the new volume “${volName}” in “${pool.name}”` });
      }
    }
  }
  if (spec.storage.kind === 'new' && src.kind === 'import') problem('storage', 'An imported image is the VM’s disk: choose no new storage.');

  // Network.
  const n = spec.network;
  if (n.kind === 'network') {
    const net = networks.find((x) => x.name === n.network);
    if (!net) problem('network', `There is no virtual network “${n.network}” on this host.`);
    else if (!net.active) problem('network', `The virtual network “${n.network}” is not active; start it first.`);
  }
  if (n.kind === 'bridge' || n.kind === 'direct') {
    const dev = n.kind === 'bridge' ? n.bridge : n.dev;
    const ifaces = (await hostInterfaces(host).catch(() => null))?.interfaces;
    const found = ifaces?.find((i) => i.name === dev);
    if (ifaces && !found) problem('network', `The host has no interface “${dev}”.`);
    else if (found && n.kind === 'bridge' && found.type !== null && found.type !== 'bridge') problem('network', `“${dev}” is not a bridge on this host (it is ${found.type}).`);
  }
  if (spec.cpuset) {
    const hostCpus = Number(/^CPU\(s\):\s+(\d+)/m.exec((await host.run(['virsh', 'nodeinfo'])).stdout)?.[1] ?? 0);
    const highest = Math.max(...spec.cpuset.split(/[,-]/).map(Number));
    if (hostCpus > 0 && highest >= hostCpus) problem('cpuset', `The host has CPUs 0–${hostCpus - 1}; the CPU set names ${highest}.`);
  }

  const build: BuildInput = {
    name: spec.name, uuid, domainType, arch: caps.arch, machine, q35, firmware: spec.firmware, secureBoot: spec.firmware === 'efi' && spec.secureBoot,
    memoryMiB: spec.memoryMiB, vcpus: spec.vcpus, cpuset: spec.cpuset,
    cpuMode: domainType === 'kvm' && dc?.cpuModes.includes('host-passthrough') ? 'host-passthrough' : null,
    os, disk, cdrom: cdrom ? { source: cdrom.source } : (cloud?.cdrom ?? null), kernel, pxe: src.kind === 'pxe', network: spec.network,
    tpm: spec.firmware === 'efi' && (dc?.tpm ?? false),
    phase: 'done', createdVolumes,
  };
  const install = hasInstallPhase(build);
  const phase = spec.customize ? 'customizing' : install ? 'installing' : 'done';
  build.phase = phase;
  const xml = buildDomainXml(build, 'install');
  const finalXml = install ? toFinal(xml) : null;

  if (opts.validateXml) {
    for (const [label, x] of [['install', xml], ['final', finalXml]] as const) {
      if (x === null) continue;
      const v = await validateDomainXml(host, x, uuid, spec.name);
      for (const p of v.problems) problem('xml', `${label} configuration${p.line ? ` line ${p.line}` : ''}: ${p.message}`);
    }
  }

  steps.push({ step: defineStep(xml), undo: { argv: ['undefine', '--domain', uuid, '--nvram', '--managed-save', '--snapshots-metadata'] }, undoText: `removed the VM “${spec.name}”` });
  if (!spec.customize) {
    steps.push({ step: { argv: ['start', '--domain', uuid] }, undo: { argv: ['destroy', '--domain', uuid] }, undoText: 'stopped it', starts: true });
    if (finalXml !== null) steps.push({ step: defineStep(finalXml), undo: null, undoText: null });
  }
  if (spec.autostart) steps.push({ step: { argv: ['autostart', '--domain', uuid] }, undo: null, undoText: null });
  return { uuid, build, xml, finalXml, steps, os, osNote: resolved.note, osinfoId: resolved.osinfoId, problems, phase, seed: cloud?.seed ?? null, sourceNotes };
}

function fmt(bytes: string): string {
  const n = Number(bytes);
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}
