import { describe, expect, it } from 'vitest';
import { child, elementChildren } from './dom';
import { DomainXml } from './domain-xml';
import { pointDiskAtFile } from './edit-devices';

const VM = `<domain type='kvm'>
  <name>v</name>
  <devices>
    <disk type='volume' device='disk'>
      <source pool='p' volume='v.qcow2'><seclabel model='dac' relabel='no'/></source>
      <backingStore type='file'><format type='raw'/><source file='/base.raw'/></backingStore>
      <target dev='vda' bus='virtio'/>
    </disk>
  </devices>
</domain>
`;

describe('a disk put on another image file (restores, conversions)', () => {
  it('becomes a file disk on that path only, without the old chain, with the format on a driver it gets if it had none', () => {
    const x = DomainXml.parse(VM);
    const disk = elementChildren(x.devices, 'disk')[0]!;
    pointDiskAtFile(disk, "/pool/it's a copy.qcow2", 'qcow2');
    const out = x.toXml();
    expect(out).toContain("<disk type='file' device='disk'>");
    expect(out).toMatch(/<driver name='qemu' type='qcow2'\/>\s*<source file='\/pool\/it&apos;s a copy.qcow2'><seclabel model='dac' relabel='no'\/><\/source>/);
    expect(child(disk, 'backingStore')).toBeUndefined();
    expect(out).not.toMatch(/pool='p'|volume=/);
  });
});
