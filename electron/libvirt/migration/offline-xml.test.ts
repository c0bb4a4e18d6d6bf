import { describe, expect, it } from 'vitest';
import { parsePoolXml } from '../../virsh/parse/storage';
import { destDomainXml, moveNeeds, poolXmlForDest } from './offline-xml';
import { hostUuidOf } from './vm-needs';

const XML = `<domain type='kvm'>
  <name>web "1" $(id)</name>
  <uuid>5D7E57A1-0000-4E2E-8D0C-7E57C0FF0F01</uuid>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
    <loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.fd</loader>
    <nvram template='/usr/share/OVMF/OVMF_VARS_4M.fd'>/var/lib/libvirt/qemu/nvram/web_VARS.fd</nvram>
    <kernel>/boot/vmlinuz</kernel>
    <initrd>/boot/initrd.img</initrd>
  </os>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='/pool/a disk.qcow2'/>
      <backingStore type='file'><format type='qcow2'/><source file='/pool/base.qcow2'/></backingStore>
      <target dev='vda' bus='virtio'/>
      <vd:keep xmlns:vd='urn:x'/>
    </disk>
    <disk type='volume' device='disk'>
      <driver name='qemu' type='raw'/>
      <source pool='p2' volume='--data'/>
      <target dev='vdb' bus='virtio'/>
    </disk>
    <disk type='file' device='cdrom'>
      <source file='/iso/install.iso'/>
      <target dev='sda' bus='sata'/>
      <readonly/>
    </disk>
    <disk type='file' device='cdrom'><target dev='sdb' bus='sata'/><readonly/></disk>
    <disk type='block' device='disk'><source dev='/dev/sdz'/><target dev='vdc' bus='virtio'/></disk>
    <interface type='network'><source network='default'/></interface>
    <interface type='network'><source network='default'/></interface>
    <interface type='bridge'><source bridge='br0'/></interface>
    <interface type='direct'><source dev='eth1' mode='bridge'/></interface>
    <interface type='user'/>
    <tpm model='tpm-crb'><backend type='emulator' version='2.0'/></tpm>
  </devices>
</domain>
`;

describe('moveNeeds', () => {
  it('reads disks, boot files, NVRAM, networks, host interfaces and the TPM from the domain XML', () => {
    const n = moveNeeds(XML);
    expect(n.name).toBe('web "1" $(id)');
    expect(n.uuid).toBe('5d7e57a1-0000-4e2e-8d0c-7e57c0ff0f01');
    expect(n.disks.map((d) => [d.target, d.kind, d.path, d.pool ?? null, d.volume ?? null, d.format ?? null])).toEqual([
      ['vda', 'copy', '/pool/a disk.qcow2', null, null, 'qcow2'],
      ['vdb', 'copy', null, 'p2', '--data', 'raw'],
      ['sda', 'present', '/iso/install.iso', null, null, null],
      ['sdb', 'present', null, null, null, null],
      ['vdc', 'unsupported', '/dev/sdz', null, null, null],
    ]);
    expect(n.disks[4]!.reason).toMatch(/only file and volume disks/);
    expect(n.bootFiles).toEqual(['/boot/vmlinuz', '/boot/initrd.img', '/usr/share/OVMF/OVMF_CODE_4M.fd']);
    expect(n.nvram).toBe('/var/lib/libvirt/qemu/nvram/web_VARS.fd');
    expect(n.networks).toEqual(['default']);
    expect(n.hostInterfaces).toEqual(['br0', 'eth1']);
    expect(n.tpmEmulator).toBe(true);
  });

  it('a plain VM needs nothing but itself', () => {
    const n = moveNeeds(`<domain type='qemu'><name>x</name><uuid>u</uuid><os><type>hvm</type></os><devices/></domain>`);
    expect(n).toEqual({ name: 'x', uuid: 'u', disks: [], bootFiles: [], nvram: null, networks: [], hostInterfaces: [], tpmEmulator: false });
  });
});

describe('destDomainXml', () => {
  it('points copied file disks at their new path and drops a flattened chain; everything else is kept', () => {
    const out = destDomainXml(XML, [
      { target: 'vda', path: "/new pool/it's <1>.qcow2", format: 'qcow2', flattened: true },
      { target: 'vdb', path: '/p2/--data', format: 'raw', flattened: false },
    ]);
    const n = moveNeeds(out);
    expect(n.disks.map((d) => d.path)).toEqual(["/new pool/it's <1>.qcow2", null, '/iso/install.iso', null, '/dev/sdz']);
    expect(out).not.toContain('backingStore');
    expect(out).toContain(`<vd:keep xmlns:vd='urn:x'/>`);
    // The volume disk keeps its pool/volume names: the destination pool has the same name.
    expect(out).toContain(`<source pool='p2' volume='--data'/>`);
    expect({ ...n, disks: undefined }).toEqual({ ...moveNeeds(XML), disks: undefined });
  });

  it('changes nothing, byte for byte, when the paths stay and nothing was flattened', () => {
    expect(destDomainXml(XML, [{ target: 'vda', path: '/pool/a disk.qcow2', format: 'qcow2', flattened: false }])).toBe(XML);
  });

  it('a flattened raw disk takes the copied image’s format', () => {
    const xml = XML.replace(`type='qcow2'/>\n      <source file='/pool/a disk.qcow2'/>`, `type='raw'/>\n      <source file='/pool/a disk.qcow2'/>`);
    expect(destDomainXml(xml, [{ target: 'vda', path: '/p/x', format: 'qcow2', flattened: true }])).toMatch(/<driver name='qemu' type='qcow2'\/>\s*<source file='\/p\/x'\/>/);
  });
});

describe('host and pool XML', () => {
  it('reads the host UUID from capabilities', () => {
    expect(hostUuidOf(`<capabilities>\n  <host>\n    <uuid>5D7E57A1-4057-4E2E-8D0C-127000000002</uuid>\n  </host>\n</capabilities>`)).toBe('5d7e57a1-4057-4e2e-8d0c-127000000002');
    expect(hostUuidOf('<capabilities><host/></capabilities>')).toBeNull();
  });

  it('makes the source pool fit to define on the destination: no UUID, no sizes, same name and path', () => {
    const src = `<pool type='dir'>\n  <name>vd "p"</name>\n  <uuid>1b2c</uuid>\n  <capacity unit='bytes'>1</capacity>\n  <allocation unit='bytes'>1</allocation>\n  <available unit='bytes'>1</available>\n  <source>\n  </source>\n  <target>\n    <path>/var/lib/libvirt/images/p</path>\n  </target>\n</pool>\n`;
    const out = poolXmlForDest(src);
    expect(out).not.toMatch(/uuid|capacity|allocation|available/);
    expect(out).toContain(`<name>vd "p"</name>`);
    expect(parsePoolXml(out).targetPath).toBe('/var/lib/libvirt/images/p');
    expect(() => poolXmlForDest('<domain/>')).toThrow(/expected <pool>/);
  });
});
