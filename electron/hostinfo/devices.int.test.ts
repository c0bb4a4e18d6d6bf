/**
 * The Devices tab's data: on a test-driver host holding an SR-IOV NIC, a GPU and a USB device
 * (e2e/support/passthrough-host.xml), and on the real test host (PCI devices, no IOMMU).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../e2e/support/backend-harness';

const HOST_FILE = join(__dirname, '..', '..', 'e2e', 'support', 'passthrough-host.xml');

describe('host devices for passthrough', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());

  const connect = async (uri: string) => {
    const id = (await h.call('hosts.save', { connection: { name: uri, uri } })).config.id;
    await h.call('hosts.connect', { hostId: id });
    return id;
  };

  it('shows IOMMU groups whole, the PF with its VFs, and which VM uses a VF and the USB device (test driver)', async () => {
    const d = await h.call('hostpage.devices', { hostId: await connect(`test://${HOST_FILE}`) });
    expect(d.problems).toEqual([]);
    expect(d.groups.map((g) => [g.number, g.devices.map((x) => x.address)])).toEqual([
      [7, ['0000:01:00.0']],
      [12, ['0000:03:00.0', '0000:03:00.1']],
      [40, ['0000:03:10.0']],
      [41, ['0000:03:10.2']],
    ]);
    const pf = d.groups[1]!.devices[0]!;
    expect(pf).toMatchObject({ name: 'pci_0000_03_00_0', vfs: ['0000:03:10.0', '0000:03:10.2'], groupAddresses: ['0000:03:00.0', '0000:03:00.1'], usedBy: [] });
    expect(d.groups[2]!.devices[0]).toMatchObject({ pf: '0000:03:00.0', usedBy: ['vd-pt-vf'] });
    expect(d.groups[3]!.devices[0]!.usedBy).toEqual([]);
    expect(d.usb).toEqual([expect.objectContaining({ name: 'usb_1_4', address: '001:004', usedBy: ['vd-pt-usb'] })]);
  });

  it('"Assign to VM" gives a free VF to a VM through the hardware flow: a managed PCI <hostdev> libvirt validates, then shown as used', async () => {
    const hostId = await connect(`test://${HOST_FILE}`);
    const vm = (await h.call('domains.list', { hostId })).find((d) => d.name === 'vd-pt-usb')!;
    const { etag } = await h.call('details.get', { hostId, uuid: vm.uuid });
    await h.call('details.addDevice', { hostId, uuid: vm.uuid, etag, device: { kind: 'hostdev', bus: 'pci', nodedev: 'pci_0000_03_10_2' } });
    const { xml } = await h.call('details.xml', { hostId, uuid: vm.uuid });
    const hostdev = /<hostdev mode=.subsystem. type=.pci. managed=.yes.>[\s\S]*?<\/hostdev>/.exec(xml)?.[0] ?? '';
    expect(hostdev).toMatch(/<source>\s*<address domain=.0x0000. bus=.0x03. slot=.0x10. function=.0x2.\/>\s*<\/source>/);
    const d = await h.call('hostpage.devices', { hostId });
    expect(d.groups.find((g) => g.number === 41)!.devices[0]!.usedBy).toEqual(['vd-pt-usb']);
    // The replaced definition was kept, as for any hardware edit.
    expect((await h.call('details.history', { hostId, uuid: vm.uuid })).length).toBeGreaterThan(0);
  });

  it('lists every PCI device of the real host that virsh nodedev-list lists', async () => {
    const d = await h.call('hostpage.devices', { hostId: await connect('qemu:///system') });
    const names = execFileSync('virsh', ['-c', 'qemu:///system', 'nodedev-list', '--cap', 'pci'], { encoding: 'utf8' }).split('\n').filter((l) => l.trim());
    expect(d.groups.flatMap((g) => g.devices.map((x) => x.name)).sort()).toEqual(names.sort());
    // No IOMMU on this machine: one group of devices without a group.
    expect(d.groups.map((g) => g.number)).toEqual([null]);
  });
});
