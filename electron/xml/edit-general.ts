/**
 * Edits of the domain-wide settings (name/title, vCPUs, CPU model, memory, boot, lifecycle
 * events). Each touches only the elements and attributes of its field and keeps unknown
 * children, so a form never loses what it does not show.
 * https://libvirt.org/formatdomain.html#general-metadata … #events-configuration
 */
import type { HardwareEdit } from '../../shared/model/details';
import { attr, child, docOf, elementChildren, ensureChild, h, insertChild, removeChildren, removeElement, setAttr, setChildText, setText, text, type Element } from './dom';
import { DOMAIN_ORDER, OS_ORDER, type DomainXml } from './domain-xml';
import { setDeviceBootOrder } from './boot-order';
import { fromKiB, toKiB } from './units';

type Edit<K extends HardwareEdit['kind']> = Extract<HardwareEdit, { kind: K }>;

/** '' removes an optional text element (title, description, kernel…); undefined leaves it. */
function setOptionalText(parent: Element, tag: string, value: string | undefined, order: readonly string[]): void {
  if (value === undefined) return;
  setChildText(parent, tag, value === '' ? undefined : value, order);
}

export function editGeneral(x: DomainXml, e: Edit<'general'>): void {
  setOptionalText(x.root, 'title', e.title?.replace(/\n/g, ' '), DOMAIN_ORDER);
  setOptionalText(x.root, 'description', e.description, DOMAIN_ORDER);
}

export function editVcpus(x: DomainXml, e: Edit<'vcpus'>): void {
  const vcpu = ensureChild(x.root, 'vcpu', DOMAIN_ORDER);
  if (text(vcpu)?.trim() !== String(e.max)) setText(vcpu, String(e.max));
  // libvirt leaves `current` out when all vCPUs are online; keep it only when it says something.
  const current = Math.min(e.current, e.max);
  setAttr(vcpu, 'current', current === e.max ? undefined : current);
  if (e.placement !== undefined) setAttr(vcpu, 'placement', e.placement);
  if (e.cpuset !== undefined) setAttr(vcpu, 'cpuset', e.cpuset.trim() === '' ? undefined : e.cpuset.trim());
}

export function editCpu(x: DomainXml, e: Edit<'cpu'>): void {
  let cpu = child(x.root, 'cpu');
  if (e.mode === 'default') {
    // No mode: the hypervisor's default CPU. Topology and NUMA cells stay (they are not the model).
    if (!cpu) return;
    for (const a of ['mode', 'match', 'check', 'migratable']) setAttr(cpu, a, undefined);
    removeChildren(cpu, 'model');
    removeChildren(cpu, 'vendor');
    removeChildren(cpu, 'feature');
  } else {
    cpu ??= insertChild(x.root, h(x.doc, 'cpu'), DOMAIN_ORDER);
    setAttr(cpu, 'mode', e.mode);
    if (e.mode === 'custom') {
      if (!cpu.hasAttribute('match')) setAttr(cpu, 'match', 'exact');
      if (e.model !== undefined) setText(ensureChild(cpu, 'model', ['model', 'vendor', 'topology', 'cache', 'feature', 'numa']), e.model);
    } else {
      // A named model and `match` belong to mode='custom' only; features stay (host-model uses them).
      for (const a of ['match', 'check']) setAttr(cpu, a, undefined);
      removeChildren(cpu, 'model');
    }
  }
  if (e.topology === null) removeChildren(cpu, 'topology');
  else if (e.topology) {
    const t = ensureChild(cpu, 'topology', ['model', 'vendor', 'topology', 'cache', 'feature', 'numa']);
    setAttr(t, 'sockets', e.topology.sockets);
    setAttr(t, 'cores', e.topology.cores);
    setAttr(t, 'threads', e.topology.threads);
  }
  if (elementChildren(cpu).length === 0 && cpu.attributes.length === 0) removeElement(cpu);
}

/**
 * Writes a size into `<tag unit=…>`, keeping the element's unit when the value fits it exactly;
 * a size that is already that (in whatever unit) is left exactly as written.
 */
function setSize(parent: Element, tag: string, kib: number, order: readonly string[]): void {
  const existing = child(parent, tag);
  if (existing && toKiB(text(existing), attr(existing, 'unit')) === kib) return;
  const el = existing ?? ensureChild(parent, tag, order);
  const { value, unit } = fromKiB(kib, attr(el, 'unit'));
  if (text(el)?.trim() !== value) setText(el, value);
  if (el.hasAttribute('unit') || unit !== 'KiB') setAttr(el, 'unit', unit);
}

const MEMTUNE_ORDER = ['hard_limit', 'soft_limit', 'swap_hard_limit', 'min_guarantee'];
const BACKING_ORDER = ['hugepages', 'nosharepages', 'locked', 'source', 'access', 'allocation', 'discard'];

export function editMemory(x: DomainXml, e: Edit<'memory'>): void {
  setSize(x.root, 'memory', e.maxKiB, DOMAIN_ORDER);
  setSize(x.root, 'currentMemory', Math.min(e.currentKiB, e.maxKiB), DOMAIN_ORDER);
  const limits = { hard_limit: e.hardLimitKiB, soft_limit: e.softLimitKiB, swap_hard_limit: e.swapHardLimitKiB } as const;
  for (const [tag, v] of Object.entries(limits)) {
    if (v === undefined) continue;
    const memtune = child(x.root, 'memtune');
    if (v === null) removeChildren(memtune, tag);
    else setSize(memtune ?? insertChild(x.root, h(x.doc, 'memtune'), DOMAIN_ORDER), tag, v, MEMTUNE_ORDER);
  }
  const memtune = child(x.root, 'memtune');
  if (memtune && elementChildren(memtune).length === 0) removeElement(memtune);
  if (e.hugepages !== undefined) {
    const backing = child(x.root, 'memoryBacking');
    if (e.hugepages && !child(backing, 'hugepages')) ensureChild(backing ?? insertChild(x.root, h(x.doc, 'memoryBacking'), DOMAIN_ORDER), 'hugepages', BACKING_ORDER);
    if (!e.hugepages && backing) {
      removeChildren(backing, 'hugepages');
      if (elementChildren(backing).length === 0) removeElement(backing);
    }
  }
}

export function editBoot(x: DomainXml, e: Edit<'boot'>): void {
  const os = ensureChild(x.root, 'os', DOMAIN_ORDER);
  if (e.deviceOrder !== undefined) {
    // libvirt refuses <os><boot dev> together with per-device <boot order>.
    removeChildren(os, 'boot');
    setDeviceBootOrder(x, e.deviceOrder);
  } else if (e.bootDevs !== undefined) {
    setDeviceBootOrder(x, []);
    const now = elementChildren(os, 'boot').map((b) => attr(b, 'dev'));
    if (now.join(',') !== e.bootDevs.join(',')) {
      removeChildren(os, 'boot');
      // Inserted back to front, each before the elements that follow <boot> in libvirt's order.
      for (const dev of e.bootDevs) {
        const el = h(x.doc, 'boot', { dev });
        const bootsSoFar = elementChildren(os, 'boot');
        if (bootsSoFar.length > 0) {
          const last = bootsSoFar[bootsSoFar.length - 1]!;
          os.insertBefore(el, last.nextSibling);
          os.insertBefore(x.doc.createTextNode(whitespaceBefore(last)), el);
        } else insertChild(os, el, OS_ORDER);
      }
    }
  }
  if (e.bootMenu !== undefined) {
    const menu = child(os, 'bootmenu');
    if (e.bootMenu) setAttr(menu ?? insertChild(os, h(x.doc, 'bootmenu'), OS_ORDER), 'enable', 'yes');
    else if (menu) setAttr(menu, 'enable', 'no');
  }
  if (e.firmware !== undefined) editFirmware(os, e.firmware);
  if (e.loader !== undefined) editLoader(os, 'loader', e.loader);
  if (e.nvram !== undefined) editLoader(os, 'nvram', e.nvram);
  setOptionalText(os, 'kernel', e.kernel, OS_ORDER);
  setOptionalText(os, 'initrd', e.initrd, OS_ORDER);
  setOptionalText(os, 'cmdline', e.cmdline, OS_ORDER);
}

function whitespaceBefore(el: Element): string {
  const prev = el.previousSibling;
  return prev && prev.nodeType === 3 && /^\s*$/.test(prev.nodeValue ?? '') ? prev.nodeValue! : '\n    ';
}

/**
 * BIOS ↔ UEFI. UEFI uses libvirt's firmware auto-selection (`<os firmware='efi'>`), which picks
 * an installed OVMF build and NVRAM template; an explicit pflash loader already is UEFI.
 * https://libvirt.org/formatdomain.html#bios-bootloader
 */
function editFirmware(os: Element, firmware: 'bios' | 'efi'): void {
  const loader = child(os, 'loader');
  const isEfi = attr(os, 'firmware') === 'efi' || attr(loader, 'type') === 'pflash';
  if (firmware === 'efi' && !isEfi) {
    if (loader) removeElement(loader);
    setAttr(os, 'firmware', 'efi');
  } else if (firmware === 'bios' && isEfi) {
    setAttr(os, 'firmware', undefined);
    removeChildren(os, 'firmware');
    removeChildren(os, 'loader');
    removeChildren(os, 'nvram');
  }
}

/**
 * An explicit firmware file: <loader readonly='yes' type='pflash'>path</loader> (UEFI code) or
 * <nvram>path</nvram> (the VM's own variable store). '' removes it. Other attributes stay.
 */
function editLoader(os: Element, tag: 'loader' | 'nvram', path: string): void {
  const el = child(os, tag);
  if (path.trim() === '') return removeChildren(os, tag);
  if (el && text(el)?.trim() === path.trim()) return;
  const target = el ?? insertChild(os, h(docOf(os), tag, tag === 'loader' ? { readonly: 'yes', type: 'pflash' } : {}), OS_ORDER);
  setText(target, path.trim());
}

export function editEvents(x: DomainXml, e: Edit<'events'>): void {
  if (e.onPoweroff !== undefined) setChildText(x.root, 'on_poweroff', e.onPoweroff, DOMAIN_ORDER);
  if (e.onReboot !== undefined) setChildText(x.root, 'on_reboot', e.onReboot, DOMAIN_ORDER);
  if (e.onCrash !== undefined) setChildText(x.root, 'on_crash', e.onCrash, DOMAIN_ORDER);
}
