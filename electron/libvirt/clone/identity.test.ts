import { describe, expect, it } from 'vitest';
import { DomainXml } from '../../xml/domain-xml';
import { TEMPLATE_NS } from '../templates';
import { giveNewIdentity } from './identity';

const SRC = `<domain type='kvm'>
  <name>base vm</name>
  <uuid>5d7e57a1-0000-4e2e-8d0c-7e57c0ffdd02</uuid>
  <genid>43dc0cf8-809b-4adb-9bea-a9abb5f3d90d</genid>
  <title>Base</title>
  <metadata><vd:template xmlns:vd='${TEMPLATE_NS}'/><other:x xmlns:other='urn:other'/></metadata>
  <os><type>hvm</type><nvram>/nv/base vm_VARS.fd</nvram></os>
  <devices>
    <interface type='network'><mac address='52:54:00:00:00:01'/><source network='default'/></interface>
    <serial type='file'><source path='/var/log/base vm.out'/><log file='/var/log/libvirt/qemu/base vm-serial.log'/></serial>
    <channel type='unix'><source mode='bind' path='/run/agent.sock'/><target type='virtio' name='org.qemu.guest_agent.0'/></channel>
    <graphics type='spice' port='5930' tlsPort='5931' autoport='no'/>
    <graphics type='vnc' websocket='5700'/>
    <x-unknown keep='yes'/>
  </devices>
</domain>
`;

const apply = (nvram: string | null) => {
  const x = DomainXml.parse(SRC);
  giveNewIdentity(x, 'new $(vm)', nvram);
  return x.toXml();
};

describe('a new identity for a copy of a VM (clones and restores as a new VM)', () => {
  it('new name; no UUID, title or MAC; a fresh genid; no template mark (other metadata kept); unknown elements kept', () => {
    const xml = apply(null);
    expect(xml).toContain('<name>new $(vm)</name>');
    expect(xml).not.toMatch(/<uuid>|<title>|<mac |<nvram|vd:template/);
    expect(xml).toMatch(/<genid\/>|<genid><\/genid>/);
    expect(xml).toContain("<other:x xmlns:other='urn:other'/>");
    expect(xml).toContain("<x-unknown keep='yes'/>");
  });
  it('log and socket paths renamed; graphics on autoport', () => {
    const xml = apply('/nv/new_VARS.fd');
    expect(xml).toContain('<nvram>/nv/new_VARS.fd</nvram>');
    expect(xml).toContain("path='/var/log/new $(vm).out'");
    expect(xml).toContain("file='/var/log/libvirt/qemu/new $(vm)-serial.log'");
    expect(xml).toContain("path='/run/agent-new $(vm).sock'");
    expect(xml).toContain("<graphics type='spice' port='-1' tlsPort='-1' autoport='yes'/>");
    expect(xml).toContain("<graphics type='vnc' websocket='-1' autoport='yes'/>");
  });
});
