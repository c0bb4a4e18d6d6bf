/**
 * The new VM's domain XML, built through the DOM layer (electron/xml) like every other edit, in
 * two configurations: the install one (CD-ROM or kernel boot, on_reboot=destroy) and the final
 * one (boots its disk). Devices follow virt-install's defaults for the OS, with one deliberate
 * difference: a CD-ROM on q35 sits on virtio-scsi for Linux guests instead of SATA, because
 * kernels without AHCI (minimal installers, our test kernel) cannot see a SATA CD-ROM; Windows
 * installers have no virtio-scsi driver, so they keep SATA.
 * Elements: https://libvirt.org/formatdomain.html
 */
import type { DiskFormat, DomainType, Firmware, NetworkChoice, OsDefaults } from '../../../shared/model/newvm';
import { DomainXml, DOMAIN_ORDER, OS_ORDER } from '../../xml/domain-xml';
import { child, elementChildren, h, insertChild, prettify, removeElement, setText, text, type Element } from '../../xml/dom';

export const METADATA_NS = 'https://virtdeck.dev/xmlns/new-vm/1';

export interface BuildInput {
  name: string;
  uuid: string;
  domainType: DomainType;
  arch: string;
  machine: string;
  q35: boolean;
  firmware: Firmware;
  secureBoot: boolean;
  memoryMiB: number;
  vcpus: number;
  cpuset?: string | undefined;
  /** 'host-passthrough' on kvm; nothing (QEMU's default model) on TCG, which cannot pass the host CPU through. */
  cpuMode: string | null;
  os: OsDefaults;
  disk: { source: DiskSource; format: DiskFormat } | null;
  /** `seed`: a cloud-init seed, for the first boot only (marked by SEED_ALIAS; the final configuration drops the drive). */
  cdrom: { source: DiskSource; seed?: boolean } | null;
  kernel: { kernel: string; initrd?: string; dtb?: string; cmdline: string } | null;
  /** Install phase boots from the network (PXE); the final configuration from the disk. */
  pxe?: boolean;
  network: NetworkChoice;
  tpm: boolean;
  /** Recorded in <metadata>: the phase and the volumes the wizard created (removed on cancel). */
  phase: 'customizing' | 'installing' | 'done';
  createdVolumes: { poolUuid: string; name: string; installOnly?: boolean }[];
}

/**
 * The seed drive's user alias: kept in the persistent definition (libvirt keeps "ua-" aliases,
 * https://libvirt.org/formatdomain.html#devices), so toFinal finds the drive to drop even in a
 * definition the user customized.
 */
export const SEED_ALIAS = 'ua-virtdeck-cidata';

export type Phase = 'install' | 'final';

/** A pool volume by pool NAME (what <source pool=…> takes), or a host file. */
export type DiskSource = { file: string } | { pool: string; volume: string };

const sourceEl = (doc: DomainXml['doc'], s: DiskSource) => ('file' in s ? h(doc, 'source', { file: s.file }) : h(doc, 'source', { pool: s.pool, volume: s.volume }));
const diskType = (s: DiskSource) => ('file' in s ? 'file' : 'volume');

/** Whether a configuration differs between install and after (CD-ROM or kernel boot). */
export const hasInstallPhase = (b: BuildInput) => b.cdrom !== null || b.kernel !== null || b.pxe === true;

export function diskBusFor(b: Pick<BuildInput, 'os' | 'q35'>): 'virtio' | 'sata' | 'ide' {
  if (b.os.diskBus === 'virtio') return 'virtio';
  return b.q35 ? 'sata' : 'ide';
}

export function cdromBusFor(b: Pick<BuildInput, 'os' | 'q35'>): 'scsi' | 'sata' | 'ide' {
  if (!b.q35) return 'ide';
  return b.os.windows || b.os.diskBus !== 'virtio' ? 'sata' : 'scsi';
}

export function nicModelFor(b: Pick<BuildInput, 'os' | 'q35'>): string {
  if (b.os.nicModel === 'virtio') return 'virtio';
  return b.q35 ? 'e1000e' : 'e1000';
}

/** Builds one configuration's XML. */
export function buildDomainXml(b: BuildInput, phase: Phase): string {
  const x = DomainXml.parse(`<domain type="${b.domainType}">\n</domain>\n`);
  const doc = x.doc;
  const root = x.root;
  const add = (el: Element) => prettify(insertChild(root, el, DOMAIN_ORDER));
  const installing = phase === 'install' && hasInstallPhase(b);

  add(h(doc, 'name', {}, [b.name]));
  add(h(doc, 'uuid', {}, [b.uuid]));
  // install-only: the fetched kernel/initrd of a network install or a cloud-init seed, deleted when the phase ends.
  const vols = b.createdVolumes.map((v) => h(doc, 'vd:volume', { pool: v.poolUuid, name: v.name, 'install-only': v.installOnly ? 'yes' : undefined }));
  add(h(doc, 'metadata', {}, [h(doc, 'vd:new-vm', { 'xmlns:vd': METADATA_NS }, [h(doc, 'vd:phase', {}, [b.phase]), ...vols])]));
  add(h(doc, 'memory', { unit: 'MiB' }, [String(b.memoryMiB)]));
  add(h(doc, 'currentMemory', { unit: 'MiB' }, [String(b.memoryMiB)]));
  add(h(doc, 'vcpu', { placement: 'static', cpuset: b.cpuset }, [String(b.vcpus)]));

  const osKids: Element[] = [h(doc, 'type', { arch: b.arch, machine: b.machine }, ['hvm'])];
  if (b.firmware === 'efi') {
    // A bare firmware='efi' makes libvirt 9.0 pick the Microsoft-keys Secure Boot build, and
    // unsigned media then fails with "Access Denied": say which one we want.
    // https://libvirt.org/formatdomain.html#bios-bootloader
    const feats = b.secureBoot
      ? [h(doc, 'feature', { enabled: 'yes', name: 'enrolled-keys' }), h(doc, 'feature', { enabled: 'yes', name: 'secure-boot' })]
      : [h(doc, 'feature', { enabled: 'no', name: 'secure-boot' })];
    osKids.push(h(doc, 'firmware', {}, feats));
  }
  if (installing && b.kernel) {
    osKids.push(h(doc, 'kernel', {}, [b.kernel.kernel]));
    if (b.kernel.initrd) osKids.push(h(doc, 'initrd', {}, [b.kernel.initrd]));
    if (b.kernel.cmdline) osKids.push(h(doc, 'cmdline', {}, [b.kernel.cmdline]));
    if (b.kernel.dtb) osKids.push(h(doc, 'dtb', {}, [b.kernel.dtb]));
  } else if (installing && b.pxe) {
    osKids.push(h(doc, 'boot', { dev: 'network' }), ...(b.disk ? [h(doc, 'boot', { dev: 'hd' })] : []));
  } else if (installing && b.cdrom && !b.cdrom.seed) {
    osKids.push(h(doc, 'boot', { dev: 'cdrom' }), ...(b.disk ? [h(doc, 'boot', { dev: 'hd' })] : []));
  } else if (b.disk) {
    osKids.push(h(doc, 'boot', { dev: 'hd' }));
  }
  add(h(doc, 'os', { firmware: b.firmware === 'efi' ? 'efi' : undefined }, osKids));

  const features = [h(doc, 'acpi'), h(doc, 'apic')];
  if (b.os.windows)
    features.push(
      h(doc, 'hyperv', { mode: 'custom' }, [
        h(doc, 'relaxed', { state: 'on' }), h(doc, 'vapic', { state: 'on' }), h(doc, 'spinlocks', { state: 'on', retries: 8191 }),
        h(doc, 'vpindex', { state: 'on' }), h(doc, 'runtime', { state: 'on' }), h(doc, 'synic', { state: 'on' }), h(doc, 'stimer', { state: 'on' }),
      ]),
    );
  if (b.firmware === 'efi' && b.secureBoot) features.push(h(doc, 'smm', { state: 'on' }));
  if (b.os.windows || b.q35) features.push(h(doc, 'vmport', { state: 'off' }));
  add(h(doc, 'features', {}, features));
  if (b.cpuMode) add(h(doc, 'cpu', { mode: b.cpuMode, check: 'none', migratable: b.cpuMode === 'host-passthrough' ? 'on' : undefined }));
  const timers = [h(doc, 'timer', { name: 'rtc', tickpolicy: 'catchup' }), h(doc, 'timer', { name: 'pit', tickpolicy: 'delay' }), h(doc, 'timer', { name: 'hpet', present: 'no' })];
  if (b.os.windows) timers.push(h(doc, 'timer', { name: 'hypervclock', present: 'yes' }));
  add(h(doc, 'clock', { offset: b.os.windows ? 'localtime' : 'utc' }, timers));
  add(h(doc, 'on_poweroff', {}, ['destroy']));
  // With 'restart' a guest reboot would stay on the install configuration (checked on libvirt 9.0).
  add(h(doc, 'on_reboot', {}, [installing ? 'destroy' : 'restart']));
  add(h(doc, 'on_crash', {}, ['destroy']));
  add(h(doc, 'pm', {}, [h(doc, 'suspend-to-mem', { enabled: 'no' }), h(doc, 'suspend-to-disk', { enabled: 'no' })]));
  add(h(doc, 'devices', {}, devices(b, installing, doc)));
  return x.toXml();
}

function devices(b: BuildInput, installing: boolean, doc: DomainXml['doc']): Element[] {
  const out: Element[] = [];
  const letters = new Map<string, number>();
  const target = (prefix: string) => {
    const n = letters.get(prefix) ?? 0;
    letters.set(prefix, n + 1);
    return prefix + String.fromCharCode(97 + n);
  };
  const prefixOf = (bus: string) => (bus === 'virtio' ? 'vd' : bus === 'ide' ? 'hd' : 'sd');
  if (b.disk) {
    const bus = diskBusFor(b);
    out.push(
      h(doc, 'disk', { type: diskType(b.disk.source), device: 'disk' }, [
        h(doc, 'driver', { name: 'qemu', type: b.disk.format, discard: 'unmap' }),
        sourceEl(doc, b.disk.source),
        h(doc, 'target', { dev: target(prefixOf(bus)), bus }),
      ]),
    );
  }
  const cdBus = cdromBusFor(b);
  if (installing && b.cdrom) {
    out.push(
      h(doc, 'disk', { type: diskType(b.cdrom.source), device: 'cdrom' }, [
        h(doc, 'driver', { name: 'qemu', type: 'raw' }),
        sourceEl(doc, b.cdrom.source),
        h(doc, 'target', { dev: target(prefixOf(cdBus)), bus: cdBus }),
        h(doc, 'readonly'),
        ...(b.cdrom.seed ? [h(doc, 'alias', { name: SEED_ALIAS })] : []),
      ]),
    );
  }
  if (installing && b.cdrom && cdBus === 'scsi') out.push(h(doc, 'controller', { type: 'scsi', model: 'virtio-scsi' }));
  const nic = nicElement(b, doc);
  if (nic) out.push(nic);
  out.push(h(doc, 'serial', { type: 'pty' }, [h(doc, 'target', { port: 0 })]), h(doc, 'console', { type: 'pty' }, [h(doc, 'target', { type: 'serial', port: 0 })]));
  out.push(h(doc, 'input', { type: 'tablet', bus: 'usb' }));
  if (b.tpm) out.push(h(doc, 'tpm', { model: b.q35 ? 'tpm-crb' : 'tpm-tis' }, [h(doc, 'backend', { type: 'emulator', version: '2.0' })]));
  out.push(h(doc, 'graphics', { type: 'vnc', port: -1, autoport: 'yes', listen: '127.0.0.1' }, [h(doc, 'listen', { type: 'address', address: '127.0.0.1' })]));
  out.push(h(doc, 'video', {}, [h(doc, 'model', { type: b.os.video === 'virtio' ? 'virtio' : b.os.video === 'qxl' ? 'qxl' : 'vga' })]));
  out.push(b.os.balloon ? h(doc, 'memballoon', { model: 'virtio' }) : h(doc, 'memballoon', { model: 'none' }));
  if (b.os.virtioRng) out.push(h(doc, 'rng', { model: 'virtio' }, [h(doc, 'backend', { model: 'random' }, ['/dev/urandom'])]));
  return out;
}

function nicElement(b: BuildInput, doc: DomainXml['doc']): Element | null {
  const n = b.network;
  if (n.kind === 'none') return null;
  const mac = n.mac ? [h(doc, 'mac', { address: n.mac.toLowerCase() })] : [];
  const model = h(doc, 'model', { type: nicModelFor(b) });
  switch (n.kind) {
    case 'network':
      return h(doc, 'interface', { type: 'network' }, [...mac, h(doc, 'source', { network: n.network }), model]);
    case 'bridge':
      return h(doc, 'interface', { type: 'bridge' }, [...mac, h(doc, 'source', { bridge: n.bridge }), model]);
    case 'direct':
      return h(doc, 'interface', { type: 'direct' }, [...mac, h(doc, 'source', { dev: n.dev, mode: n.mode }), model]);
    case 'user':
      return h(doc, 'interface', { type: 'user' }, [...mac, model]);
  }
}

/** The install phase recorded in a definition's <metadata> (null: not made by the wizard, or finished long ago). */
export function readPhase(xml: string): { phase: string; volumes: { poolUuid: string; name: string; installOnly?: boolean }[] } | null {
  const x = DomainXml.parse(xml);
  const meta = child(x.root, 'metadata');
  const own = elementChildren(meta).find((e) => e.namespaceURI === METADATA_NS && e.localName === 'new-vm');
  if (!own) return null;
  const phase = elementChildren(own).find((e) => e.localName === 'phase');
  const volumes = elementChildren(own)
    .filter((e) => e.localName === 'volume')
    .map((e) => ({ poolUuid: e.getAttribute('pool') ?? '', name: e.getAttribute('name') ?? '', ...(e.getAttribute('install-only') === 'yes' ? { installOnly: true } : {}) }));
  return { phase: text(phase)?.trim() ?? '', volumes };
}

/** Sets the phase in a definition (keeps everything else, through the DOM). */
export function withPhase(xml: string, phase: string): string {
  const x = DomainXml.parse(xml);
  const own = elementChildren(child(x.root, 'metadata')).find((e) => e.namespaceURI === METADATA_NS && e.localName === 'new-vm');
  const el = own && elementChildren(own).find((e) => e.localName === 'phase');
  if (el) setText(el, phase);
  return x.toXml();
}

/**
 * The configuration after the install phase, derived from the install one through the DOM (so a
 * definition the user customized keeps every change): a cloud-init seed drive removed, other CD-ROM media ejected, no kernel boot, boot
 * from the disk, and reboots restart the guest again.
 */
export function toFinal(installXml: string): string {
  const x = DomainXml.parse(installXml);
  const os = child(x.root, 'os');
  for (const tag of ['kernel', 'initrd', 'cmdline', 'dtb']) for (const el of elementChildren(os, tag)) removeElement(el);
  for (const d of elementChildren(x.devices, 'disk')) if (elementChildren(d, 'alias').some((a) => a.getAttribute('name') === SEED_ALIAS)) removeElement(d);
  const cdroms = elementChildren(x.devices, 'disk').filter((d) => d.getAttribute('device') === 'cdrom');
  for (const cd of cdroms) {
    for (const s of elementChildren(cd, 'source')) removeElement(s);
    for (const b of elementChildren(cd, 'boot')) removeElement(b);
    if (cd.getAttribute('type') === 'volume') cd.setAttribute('type', 'file');
  }
  const hasDisk = elementChildren(x.devices, 'disk').some((d) => (d.getAttribute('device') ?? 'disk') === 'disk');
  const perDeviceBoot = elementChildren(x.devices).some((d) => child(d, 'boot'));
  if (os && !perDeviceBoot) {
    for (const b of elementChildren(os, 'boot')) removeElement(b);
    if (hasDisk) prettify(insertChild(os, h(x.doc, 'boot', { dev: 'hd' }), OS_ORDER));
  }
  const onReboot = child(x.root, 'on_reboot');
  if (onReboot) setText(onReboot, 'restart');
  return x.toXml();
}
