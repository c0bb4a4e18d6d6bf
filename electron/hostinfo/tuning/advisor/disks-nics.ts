/**
 * Disks and NICs: an emulated disk bus (IDE/SATA) or NIC model (e1000/rtl8139) where the guest
 * OS, per its osinfo metadata, has virtio drivers (virtio-blk, virtio-net). The fix reuses the
 * hardware editor's device edits (electron/xml/edit-devices.ts: a new bus renames the target
 * and drops the old controller address) and is offered only for shut-off VMs.
 * https://libvirt.org/formatdomain.html#hard-drives-floppy-disks-cdroms
 */
import { editDevice } from '../../../xml/edit-devices';
import { deviceIds } from '../../../xml/read-devices';
import { attr, child, type Element } from '../../../xml/dom';
import { doc, rootOf, shutOffOnly, vmFinding, type DomainXml, type Rule, type VmFacts } from './types';

const EMULATED_BUS = ['ide', 'sata'];
const EMULATED_NIC = ['e1000', 'rtl8139'];

const osName = (vm: VmFacts) => `${vm.os!.name} (${vm.osId ?? vm.os!.id})${vm.osNote ? `; ${vm.osNote}` : ''}`;

function slowDisks(devices: Element | undefined): { id: string; el: Element }[] {
  return deviceIds(devices).filter(({ el }) => el.tagName === 'disk' && (attr(el, 'device') ?? 'disk') === 'disk' && EMULATED_BUS.includes(attr(child(el, 'target'), 'bus') ?? ''));
}

function slowNics(devices: Element | undefined): { id: string; el: Element }[] {
  return deviceIds(devices).filter(({ el }) => el.tagName === 'interface' && EMULATED_NIC.includes(attr(child(el, 'model'), 'type') ?? ''));
}

const DRIVER_WARNING = 'The guest needs virtio drivers (virtio_blk / virtio_net; Windows: the virtio-win drivers) installed before it can boot from or use the new device.';

export const diskBusRule: Rule = {
  rule: 'disk-bus',
  group: 'disks-nics',
  vm(vm) {
    if (vm.os?.diskBus !== 'virtio') return [];
    const disks = slowDisks(child(rootOf(vm.xml), 'devices'));
    if (disks.length === 0) return [];
    return [
      vmFinding(this, vm, {
        severity: 'warning',
        title: 'Emulated disk bus where the guest OS supports virtio-blk',
        evidence: [
          ...disks.map(({ el }) => `disk ${attr(child(el, 'target'), 'dev') ?? '?'} on bus ${attr(child(el, 'target'), 'bus')}`),
          `OS: ${osName(vm)} — osinfo lists virtio-blk for it`,
        ],
        source: doc('https://libvirt.org/formatdomain.html#hard-drives-floppy-disks-cdroms', 'libvirt: disk target bus; virtio-blk is the paravirtual disk, IDE/SATA are emulated controllers'),
        fix: {
          kind: 'xml',
          summary: `Move ${disks.length === 1 ? 'the disk' : `${disks.length} disks`} to the virtio bus (targets become vdX).`,
          warnings: [DRIVER_WARNING, 'The disks are renamed (sdX/hdX → vdX): a guest that mounts by /dev/sdX (fstab, boot loader root=) may not boot. Mount by UUID or LABEL first.'],
          ...shutOffOnly(vm),
        },
      }),
    ];
  },
  fixXml(x: DomainXml) {
    for (const { id } of slowDisks(x.devices)) editDevice(x, { kind: 'disk', id, bus: 'virtio' });
  },
};

export const nicModelRule: Rule = {
  rule: 'nic-model',
  group: 'disks-nics',
  vm(vm) {
    if (vm.os?.nicModel !== 'virtio') return [];
    const nics = slowNics(child(rootOf(vm.xml), 'devices'));
    if (nics.length === 0) return [];
    return [
      vmFinding(this, vm, {
        severity: 'warning',
        title: 'Emulated NIC model where the guest OS supports virtio-net',
        evidence: [...nics.map(({ el }) => `interface ${attr(child(el, 'mac'), 'address') ?? '?'} with model ${attr(child(el, 'model'), 'type')}`), `OS: ${osName(vm)} — osinfo lists virtio-net for it`],
        source: doc('https://libvirt.org/formatdomain.html#setting-the-nic-model', 'libvirt: NIC model; virtio is the paravirtual NIC, e1000/rtl8139 are emulated'),
        fix: {
          kind: 'xml',
          summary: `Change ${nics.length === 1 ? 'the NIC' : `${nics.length} NICs`} to model virtio (same MAC).`,
          warnings: [DRIVER_WARNING, 'The guest may name the interface differently (e.g. ens3 instead of eth0): its network configuration may need to follow.'],
          ...shutOffOnly(vm),
        },
      }),
    ];
  },
  fixXml(x: DomainXml) {
    for (const { id } of slowNics(x.devices)) editDevice(x, { kind: 'interface', id, model: 'virtio' });
  },
};

export const disksNicsRules = [diskBusRule, nicModelRule];
