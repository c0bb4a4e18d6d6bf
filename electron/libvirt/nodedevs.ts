/**
 * Host USB and PCI devices for "Add hardware → host device", from `virsh nodedev-list --cap`
 * and each device's XML (https://libvirt.org/formatnode.html). Also the storage pools a new
 * disk volume can go to.
 */
import { AppError } from '../../shared/errors';
import type { NodeDeviceInfo } from '../../shared/model/details';
import type { HostConnection } from '../hosts/host-connection';
import type { HostDeviceSource } from '../xml/add-remove';
import type { Element } from '@xmldom/xmldom';
import { attr, child, elementChildren, parseXml, path, text } from '../xml/dom';

/** "0000:00:1f.2": a PCI address as lspci and sysfs write it. */
export function formatPciAddress(domain: number, bus: number, slot: number, fn: number): string {
  return `${domain.toString(16).padStart(4, '0')}:${bus.toString(16).padStart(2, '0')}:${slot.toString(16).padStart(2, '0')}.${fn.toString(16)}`;
}

/** An `<address domain='0x0000' bus='0x00' slot='0x10' function='0x0'/>` element as "0000:00:10.0". */
export function pciAddressOf(el: Element | undefined): string | undefined {
  if (!el) return undefined;
  const n = (a: string) => Number(attr(el, a) ?? '0');
  return formatPciAddress(n('domain'), n('bus'), n('slot'), n('function'));
}

/** What passthrough needs to know of a device: its IOMMU group and SR-IOV relations (PCI), and its driver. */
export interface PassthroughDetail {
  /** PCI "0000:00:10.0", or USB "bus:device" ("001:004"). */
  address: string;
  driver: string | null;
  iommuGroup: number | null;
  /** Every device of its IOMMU group, itself included (PCI addresses). */
  groupAddresses: string[];
  /** Virtual functions of a physical function (`capability type='virt_functions'`). */
  vfs: string[];
  /** The physical function of a virtual function (`capability type='phys_function'`). */
  pf: string | null;
}

/** What nodedev XML says about one USB or PCI device, or undefined for other capabilities. */
export function parseNodeDevice(xml: string): { info: NodeDeviceInfo; source: HostDeviceSource; detail: PassthroughDetail } | undefined {
  const root = parseXml(xml).documentElement!;
  const name = text(child(root, 'name'))?.trim() ?? '';
  const driver = text(path(root, 'driver/name'))?.trim() ?? null;
  for (const cap of elementChildren(root, 'capability')) {
    const product = child(cap, 'product');
    const vendor = child(cap, 'vendor');
    // Names come from the host's usb.ids/pci.ids; without them, the vendor:product ids say enough.
    const names = [text(vendor)?.trim(), text(product)?.trim()].filter(Boolean).join(' ');
    const ids = `${(attr(vendor, 'id') ?? '').replace(/^0x/, '')}:${(attr(product, 'id') ?? '').replace(/^0x/, '')}`;
    if (attr(cap, 'type') === 'usb_device') {
      const v = attr(vendor, 'id') ?? '';
      const p = attr(product, 'id') ?? '';
      const num = (tag: string) => Number(text(child(cap, tag))?.trim() ?? '0');
      const address = `${String(num('bus')).padStart(3, '0')}:${String(num('device')).padStart(3, '0')}`;
      return {
        info: { name, bus: 'usb', label: `${v.replace(/^0x/, '')}:${p.replace(/^0x/, '')} ${names}`.trim() },
        source: { bus: 'usb', vendor: v, product: p },
        detail: { address, driver, iommuGroup: null, groupAddresses: [], vfs: [], pf: null },
      };
    }
    if (attr(cap, 'type') === 'pci') {
      const num = (tag: string) => Number(text(child(cap, tag))?.trim() ?? '0');
      const src = { bus: 'pci' as const, domain: num('domain'), busNo: num('bus'), slot: num('slot'), function: num('function') };
      const addr = formatPciAddress(src.domain, src.busNo, src.slot, src.function);
      const group = child(cap, 'iommuGroup');
      const sub = (type: string) => elementChildren(cap, 'capability').find((c) => attr(c, 'type') === type);
      const addresses = (el: Element | undefined) => elementChildren(el, 'address').map((a) => pciAddressOf(a)!);
      const detail: PassthroughDetail = {
        address: addr,
        driver,
        iommuGroup: group ? Number(attr(group, 'number')) : null,
        groupAddresses: addresses(group),
        vfs: addresses(sub('virt_functions')),
        pf: pciAddressOf(child(sub('phys_function'), 'address')) ?? null,
      };
      return { info: { name, bus: 'pci', label: `${addr} ${names || `[${ids}]`}` }, source: src, detail };
    }
  }
  return undefined;
}

export async function listHostDevices(host: HostConnection): Promise<NodeDeviceInfo[]> {
  const out: NodeDeviceInfo[] = [];
  for (const cap of ['usb_device', 'pci'] as const) {
    const names = (await host.run(['virsh', 'nodedev-list', '--cap', cap])).stdout.split('\n').map((l) => l.trim()).filter(Boolean);
    const xmls = await Promise.all(names.map((n) => host.run(['virsh', 'nodedev-dumpxml', '--device', n]).then((r) => r.stdout, () => undefined)));
    for (const [i, xml] of xmls.entries()) {
      if (xml === undefined) continue; // unplugged between the calls
      try {
        const dev = parseNodeDevice(xml);
        if (dev) out.push(dev.info);
      } catch (e) {
        // Listed by libvirt as this kind of device, but its XML could not be read: shown by name, with why.
        out.push({ name: names[i]!, bus: cap === 'pci' ? 'pci' : 'usb', label: names[i]!, problems: [`nodedev-dumpxml: ${e instanceof Error ? e.message : String(e)}`] });
      }
    }
  }
  return out;
}

export async function hostDeviceSource(host: HostConnection, nodedev: string): Promise<HostDeviceSource> {
  const dev = parseNodeDevice((await host.run(['virsh', 'nodedev-dumpxml', '--device', nodedev])).stdout);
  if (!dev) throw new AppError('invalid_args', `${nodedev} is not a USB or PCI device`);
  return dev.source;
}

/** Active storage pools by name: where "new volume" can create a disk. */
export async function activePools(host: HostConnection): Promise<string[]> {
  return (await host.run(['virsh', 'pool-list', '--name'])).stdout.split('\n').map((l) => l.trim()).filter(Boolean);
}
