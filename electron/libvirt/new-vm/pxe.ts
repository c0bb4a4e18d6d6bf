/**
 * Network boot (PXE) on libvirt networks: whether a network's dnsmasq serves TFTP and hands out
 * a boot file (<tftp root>, <dhcp><bootp file>: https://libvirt.org/formatnetwork.html#ip-addressing),
 * and an isolated network serving a folder of the host over TFTP.
 * dnsmasq drops to an unprivileged user (nobody / libvirt-dnsmasq) before serving TFTP, so the
 * folder and the files in it must be readable by everyone.
 */
import type { NetworkSpecValue, Network } from '../../../shared/model/network';
import type { HostConnection } from '../../hosts/host-connection';
import { attr, elementChildren, parseXml } from '../../xml/dom';
import { defineNetworkSteps, listNetworks } from '../networks';
import type { Step } from '../plan';
import { tryVirsh } from './media';

export interface NetworkBoot {
  tftpRoot: string | null;
  bootFile: string | null;
  /** A bootp server elsewhere (<bootp server=…>): TFTP is not this network's. */
  bootServer: string | null;
}

/** Parses `virsh net-dumpxml`: the TFTP root and BOOTP file of its IPv4 addresses. */
export function parseNetworkBoot(xml: string): NetworkBoot {
  const root = parseXml(xml).documentElement!;
  const out: NetworkBoot = { tftpRoot: null, bootFile: null, bootServer: null };
  for (const ip of elementChildren(root, 'ip')) {
    out.tftpRoot ??= attr(elementChildren(ip, 'tftp')[0], 'root') ?? null;
    const bootp = elementChildren(elementChildren(ip, 'dhcp')[0], 'bootp')[0];
    out.bootFile ??= attr(bootp, 'file') ?? null;
    out.bootServer ??= attr(bootp, 'server') ?? null;
  }
  return out;
}

/** What the wizard says about PXE on a network: null when it has both TFTP and a boot file (or a boot server). */
export function networkBootNote(name: string, b: NetworkBoot): string | null {
  if (b.bootFile && (b.tftpRoot || b.bootServer)) return null;
  const missing = [!b.tftpRoot && !b.bootServer ? 'no <tftp root>' : null, !b.bootFile ? 'no <bootp file>' : null].filter(Boolean).join(' and ');
  return `The network “${name}” has ${missing}: the guest boots from the network only if another server on it answers PXE.`;
}

export async function pxeNetworkNote(host: HostConnection, network: string): Promise<string | null> {
  const r = await tryVirsh(host, ['net-dumpxml', '--network', network]);
  if (!r.ok) return null; // a missing network is planning's own problem
  return networkBootNote(network, parseNetworkBoot(r.stdout));
}

export interface PxeNetworkArgs {
  name: string;
  tftpRoot: string;
  bootFile: string;
  /** The host's address on the network, /24: e.g. 192.168.213.1. */
  address: string;
}

/** The isolated network's spec: no <forward>, DHCP .100–.200 of the /24, TFTP from the folder. */
export function pxeNetworkSpec(a: PxeNetworkArgs): NetworkSpecValue {
  const net = a.address.split('.').slice(0, 3).join('.');
  return {
    name: a.name,
    mode: 'isolated',
    ipv4: { address: a.address, prefix: 24, dhcp: { start: `${net}.100`, end: `${net}.200` }, hosts: [], tftp: { root: a.tftpRoot, bootFile: a.bootFile } },
  };
}

/** An IPv4 /24 of `address` that another network of the host already uses. */
export function subnetTaken(networks: readonly Network[], address: string): Network | undefined {
  const net = (ip: string) => ip.split('.').slice(0, 3).join('.');
  return networks.find((n) => n.ips.some((ip) => ip.family === 'ipv4' && net(ip.address) === net(address)));
}

/** Checks before the network is made (nothing is changed): name and subnet free, the folder readable by dnsmasq. */
export async function pxeNetworkProblems(host: HostConnection, a: PxeNetworkArgs): Promise<string[]> {
  const problems: string[] = [];
  const networks = await listNetworks(host);
  if (networks.some((n) => n.name === a.name)) problems.push(`A network named “${a.name}” already exists on this host.`);
  const taken = subnetTaken(networks, a.address);
  if (taken) problems.push(`The network “${taken.name}” already uses ${a.address.split('.').slice(0, 3).join('.')}.0/24: choose another address.`);
  // `stat` on the host: the folder's mode and the boot file's, as the dnsmasq user will see them.
  const st = await host.run(['stat', '-L', '-c', '%F|%A', '--', a.tftpRoot, `${a.tftpRoot.replace(/\/+$/, '')}/${a.bootFile}`], { allowFailure: true });
  const [dir, file] = st.stdout.split('\n');
  if (!dir || !dir.startsWith('directory|')) problems.push(`There is no folder ${a.tftpRoot} on the host.`);
  else if (!/^.......r.x/.test(dir.split('|')[1] ?? '')) problems.push(`dnsmasq serves TFTP as an unprivileged user: ${a.tftpRoot} must be readable by everyone (chmod o+rx).`);
  else if (!file) problems.push(`The folder has no ${a.bootFile}.`);
  else if (!/^.......r/.test(file.split('|')[1] ?? '')) problems.push(`${a.bootFile} must be readable by everyone (chmod o+r).`);
  return problems;
}

/** net-define (with --validate) and net-start, as the Networks page makes them; the UUID is fixed by the caller for preview = run. */
export function pxeNetworkSteps(a: PxeNetworkArgs, uuid?: string): { uuid: string; steps: Step[] } {
  return defineNetworkSteps({ uuid, spec: pxeNetworkSpec(a), start: true, autostart: false });
}
