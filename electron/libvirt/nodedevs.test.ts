import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HostConnection } from '../hosts/host-connection';
import { listHostDevices, parseNodeDevice } from './nodedevs';

// pci_0000_00_03_0.xml: `virsh nodedev-dumpxml pci_0000_00_03_0` (libvirt 9.0.0, Debian 12 VM);
// usb_1_4.hand.xml is written by hand after https://libvirt.org/formatnode.html (no USB here).
const read = (f: string) => readFileSync(join(__dirname, '..', 'xml', 'fixtures', 'nodedev', f), 'utf8');

describe('host devices offered by "Add hardware"', () => {
  it('a PCI device shows its address and becomes a <hostdev type=pci> source', () => {
    expect(parseNodeDevice(read('pci_0000_00_03_0.xml'))).toEqual({
      info: { name: 'pci_0000_00_03_0', bus: 'pci', label: '0000:00:03.0 [1af4:1041]' },
      source: { bus: 'pci', domain: 0, busNo: 0, slot: 3, function: 0 },
      // No IOMMU on this VM: no group, no SR-IOV.
      detail: { address: '0000:00:03.0', driver: 'virtio-pci', iommuGroup: null, groupAddresses: [], vfs: [], pf: null },
    });
  });

  it('a USB device shows vendor:product and names', () => {
    expect(parseNodeDevice(read('usb_1_4.hand.xml'))).toEqual({
      info: { name: 'usb_1_4', bus: 'usb', label: '046d:c52b Logitech, Inc. Unifying Receiver' },
      source: { bus: 'usb', vendor: '0x046d', product: '0xc52b' },
      detail: { address: '001:004', driver: 'usb', iommuGroup: null, groupAddresses: [], vfs: [], pf: null },
    });
  });

  it('other devices are not offered', () => {
    expect(parseNodeDevice('<device><name>computer</name><capability type="system"/></device>')).toBeUndefined();
  });

  it('a device whose XML cannot be read is listed by name with a note, and never hides the others', async () => {
    const xml: Record<string, string> = { pci_0000_00_03_0: read('pci_0000_00_03_0.xml'), pci_0000_00_04_0: '<device><name>pci_0000_00_04_0</name><capability type=\'pci\'>&bogus;' };
    const host = {
      // run(['virsh', subcommand, …]): argv[1] is the subcommand
      run: async ([, ...argv]: string[]) => ({ stdout: argv[0] === 'nodedev-list' ? (argv[2] === 'pci' ? 'pci_0000_00_03_0\npci_0000_00_04_0\n' : '') : xml[argv[2]!]! }),
    } as unknown as HostConnection;
    expect(await listHostDevices(host)).toEqual([
      { name: 'pci_0000_00_03_0', bus: 'pci', label: '0000:00:03.0 [1af4:1041]' },
      { name: 'pci_0000_00_04_0', bus: 'pci', label: 'pci_0000_00_04_0', problems: [expect.stringMatching(/^nodedev-dumpxml: /)] },
    ]);
  });
});
