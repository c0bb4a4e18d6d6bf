/**
 * Network XML from the "new network" form, per https://libvirt.org/formatnetwork.html:
 * NAT / routed / open networks forward through the host; isolated ones have no <forward>;
 * "existing host bridge" networks only name the bridge (<forward mode='bridge'/>) and leave
 * addresses to the LAN. Every value is escaped.
 */
import type { NetworkSpec } from '../../shared/model/network';
import { xmlEscape as x } from '../xml/dom';

export function networkXml(spec: NetworkSpec, uuid: string): string {
  const lines = [`<network>`, `  <name>${x(spec.name)}</name>`, `  <uuid>${x(uuid)}</uuid>`];
  if (spec.mode === 'bridge') {
    lines.push(`  <forward mode='bridge'/>`, `  <bridge name='${x(spec.bridgeName ?? '')}'/>`);
    return [...lines, `</network>`, ''].join('\n');
  }
  if (spec.mode !== 'isolated') lines.push(`  <forward mode='${spec.mode}'${spec.forwardDev ? ` dev='${x(spec.forwardDev)}'` : ''}/>`);
  lines.push(`  <bridge${spec.bridgeName ? ` name='${x(spec.bridgeName)}'` : ''} stp='on' delay='0'/>`);
  // localOnly: names in this domain are answered by the network's dnsmasq, never forwarded upstream.
  if (spec.domainName) lines.push(`  <domain name='${x(spec.domainName)}' localOnly='yes'/>`);
  if (spec.ipv4) {
    const { address, prefix, dhcp, hosts = [], tftp } = spec.ipv4;
    lines.push(`  <ip address='${x(address)}' prefix='${prefix}'>`);
    if (tftp) lines.push(`    <tftp root='${x(tftp.root)}'/>`);
    if (dhcp || hosts.length > 0) {
      lines.push(`    <dhcp>`);
      if (dhcp) lines.push(`      <range start='${x(dhcp.start)}' end='${x(dhcp.end)}'/>`);
      for (const h of hosts) lines.push(`      <host mac='${x(h.mac)}'${h.name ? ` name='${x(h.name)}'` : ''} ip='${x(h.ip)}'/>`);
      if (tftp) lines.push(`      <bootp file='${x(tftp.bootFile ?? 'pxelinux.0')}'/>`);
      lines.push(`    </dhcp>`);
    }
    lines.push(`  </ip>`);
  }
  if (spec.ipv6) {
    const { address, prefix, dhcp } = spec.ipv6;
    lines.push(`  <ip family='ipv6' address='${x(address)}' prefix='${prefix}'>`);
    if (dhcp) lines.push(`    <dhcp>`, `      <range start='${x(dhcp.start)}' end='${x(dhcp.end)}'/>`, `    </dhcp>`);
    lines.push(`  </ip>`);
  }
  return [...lines, `</network>`, ''].join('\n');
}
