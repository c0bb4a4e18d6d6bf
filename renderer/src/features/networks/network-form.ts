/**
 * The "new virtual network" form: mode, bridge, IPv4/IPv6 with DHCP ranges, static hosts and
 * a DNS domain, turned into a NetworkSpec (validated by the backend's own schema). Pure.
 */
import { NetworkSpec, type NetworkMode } from '../../../../shared/model/network';

export interface NetworkForm {
  name: string;
  mode: NetworkMode;
  bridgeName: string;
  forwardDev: string;
  ipv4: boolean;
  ipv4Address: string;
  ipv4Prefix: string;
  dhcp4: boolean;
  dhcp4Start: string;
  dhcp4End: string;
  /** One "MAC IP [name]" per line. */
  hosts: string;
  ipv6: boolean;
  ipv6Address: string;
  ipv6Prefix: string;
  dhcp6: boolean;
  dhcp6Start: string;
  dhcp6End: string;
  domainName: string;
}

export const emptyNetworkForm: NetworkForm = {
  name: '',
  mode: 'nat',
  bridgeName: '',
  forwardDev: '',
  ipv4: true,
  ipv4Address: '192.168.100.1',
  ipv4Prefix: '24',
  dhcp4: true,
  dhcp4Start: '192.168.100.128',
  dhcp4End: '192.168.100.254',
  hosts: '',
  ipv6: false,
  ipv6Address: 'fd00:100::1',
  ipv6Prefix: '64',
  dhcp6: false,
  dhcp6Start: 'fd00:100::100',
  dhcp6End: 'fd00:100::1ff',
  domainName: '',
};

export type NetworkFormField = keyof NetworkForm;
export type NetworkFormErrors = Partial<Record<NetworkFormField, 'required' | 'invalid'>>;

/** Whether the mode has addresses of its own (an existing host bridge does not). */
export const hasAddresses = (mode: NetworkMode) => mode !== 'bridge';

function parseHosts(text: string): { mac: string; ip: string; name?: string }[] | null {
  const out: { mac: string; ip: string; name?: string }[] = [];
  for (const line of text.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const [mac, ip, name, ...rest] = line.split(/\s+/);
    if (!mac || !ip || rest.length > 0) return null;
    out.push({ mac, ip, ...(name ? { name } : {}) });
  }
  return out;
}

const FIELD_OF: Record<string, NetworkFormField> = { name: 'name', mode: 'mode', bridgeName: 'bridgeName', forwardDev: 'forwardDev', domainName: 'domainName' };
const V4: Record<string, NetworkFormField> = { address: 'ipv4Address', prefix: 'ipv4Prefix', start: 'dhcp4Start', end: 'dhcp4End', hosts: 'hosts', mac: 'hosts', ip: 'hosts', name: 'hosts' };
const V6: Record<string, NetworkFormField> = { address: 'ipv6Address', prefix: 'ipv6Prefix', start: 'dhcp6Start', end: 'dhcp6End' };

export function validateNetworkForm(f: NetworkForm): { spec: NetworkSpec; errors: null } | { spec: null; errors: NetworkFormErrors } {
  const errors: NetworkFormErrors = {};
  if (f.name.trim() === '') errors.name = 'required';
  if (f.mode === 'bridge' && f.bridgeName.trim() === '') errors.bridgeName = 'required';
  const addr = hasAddresses(f.mode);
  const hosts = parseHosts(f.hosts);
  if (addr && f.ipv4 && hosts === null) errors.hosts = 'invalid';
  const opt = (s: string) => (s.trim() === '' ? undefined : s.trim());
  const candidate = {
    name: f.name,
    mode: f.mode,
    bridgeName: opt(f.bridgeName),
    forwardDev: f.mode === 'nat' || f.mode === 'route' ? opt(f.forwardDev) : undefined,
    ipv4:
      addr && f.ipv4
        ? { address: f.ipv4Address.trim(), prefix: Number(f.ipv4Prefix), dhcp: f.dhcp4 ? { start: f.dhcp4Start.trim(), end: f.dhcp4End.trim() } : undefined, hosts: hosts ?? [] }
        : undefined,
    ipv6: addr && f.ipv6 ? { address: f.ipv6Address.trim(), prefix: Number(f.ipv6Prefix), dhcp: f.dhcp6 ? { start: f.dhcp6Start.trim(), end: f.dhcp6End.trim() } : undefined } : undefined,
    domainName: addr ? opt(f.domainName) : undefined,
  };
  const parsed = NetworkSpec.safeParse(candidate);
  if (!parsed.success)
    for (const issue of parsed.error.issues) {
      const [top, ...rest] = issue.path.map(String);
      const map = top === 'ipv4' ? V4 : top === 'ipv6' ? V6 : FIELD_OF;
      const key = top === 'ipv4' || top === 'ipv6' ? [...rest].reverse().find((p) => Object.hasOwn(map, p)) : top;
      const field = key === undefined ? undefined : map[key];
      if (field && !errors[field]) errors[field] = 'invalid';
    }
  if (!parsed.success || Object.keys(errors).length > 0) return { spec: null, errors: Object.keys(errors).length > 0 ? errors : { name: 'invalid' } };
  return { spec: parsed.data, errors: null };
}
