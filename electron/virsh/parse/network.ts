/**
 * Virtual networks and host interfaces as virsh 9.0 (and iproute2) print them: `net-info`,
 * `net-dumpxml`, `iface-dumpxml`, `ip -j -d addr`.
 * https://libvirt.org/formatnetwork.html, https://libvirt.org/formatnode.html (interfaces)
 */
import type { HostInterface, NetworkIp } from '../../../shared/model/network';
import { parseKeyValueTable } from './keyValue';
import { child, children, parseXml, textAt } from './xml';

export interface NetInfo {
  name: string;
  uuid: string;
  active: boolean;
  persistent: boolean;
  autostart: boolean;
  bridge: string | null;
}

/** `net-info NETWORK` (Name, UUID, Active, Persistent, Autostart, Bridge). */
export function parseNetInfo(out: string): NetInfo {
  const t = parseKeyValueTable(out);
  if (t['Name'] === undefined || t['UUID'] === undefined) throw new Error("unexpected 'net-info' output: no Name/UUID line");
  const bridge = t['Bridge']?.trim();
  return {
    name: t['Name'],
    uuid: t['UUID'].trim().toLowerCase(),
    active: t['Active']?.trim() === 'yes',
    persistent: t['Persistent']?.trim() === 'yes',
    autostart: t['Autostart']?.trim() === 'yes',
    bridge: bridge ? bridge : null,
  };
}

export interface NetworkXml {
  name: string;
  uuid: string | null;
  /** No <forward> means an isolated network; <forward/> without mode means NAT (libvirt's default). */
  forwardMode: string;
  forwardDev: string | null;
  bridge: string | null;
  domainName: string | null;
  ips: NetworkIp[];
}

/** Dotted netmask → prefix length (libvirt accepts netmask= as well as prefix= on IPv4). */
function netmaskPrefix(mask: string): number | null {
  const parts = mask.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !(p >= 0 && p <= 255))) return null;
  const bits = parts.map((p) => p.toString(2).padStart(8, '0')).join('');
  if (!/^1*0*$/.test(bits)) return null;
  const firstZero = bits.indexOf('0');
  return firstZero < 0 ? 32 : firstZero;
}

export function parseNetworkXml(xml: string): NetworkXml {
  const net = parseXml(xml);
  if (net.name !== 'network') throw new Error(`expected <network>, got <${net.name}>`);
  const forward = child(net, 'forward');
  return {
    name: textAt(net, 'name') ?? '',
    uuid: textAt(net, 'uuid')?.trim().toLowerCase() ?? null,
    forwardMode: forward ? (forward.attrs['mode'] ?? 'nat') : 'isolated',
    forwardDev: forward?.attrs['dev'] ?? null,
    bridge: child(net, 'bridge')?.attrs['name'] ?? null,
    domainName: child(net, 'domain')?.attrs['name'] ?? null,
    ips: children(net, 'ip').map((ip): NetworkIp => {
      const family = ip.attrs['family'] === 'ipv6' || (ip.attrs['address'] ?? '').includes(':') ? 'ipv6' : 'ipv4';
      const prefix = ip.attrs['prefix'] !== undefined ? Number(ip.attrs['prefix']) : ip.attrs['netmask'] ? netmaskPrefix(ip.attrs['netmask']) : null;
      const dhcp = child(ip, 'dhcp');
      return {
        family,
        address: ip.attrs['address'] ?? '',
        prefix: prefix !== null && Number.isInteger(prefix) ? prefix : null,
        dhcpRanges: children(dhcp, 'range').map((r) => ({ start: r.attrs['start'] ?? '', end: r.attrs['end'] ?? '' })),
        hosts: children(dhcp, 'host').map((h) => ({
          ...(h.attrs['mac'] !== undefined ? { mac: h.attrs['mac'] } : {}),
          ...(h.attrs['name'] !== undefined ? { name: h.attrs['name'] } : {}),
          ip: h.attrs['ip'] ?? '',
        })),
      };
    }),
  };
}

/** `iface-dumpxml IFACE`: the type (ethernet, bridge, bond, vlan) and any addresses it lists. */
export function parseIfaceXml(xml: string): { type: string | null; mac: string | null; addresses: string[] } {
  const iface = parseXml(xml);
  const addresses = children(iface, 'protocol').flatMap((p) =>
    children(p, 'ip').map((ip) => (ip.attrs['prefix'] ? `${ip.attrs['address']}/${ip.attrs['prefix']}` : (ip.attrs['address'] ?? ''))),
  );
  return { type: iface.attrs['type'] ?? null, mac: child(iface, 'mac')?.attrs['address'] ?? null, addresses: addresses.filter(Boolean) };
}

/**
 * `ip -j -d addr` (iproute2's JSON): what to show when libvirt has no interface driver.
 * linkinfo.info_kind says bridge/bond/vlan/veth; plain NICs have none.
 */
export function parseIpAddrJson(json: string): HostInterface[] {
  const data: unknown = JSON.parse(json);
  if (!Array.isArray(data)) throw new Error('ip -j addr did not print a JSON array');
  return data.map((raw): HostInterface => {
    const o = raw as Record<string, unknown>;
    const linkinfo = o['linkinfo'] as Record<string, unknown> | undefined;
    const kind = typeof linkinfo?.['info_kind'] === 'string' ? linkinfo['info_kind'] : null;
    const linkType = typeof o['link_type'] === 'string' ? o['link_type'] : null;
    const flags = Array.isArray(o['flags']) ? (o['flags'] as unknown[]) : [];
    const addrs = Array.isArray(o['addr_info']) ? (o['addr_info'] as Array<Record<string, unknown>>) : [];
    return {
      name: String(o['ifname'] ?? ''),
      type: kind ?? (linkType === 'ether' ? 'ethernet' : linkType),
      active: flags.includes('UP'),
      mac: typeof o['address'] === 'string' ? o['address'] : null,
      addresses: addrs.filter((a) => typeof a['local'] === 'string').map((a) => `${a['local']}/${a['prefixlen']}`),
    };
  });
}
