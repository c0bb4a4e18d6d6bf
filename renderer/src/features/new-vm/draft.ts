/**
 * What the wizard's form holds (strings as typed, so nothing the user typed is lost to parsing),
 * and the one function that turns it into the backend's NewVmSpec. Pure: no React, no API.
 */
import type { DiskFormat, Firmware, MediaRef, NewVmSpecInput, NetworkChoice } from '../../../../shared/model/newvm';
import type { Preallocation } from '../../../../shared/model/storage';
import { ObjectName } from '../../../../shared/model/storage';
import { cloudSourcePart, emptyCloudDraft, type CloudDraft } from './cloud-draft';

export type StepId = 'source' | 'os' | 'resources' | 'storage' | 'network' | 'finish';
export const STEPS: readonly StepId[] = ['source', 'os', 'resources', 'storage', 'network', 'finish'];

/** 'upload' is an ISO of this computer: once uploaded it is an ISO volume like any other. */
export type SourceKind = 'iso' | 'upload' | 'import' | 'kernel' | 'tree' | 'pxe' | 'cloud' | 'manual';

/** A file on the host as the picker holds it: a pool volume or a typed path. */
export interface MediaDraft {
  mode: 'volume' | 'path';
  poolUuid: string;
  volume: string;
  path: string;
}
export const emptyMedia: MediaDraft = { mode: 'volume', poolUuid: '', volume: '', path: '' };

export type ConsoleChoice = 'none' | 'vnc' | 'serial';

export interface Draft {
  hostId: string;
  /** Fixed once, so plan, the command preview and create all name the same VM. */
  uuid: string;
  step: StepId;

  sourceKind: SourceKind;
  iso: MediaDraft;
  importDisk: MediaDraft;
  /** The user's choice ('' until made): qemu-img's guess is shown, never taken. */
  importFormat: DiskFormat | '';
  kernel: MediaDraft;
  initrd: MediaDraft;
  dtb: MediaDraft;
  cmdline: string;
  /** The upload in progress or done (an ISO of this computer), by transfer id. */
  uploadTransferId: string | null;
  /** Source "cloud image": the image and the cloud-init fields (cloud-draft.ts). */
  cloud: CloudDraft;
  /** Network install: the tree URL, the pool its kernel/initrd are fetched into, and who fetches. */
  treeUrl: string;
  treePoolUuid: string;
  treeFetchBy: 'auto' | 'host' | 'virtdeck';

  /** null: generic. `osChosen`: picked by the user (detection no longer overrides it). */
  osId: string | null;
  osChosen: boolean;

  memoryMiB: string;
  vcpus: string;
  cpuset: string;
  /** Fields the user edited: OS defaults no longer overwrite them. */
  touched: Partial<Record<'memory' | 'vcpus' | 'size', true>>;

  storageKind: 'new' | 'existing' | 'none';
  poolUuid: string;
  sizeGiB: string;
  volumeName: string;
  diskFormat: DiskFormat;
  preallocation: Preallocation;
  existing: MediaDraft;
  existingFormat: DiskFormat | '';

  netKind: NetworkChoice['kind'];
  network: string;
  bridge: string;
  directDev: string;
  directMode: 'bridge' | 'vepa' | 'private' | 'passthrough';
  macMode: 'generated' | 'typed';
  /** Generated here (not by the backend) so the preview shows the MAC that will be used. */
  generatedMac: string;
  typedMac: string;

  name: string;
  /** '' = the backend's choice (q35 when the OS supports it). */
  machine: string;
  domainType: '' | 'kvm' | 'qemu';
  firmware: Firmware;
  secureBoot: boolean;
  autostart: boolean;
  openConsole: ConsoleChoice;
  customize: boolean;
}

export function randomMac(bytes: Uint8Array = crypto.getRandomValues(new Uint8Array(3))): string {
  // 52:54:00 is QEMU's prefix, as virt-install and libvirt generate.
  return ['52', '54', '00', ...[...bytes].map((b) => b.toString(16).padStart(2, '0'))].join(':');
}

export function initialDraft(hostId: string, uuid: string, mac: string): Draft {
  return {
    hostId,
    uuid,
    step: 'source',
    sourceKind: 'iso',
    iso: emptyMedia,
    importDisk: emptyMedia,
    importFormat: '',
    kernel: emptyMedia,
    initrd: emptyMedia,
    dtb: emptyMedia,
    cmdline: '',
    uploadTransferId: null,
    cloud: emptyCloudDraft,
    treeUrl: '',
    treePoolUuid: '',
    treeFetchBy: 'auto',
    osId: null,
    osChosen: false,
    memoryMiB: '2048',
    vcpus: '2',
    cpuset: '',
    touched: {},
    storageKind: 'new',
    poolUuid: '',
    sizeGiB: '20',
    volumeName: '',
    diskFormat: 'qcow2',
    preallocation: 'none',
    existing: emptyMedia,
    existingFormat: '',
    netKind: 'network',
    network: '',
    bridge: '',
    directDev: '',
    directMode: 'bridge',
    macMode: 'generated',
    generatedMac: mac,
    typedMac: '',
    name: '',
    machine: '',
    domainType: '',
    firmware: 'bios',
    secureBoot: false,
    autostart: false,
    openConsole: 'vnc',
    customize: false,
  };
}

/** Why a step cannot build its part yet: message keys of new-vm/i18n, shown under the step. */
export type Missing =
  | 'newvm.missing.iso'
  | 'newvm.missing.upload'
  | 'newvm.missing.disk'
  | 'newvm.missing.format'
  | 'newvm.missing.kernel'
  | 'newvm.missing.treeUrl'
  | 'newvm.missing.treePool'
  | 'newvm.missing.memory'
  | 'newvm.missing.vcpus'
  | 'newvm.missing.cpuset'
  | 'newvm.missing.pool'
  | 'newvm.missing.size'
  | 'newvm.missing.volumeName'
  | 'newvm.missing.existing'
  | 'newvm.missing.network'
  | 'newvm.missing.bridge'
  | 'newvm.missing.dev'
  | 'newvm.missing.mac'
  | 'newvm.missing.name'
  | 'newvm.missing.cloudImage'
  | 'newvm.missing.cloudInit';

const ABS = /^\/[^\0]*$/;
/** As shared TreeUrl checks it (http, https or ftp, no credentials). */
const TREE_URL = /^(https?|ftp):\/\/[^\s@/]+(\/\S*)?$/i;

/** A MediaRef from the picker, or null while incomplete. */
export function mediaRef(m: MediaDraft): MediaRef | null {
  if (m.mode === 'path') return ABS.test(m.path.trim()) ? { type: 'path', path: m.path.trim() } : null;
  return m.poolUuid && m.volume ? { type: 'volume', poolUuid: m.poolUuid, name: m.volume } : null;
}

const isBlank = (m: MediaDraft) => (m.mode === 'path' ? m.path.trim() === '' : m.volume === '');

type Part<T> = { value: T; missing: [] } | { value: null; missing: Missing[] };
const ok = <T>(value: T): Part<T> => ({ value, missing: [] });
const no = <T>(...missing: Missing[]): Part<T> => ({ value: null, missing });

export function sourcePart(d: Draft): Part<NewVmSpecInput['source']> {
  switch (d.sourceKind) {
    case 'iso':
    case 'upload': {
      const iso = mediaRef(d.iso);
      return iso ? ok({ kind: 'iso', iso }) : no(d.sourceKind === 'upload' ? 'newvm.missing.upload' : 'newvm.missing.iso');
    }
    case 'import': {
      const disk = mediaRef(d.importDisk);
      if (!disk) return no('newvm.missing.disk');
      return d.importFormat ? ok({ kind: 'import', disk, format: d.importFormat }) : no('newvm.missing.format');
    }
    case 'kernel': {
      const kernel = mediaRef(d.kernel);
      if (!kernel) return no('newvm.missing.kernel');
      const initrd = isBlank(d.initrd) ? undefined : mediaRef(d.initrd);
      const dtb = isBlank(d.dtb) ? undefined : mediaRef(d.dtb);
      if (initrd === null || dtb === null) return no('newvm.missing.kernel');
      return ok({ kind: 'kernel', kernel, cmdline: d.cmdline, ...(initrd ? { initrd } : {}), ...(dtb ? { dtb } : {}) });
    }
    case 'tree': {
      const url = d.treeUrl.trim();
      if (!TREE_URL.test(url)) return no('newvm.missing.treeUrl');
      if (!d.treePoolUuid) return no('newvm.missing.treePool');
      return ok({ kind: 'tree', url, poolUuid: d.treePoolUuid, cmdline: d.cmdline, fetchBy: d.treeFetchBy });
    }
    case 'pxe':
      return ok({ kind: 'pxe' });
    case 'manual':
      return ok({ kind: 'manual' });
    case 'cloud': {
      const r = cloudSourcePart(d.cloud);
      return 'missing' in r ? no(r.missing) : ok(r.value);
    }
  }
}

const posInt = (s: string) => (/^\d+$/.test(s.trim()) && Number(s) > 0 ? Number(s) : null);

export function resourcesPart(d: Draft): Part<Pick<NewVmSpecInput, 'memoryMiB' | 'vcpus' | 'cpuset'>> {
  const memoryMiB = posInt(d.memoryMiB);
  const vcpus = posInt(d.vcpus);
  const cpuset = d.cpuset.replace(/\s+/g, '');
  const missing: Missing[] = [];
  if (memoryMiB === null || memoryMiB < 16) missing.push('newvm.missing.memory');
  if (vcpus === null || vcpus > 4096) missing.push('newvm.missing.vcpus');
  if (cpuset && !/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(cpuset)) missing.push('newvm.missing.cpuset');
  if (missing.length) return no(...missing);
  return ok({ memoryMiB: memoryMiB!, vcpus: vcpus!, ...(cpuset ? { cpuset } : {}) });
}

const GiB = 1024 ** 3;

export function storagePart(d: Draft): Part<NewVmSpecInput['storage']> {
  if (d.storageKind === 'none') return ok({ kind: 'none' });
  if (d.storageKind === 'existing') {
    const volume = mediaRef(d.existing);
    if (!volume) return no('newvm.missing.existing');
    return d.existingFormat ? ok({ kind: 'existing', volume, format: d.existingFormat }) : no('newvm.missing.format');
  }
  const missing: Missing[] = [];
  const size = Number(d.sizeGiB.trim().replace(',', '.'));
  const sizeBytes = Math.floor(size * GiB);
  if (!d.poolUuid) missing.push('newvm.missing.pool');
  if (!(size > 0) || sizeBytes < 1024 * 1024 || !Number.isSafeInteger(sizeBytes)) missing.push('newvm.missing.size');
  const name = d.volumeName.trim();
  if (name && !ObjectName.safeParse(name).success) missing.push('newvm.missing.volumeName');
  if (missing.length) return no(...missing);
  return ok({ kind: 'new', poolUuid: d.poolUuid, sizeBytes, format: d.diskFormat, preallocation: d.preallocation, ...(name ? { name } : {}) });
}

const MAC = /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/;
const DEV = /^[A-Za-z0-9_.-]{1,15}$/;

export function networkPart(d: Draft): Part<NewVmSpecInput['network']> {
  if (d.netKind === 'none') return ok({ kind: 'none' });
  const mac = d.macMode === 'typed' ? d.typedMac.trim() : d.generatedMac;
  if (!MAC.test(mac)) return no('newvm.missing.mac');
  switch (d.netKind) {
    case 'network':
      return d.network ? ok({ kind: 'network', network: d.network, mac }) : no('newvm.missing.network');
    case 'bridge':
      return DEV.test(d.bridge.trim()) ? ok({ kind: 'bridge', bridge: d.bridge.trim(), mac }) : no('newvm.missing.bridge');
    case 'direct':
      return DEV.test(d.directDev.trim()) ? ok({ kind: 'direct', dev: d.directDev.trim(), mode: d.directMode, mac }) : no('newvm.missing.dev');
    case 'user':
      return ok({ kind: 'user', mac });
  }
}

export function namePart(d: Draft): Part<string> {
  return ObjectName.safeParse(d.name).success ? ok(d.name) : no('newvm.missing.name');
}

/** What each step still lacks (empty: the step is complete). */
export function missingByStep(d: Draft): Record<StepId, Missing[]> {
  return {
    source: sourcePart(d).missing,
    os: [],
    resources: resourcesPart(d).missing,
    storage: storagePart(d).missing,
    network: networkPart(d).missing,
    finish: namePart(d).missing,
  };
}

/** The spec create and plan take, or null while any step is incomplete. */
export function toSpec(d: Draft): NewVmSpecInput | null {
  const source = sourcePart(d);
  const res = resourcesPart(d);
  const storage = storagePart(d);
  const network = networkPart(d);
  const name = namePart(d);
  if (source.value === null || res.value === null || storage.value === null || network.value === null || name.value === null) return null;
  return {
    name: name.value,
    uuid: d.uuid,
    source: source.value,
    osId: d.osId,
    ...res.value,
    storage: storage.value,
    network: network.value,
    ...(d.machine ? { machine: d.machine } : {}),
    ...(d.domainType ? { domainType: d.domainType } : {}),
    firmware: d.firmware,
    secureBoot: d.firmware === 'efi' && d.secureBoot,
    autostart: d.autostart,
    customize: d.customize,
  };
}
