/**
 * Virtual networks and host interfaces as virsh 9.0 (and iproute2) print them: `net-info`,
 * `net-dumpxml`, `iface-dumpxml`, `ip -j -d addr`.
 * https://libvirt.org/formatnetwork.html, https://libvirt.org/formatnode.html (interfaces)
 */
import type { HostInterface, NetworkIp } from '../../../shared/model/network';
import { parseKeyValueTable } from './keyValue';
import { attr, child, elementChildren as children, parseXml, textAt } from '../../xml/dom';

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
  const net = parseXml(xml).documentElement!;
  if (net.tagName !== 'network') throw new Error(`expected <network>, got <${net.tagName}>`);
  const forward = child(net, 'forward');
  return {
    name: textAt(net, 'name') ?? '',
    uuid: textAt(net, 'uuid')?.trim().toLowerCase() ?? null,
    forwardMode: forward ? (attr(forward, 'mode') ?? 'nat') : 'isolated',
    forwardDev: attr(forward, 'dev') ?? null,
    bridge: attr(child(net, 'bridge'), 'name') ?? null,
    domainName: attr(child(net, 'domain'), 'name') ?? null,
    ips: children(net, 'ip').map((ip): NetworkIp => {
      const family = attr(ip, 'family') === 'ipv6' || (attr(ip, 'address') ?? '').includes(':') ? 'ipv6' : 'ipv4';
      const prefix = attr(ip, 'prefix') !== undefined ? Number(attr(ip, 'prefix')) : attr(ip, 'netmask') ? netmaskPrefix(attr(ip, 'netmask')!) : null;
      const dhcp = child(ip, 'dhcp');
      return {
        family,
        address: attr(ip, 'address') ?? '',
        prefix: prefix !== null && Number.isInteger(prefix) ? prefix : null,
        dhcpRanges: children(dhcp, 'range').map((r) => ({ start: attr(r, 'start') ?? '', end: attr(r, 'end') ?? '' })),
        hosts: children(dhcp, 'host').map((h) => ({
          ...(attr(h, 'mac') !== undefined ? { mac: attr(h, 'mac') } : {}),
          ...(attr(h, 'name') !== undefined ? { name: attr(h, 'name') } : {}),
          ip: attr(h, 'ip') ?? '',
        })),
      };
    }),
  };
}

/** `iface-dumpxml IFACE`: the type (ethernet, bridge, bond, vlan) and any addresses it lists. */
export function parseIfaceXml(xml: string): { type: string | null; mac: string | null; addresses: string[] } {
  const iface = parseXml(xml).documentElement!;
  const addresses = children(iface, 'protocol').flatMap((p) =>
    children(p, 'ip').map((ip) => (attr(ip, 'prefix') ? `${attr(ip, 'address')}/${attr(ip, 'prefix')}` : (attr(ip, 'address') ?? ''))),
  );
  return { type: attr(iface, 'type') ?? null, mac: attr(child(iface, 'mac'), 'address') ?? null, addresses: addresses.filter(Boolean) };
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
