/**
 * Which VM a host device is assigned to, and PCI devices by IOMMU group. Domain XML as
 * `virsh dumpxml` (libvirt 9.0) prints <hostdev> and <interface type='hostdev'>.
 */
import { describe, expect, it } from 'vitest';
import type { PassthroughDevice } from '../../shared/model/hostinfo';
import { assignedDevices, groupDevices } from './devices';

describe('host devices for passthrough', () => {
  it('finds PCI hostdevs, SR-IOV VFs given as NICs, and USB devices by ids or by address', () => {
    const xml = `<domain type='kvm'><name>g</name><devices>
      <hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x03' slot='0x10' function='0x2'/></source></hostdev>
      <interface type='hostdev' managed='yes'><mac address='52:54:00:6d:90:02'/><source><address type='pci' domain='0x0000' bus='0x03' slot='0x10' function='0x4'/></source></interface>
      <interface type='network'><source network='default'/></interface>
      <hostdev mode='subsystem' type='usb'><source><vendor id='0x46d'/><product id='0xC52B'/></source></hostdev>
      <hostdev mode='subsystem' type='usb'><source><address bus='1' device='4'/></source></hostdev>
    </devices></domain>`;
    expect(assignedDevices(xml)).toEqual(['pci:0000:03:10.2', 'usb:046d:c52b', 'usbaddr:001:004', 'pci:0000:03:10.4']);
  });

  it('groups PCI devices by IOMMU group, in group and address order, devices without a group last', () => {
    const dev = (address: string, iommuGroup: number | null): PassthroughDevice => ({ name: address, bus: 'pci', label: address, address, driver: null, iommuGroup, groupAddresses: [], vfs: [], pf: null, usedBy: [] });
    const groups = groupDevices([dev('0000:03:00.1', 12), dev('0000:00:02.0', null), dev('0000:01:00.0', 7), dev('0000:03:00.0', 12)]);
    expect(groups.map((g) => [g.number, g.devices.map((d) => d.address)])).toEqual([
      [7, ['0000:01:00.0']],
      [12, ['0000:03:00.0', '0000:03:00.1']],
      [null, ['0000:00:02.0']],
    ]);
  });
});
