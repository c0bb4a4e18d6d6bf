/**
 * The Devices tab: the host's PCI devices by IOMMU group (a group is passed through whole), SR-IOV
 * physical functions with their virtual functions, USB devices, and which VM's XML assigns each
 * (https://libvirt.org/formatdomain.html#host-device-assignment).
 */
import { readFile } from 'node:fs/promises';
import type { Domain } from '../../shared/model/domain';
import type { HostDevices, PassthroughDevice } from '../../shared/model/hostinfo';
import type { HostConnection } from '../hosts/host-connection';
import { parseNodeDevice, pciAddressOf } from '../libvirt/nodedevs';
import type { Step } from '../libvirt/plan';
import { attr, child, elementChildren, parseXml, path } from '../xml/dom';

/** The one virsh command of a device action (what the preview shows is what runs). */
export function nodedevActionSteps(name: string, action: 'detach' | 'reattach' | 'reset'): Step[] {
  return [{ argv: [`nodedev-${action}`, '--device', name] }];
}

/** Keys of the host devices a domain's XML assigns: "pci:0000:03:10.0", "usb:046d:c52b", "usbaddr:001:004". */
export function assignedDevices(domainXml: string): string[] {
  const devices = child(parseXml(domainXml).documentElement!, 'devices');
  const keys: string[] = [];
  const hex = (v: string | undefined) => (v ?? '').replace(/^0x/i, '').toLowerCase().padStart(4, '0');
  // <hostdev>, and <interface type='hostdev'> (an SR-IOV VF given as a NIC) carry the same <source>.
  const sources = [
    ...elementChildren(devices, 'hostdev').map((h) => ({ type: attr(h, 'type'), source: child(h, 'source') })),
    ...elementChildren(devices, 'interface').filter((i) => attr(i, 'type') === 'hostdev').map((i) => ({ type: 'pci', source: child(i, 'source') })),
  ];
  for (const { type, source } of sources) {
    const address = child(source, 'address');
    if (type === 'pci' && address) keys.push(`pci:${pciAddressOf(address)}`);
    if (type === 'usb') {
      const vendor = child(source, 'vendor');
      if (vendor) keys.push(`usb:${hex(attr(vendor, 'id'))}:${hex(attr(child(source, 'product'), 'id'))}`);
      if (address) keys.push(`usbaddr:${String(Number(attr(address, 'bus') ?? 0)).padStart(3, '0')}:${String(Number(attr(address, 'device') ?? 0)).padStart(3, '0')}`);
    }
  }
  return keys;
}

/** Groups PCI devices by IOMMU group (ungrouped last), each group's devices in address order. */
export function groupDevices(pci: PassthroughDevice[]): HostDevices['groups'] {
  const groups = new Map<number | null, PassthroughDevice[]>();
  for (const d of pci) groups.set(d.iommuGroup, [...(groups.get(d.iommuGroup) ?? []), d]);
  return [...groups.entries()]
    .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a - b))
    .map(([number, devices]) => ({ number, devices: devices.sort((x, y) => x.address.localeCompare(y.address)) }));
}

/**
 * Node device names. virsh 9 cannot list the test driver's (nodedev-list passes flags that driver
 * refuses), so for a test:///path.xml host they are read from that file; libvirt still answers
 * nodedev-dumpxml for each.
 */
async function deviceNames(host: HostConnection): Promise<string[]> {
  if (host.uri.driver === 'test') {
    if (host.uri.path === '/default') return [];
    const doc = parseXml(await readFile(host.uri.path, 'utf8'));
    return elementChildren(doc.documentElement!, 'device').map((d) => path(d, 'name')?.textContent?.trim() ?? '').filter(Boolean);
  }
  const out: string[] = [];
  for (const cap of ['pci', 'usb_device']) out.push(...(await host.run(['virsh', 'nodedev-list', '--cap', cap])).stdout.split('\n').map((l) => l.trim()).filter(Boolean));
  return out;
}

export async function hostDevices(host: HostConnection, domains: readonly Domain[]): Promise<HostDevices> {
  const names = await deviceNames(host);
  const [xmls, domainXmls] = await Promise.all([
    Promise.all(names.map((n) => host.run(['virsh', 'nodedev-dumpxml', '--device', n]).then((r) => r.stdout, (e: unknown) => e))),
    // A VM gone between the list and its dumpxml simply assigns nothing. The persistent definition
    // says what "Assign to VM" gave it (a running VM gets it at its next boot); the live one what
    // was hot-plugged only.
    Promise.all(
      domains.flatMap((d) =>
        (d.persistent ? (d.state === 'shutoff' ? [['--inactive']] : [['--inactive'], []]) : [[]]).map((flags) => host.run(['virsh', 'dumpxml', ...flags, '--domain', d.uuid]).then((r) => ({ name: d.name, xml: r.stdout }), () => undefined)),
      ),
    ),
  ]);
  const usedBy = new Map<string, string[]>();
  for (const d of domainXmls) if (d) for (const key of new Set(assignedDevices(d.xml))) usedBy.set(key, [...new Set([...(usedBy.get(key) ?? []), d.name])]);
  const pci: PassthroughDevice[] = [];
  const usb: PassthroughDevice[] = [];
  const problems: string[] = [];
  for (const [i, xml] of xmls.entries()) {
    const name = names[i]!;
    if (typeof xml !== 'string') {
      problems.push(`${name}: ${xml instanceof Error ? xml.message : String(xml)}`);
      continue;
    }
    let dev: ReturnType<typeof parseNodeDevice>;
    try {
      dev = parseNodeDevice(xml);
    } catch (e) {
      problems.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    if (!dev) continue;
    const keys = dev.source.bus === 'pci' ? [`pci:${dev.detail.address}`] : [`usb:${dev.source.vendor.replace(/^0x/i, '').toLowerCase().padStart(4, '0')}:${dev.source.product.replace(/^0x/i, '').toLowerCase().padStart(4, '0')}`, `usbaddr:${dev.detail.address}`];
    const users = [...new Set(keys.flatMap((k) => usedBy.get(k) ?? []))];
    const device: PassthroughDevice = { name, bus: dev.info.bus, label: dev.info.label, ...dev.detail, usedBy: users };
    (device.bus === 'pci' ? pci : usb).push(device);
  }
  return { groups: groupDevices(pci), usb, problems };
}
