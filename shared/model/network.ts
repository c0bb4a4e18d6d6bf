import { z } from 'zod';
import { DomainUuid } from './domain';
import { lenientList, Problems } from './lenient';
import { ObjectName, ObjectUuid } from './storage';

export const DhcpRange = z.object({ start: z.string(), end: z.string() });
export type DhcpRange = z.infer<typeof DhcpRange>;

export const StaticHost = z.object({ mac: z.string().optional(), name: z.string().optional(), ip: z.string() });
export type StaticHost = z.infer<typeof StaticHost>;

export const NetworkIp = z.object({
  family: z.enum(['ipv4', 'ipv6']),
  address: z.string(),
  prefix: z.number().int().nullable(),
  dhcpRanges: z.array(DhcpRange),
  hosts: z.array(StaticHost),
});
export type NetworkIp = z.infer<typeof NetworkIp>;

/** One row of `net-dhcp-leases` (https://libvirt.org/manpages/virsh.html#net-dhcp-leases). */
export const DhcpLease = z.object({
  /** As virsh prints it: "2100-01-01 00:00:00", host local time. */
  expiry: z.string(),
  mac: z.string(),
  protocol: z.enum(['ipv4', 'ipv6']),
  address: z.string(),
  prefix: z.number().int().nullable(),
  hostname: z.string().nullable(),
  clientId: z.string().nullable(),
});
export type DhcpLease = z.infer<typeof DhcpLease>;

/** A VM with an interface on the network (from each VM's `domiflist`). */
export const AttachedVm = z.object({ uuid: DomainUuid, name: z.string(), mac: z.string().nullable() });
export type AttachedVm = z.infer<typeof AttachedVm>;

export const Network = z.object({
  uuid: ObjectUuid,
  name: z.string(),
  active: z.boolean(),
  persistent: z.boolean(),
  autostart: z.boolean(),
  bridge: z.string().nullable(),
  /** nat, route, open, bridge, passthrough… or 'isolated' when the XML has no <forward>. */
  forwardMode: z.string(),
  forwardDev: z.string().nullable(),
  domainName: z.string().nullable(),
  ips: z.array(NetworkIp),
  /** Only active networks have leases; [] otherwise. */
  leases: z.array(DhcpLease),
  attached: z.array(AttachedVm),
  problems: Problems,
});
export type Network = z.infer<typeof Network>;
export const NetworkList = lenientList(Network, { active: false, persistent: false, autostart: false, bridge: null, forwardMode: '', forwardDev: null, domainName: null, ips: [], leases: [], attached: [] });

const Ipv4 = z.string().regex(/^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/, 'an IPv4 address');
const Ipv6 = z.string().min(2).max(45).regex(/^[0-9A-Fa-f:.]+$/, 'an IPv6 address').refine((s) => s.includes(':'), 'an IPv6 address');
const Mac = z.string().regex(/^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$/, 'a MAC address like 52:54:00:12:34:56');
/** Linux interface names: at most 15 bytes, no '/', blanks or ':'. */
export const IfaceName = z.string().min(1).max(15).regex(/^[A-Za-z0-9_.\-]+$/, 'an interface name like br0');
/** DNS names: letters, digits, '-' and dots. */
const DnsName = z.string().min(1).max(253).regex(/^[A-Za-z0-9]([A-Za-z0-9\-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9\-]*[A-Za-z0-9])?)*$/, 'a DNS name like lab.example');

export const NetworkMode = z.enum(['nat', 'route', 'isolated', 'open', 'bridge']);
export type NetworkMode = z.infer<typeof NetworkMode>;

/**
 * The "new network" form (https://libvirt.org/formatnetwork.html). 'bridge' uses an existing
 * host bridge (no addresses, no DHCP: the LAN provides them); the others get a libvirt bridge.
 */
export const NetworkSpec = z
  .object({
    name: ObjectName,
    mode: NetworkMode,
    /** Required for 'bridge' (the host bridge); optional otherwise (libvirt picks virbrN). */
    bridgeName: IfaceName.optional(),
    /** nat/route: only forward through this host interface. */
    forwardDev: IfaceName.optional(),
    ipv4: z
      .object({
        address: Ipv4,
        prefix: z.number().int().min(8).max(30),
        dhcp: z.object({ start: Ipv4, end: Ipv4 }).optional(),
        hosts: z.array(z.object({ mac: Mac, name: DnsName.optional(), ip: Ipv4 })).max(256).default([]),
        /**
         * Network boot (PXE): dnsmasq's TFTP server on this folder of the host, and the boot file
         * DHCP hands out (<tftp root>, <bootp file>: https://libvirt.org/formatnetwork.html#ip-addressing).
         */
        tftp: z
          .object({
            root: z.string().min(2).max(4096).refine((p) => p.startsWith('/') && !/[\0\n]/.test(p), 'an absolute folder on the host'),
            bootFile: z.string().min(1).max(255).regex(/^[A-Za-z0-9_.\-/]+$/, 'a file name like pxelinux.0').default('pxelinux.0'),
          })
          .optional(),
      })
      .optional(),
    ipv6: z
      .object({
        address: Ipv6,
        prefix: z.number().int().min(8).max(128),
        dhcp: z.object({ start: Ipv6, end: Ipv6 }).optional(),
      })
      .optional(),
    domainName: DnsName.optional(),
  })
  .refine((s) => s.mode !== 'bridge' || s.bridgeName !== undefined, { message: 'choose the host bridge', path: ['bridgeName'] })
  .refine((s) => s.mode !== 'bridge' || (!s.ipv4 && !s.ipv6 && !s.domainName), {
    message: 'a network on an existing host bridge has no addresses of its own',
    path: ['mode'],
  });
export type NetworkSpec = z.input<typeof NetworkSpec>;
/** After validation (defaults applied), as the backend sees it. */
export type NetworkSpecValue = z.output<typeof NetworkSpec>;

/** A host network interface, read-only, so users can pick a bridge. */
export const HostInterface = z.object({
  name: z.string(),
  /** ethernet, bridge, bond, vlan, loopback… when known. */
  type: z.string().nullable(),
  active: z.boolean().nullable(),
  mac: z.string().nullable(),
  addresses: z.array(z.string()),
});
export type HostInterface = z.infer<typeof HostInterface>;

export const HostInterfaces = z.object({
  /** Where the list came from: libvirt's interface driver, or `ip -j addr` when that is absent. */
  source: z.enum(['libvirt', 'ip']),
  interfaces: z.array(HostInterface),
});
export type HostInterfaces = z.infer<typeof HostInterfaces>;
