import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePoolXml } from '../../virsh/parse/storage';
import { hostUuidOf, vmNeeds } from './vm-needs';

// `virsh dumpxml --inactive vd-test-guest` (libvirt 9.0.0).
const guest = readFileSync(join(__dirname, 'fixtures', 'test-guest-inactive.xml'), 'utf8');

describe('what a VM needs from the destination', () => {
  it('the test guest: its kernel and initrd, no disks, no networks (user NIC), the qemu64 model, TCG', () => {
    const n = vmNeeds(guest);
    expect(n).toMatchObject({ name: 'vd-test-guest', kernel: '/var/lib/virtdeck-test/guest/vmlinuz', initrd: '/var/lib/virtdeck-test/guest/initrd.cpio.gz', disks: [], networks: [], bridges: [], virtType: 'qemu', arch: 'x86_64', tpm: false });
    expect([n.cpuMode, n.cpuXml]).toEqual(['custom', expect.stringContaining('<model fallback=\'forbid\'>qemu64</model>')]);
  });
  it('disks (file, block, volume, read-only media), networks and bridges once each, the CPU element, an emulated TPM', () => {
    const xml = `<domain type='kvm'><name>a b</name><uuid>u</uuid><os><type arch='x86_64' machine='q35'>hvm</type></os>
      <cpu mode='host-passthrough'/>
      <devices>
        <disk type='file' device='disk'><source file='/var/lib/libvirt/images/a b.qcow2'/><target dev='vda'/></disk>
        <disk type='block' device='disk'><source dev='/dev/vg/x'/><target dev='vdb'/></disk>
        <disk type='volume' device='disk'><source pool='p' volume='v'/><target dev='vdc'/></disk>
        <disk type='file' device='cdrom'><source file='/iso/x.iso'/><target dev='sda'/><readonly/></disk>
        <interface type='network'><source network='default'/></interface>
        <interface type='network'><source network='default'/></interface>
        <interface type='bridge'><source bridge='br0'/></interface>
        <tpm model='tpm-crb'><backend type='emulator' version='2.0'/></tpm>
      </devices></domain>`;
    const n = vmNeeds(xml);
    expect(n.disks).toEqual([
      { target: 'vda', type: 'file', device: 'disk', path: '/var/lib/libvirt/images/a b.qcow2', readonly: false },
      { target: 'vdb', type: 'block', device: 'disk', path: '/dev/vg/x', readonly: false },
      { target: 'vdc', type: 'volume', device: 'disk', pool: 'p', volume: 'v', readonly: false },
      { target: 'sda', type: 'file', device: 'cdrom', path: '/iso/x.iso', readonly: true },
    ]);
    expect([n.networks, n.bridges, n.cpuMode, n.tpm, n.virtType, n.machine]).toEqual([['default'], ['br0'], 'host-passthrough', true, 'kvm', 'q35']);
    expect(n.cpuXml).toContain('host-passthrough');
  });
  it('host UUID from capabilities, pool path from pool-dumpxml', () => {
    expect(hostUuidOf('<capabilities><host><uuid>5d7e57a1-4057-4e2e-8d0c-127000000001</uuid><cpu/></host></capabilities>')).toBe('5d7e57a1-4057-4e2e-8d0c-127000000001');
    expect(parsePoolXml("<pool type='dir'><name>p</name><target><path>/var/lib/x</path></target></pool>")).toMatchObject({ type: 'dir', targetPath: '/var/lib/x' });
  });
});
