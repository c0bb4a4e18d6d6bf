/**
 * PXE readiness of a network, from `virsh net-dumpxml` (fixture: libvirt 9.0.0, the isolated
 * TFTP network pxe.int.test.ts made), and the isolated network's XML.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { networkXml } from '../network-xml';
import { networkBootNote, parseNetworkBoot, pxeNetworkSpec, subnetTaken } from './pxe';
import type { Network } from '../../../shared/model/network';

const fixture = readFileSync(join(__dirname, 'fixtures', 'net-dumpxml-pxe.xml'), 'utf8');

describe('network boot on a libvirt network', () => {
  it('reads <tftp root> and <bootp file> from net-dumpxml: nothing to note', () => {
    const b = parseNetworkBoot(fixture);
    expect(b).toEqual({ tftpRoot: '/tmp/vd-netinst-pxe-uu1bf2/tftp root', bootFile: 'pxelinux.0', bootServer: null });
    expect(networkBootNote('pxe', b)).toBeNull();
  });

  it('notes a network without TFTP or a boot file; a bootp server elsewhere counts as TFTP', () => {
    const plain = fixture.replace(/\s*<tftp[^>]*\/>/, '').replace(/\s*<bootp[^>]*\/>/, '');
    expect(networkBootNote('lab', parseNetworkBoot(plain))).toBe('The network “lab” has no <tftp root> and no <bootp file>: the guest boots from the network only if another server on it answers PXE.');
    const server = fixture.replace(/\s*<tftp[^>]*\/>/, '').replace("<bootp file='pxelinux.0'/>", "<bootp file='pxelinux.0' server='10.0.0.5'/>");
    expect(networkBootNote('lab', parseNetworkBoot(server))).toBeNull();
  });

  it('the isolated network: no <forward>, DHCP .100–.200, TFTP folder and boot file escaped', () => {
    const xml = networkXml(pxeNetworkSpec({ name: `n'<&`, tftpRoot: `/srv/t'ft"p`, bootFile: 'pxelinux.0', address: '192.168.213.1' }), '5d7e57a1-9e7e-4e2e-8d0c-000000000213');
    expect(xml).not.toContain('<forward');
    expect(xml).toContain(`<name>n&apos;&lt;&amp;</name>`);
    expect(xml).toContain(`<tftp root='/srv/t&apos;ft&quot;p'/>`);
    expect(xml).toContain(`<range start='192.168.213.100' end='192.168.213.200'/>`);
    expect(xml).toContain(`<bootp file='pxelinux.0'/>`);
    expect(parseNetworkBoot(xml)).toMatchObject({ tftpRoot: `/srv/t'ft"p`, bootFile: 'pxelinux.0' });
  });

  it('a /24 already used by another network is found', () => {
    const nets = [{ name: 'default', ips: [{ family: 'ipv4', address: '192.168.122.1', prefix: 24, dhcpRanges: [], hosts: [] }] }] as unknown as Network[];
    expect(subnetTaken(nets, '192.168.122.254')?.name).toBe('default');
    expect(subnetTaken(nets, '192.168.213.1')).toBeUndefined();
  });
});
