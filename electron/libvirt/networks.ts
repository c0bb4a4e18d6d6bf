/**
 * Virtual networks: the list (with DHCP leases and attached VMs), the steps of every network
 * action, and the host's interfaces. Networks are addressed by UUID.
 * https://libvirt.org/manpages/virsh.html#network-commands
 */
import { randomUUID } from 'node:crypto';
import type { NetworkAction } from '../../shared/api/networks';
import { AppError } from '../../shared/errors';
import type { HostInterface, HostInterfaces, Network, NetworkSpecValue } from '../../shared/model/network';
import type { HostConnection } from '../hosts/host-connection';
import { parseUuidList } from '../virsh/parse';
import { parseIfaceXml, parseIpAddrJson, parseNetInfo, parseNetworkXml } from '../virsh/parse/network';
import { parseDhcpLeases, parseIfaceList } from '../virsh/parse/vsh-table';
import { networkXml } from './network-xml';
import { PartialRead } from './partial-read';
import type { Step } from './plan';
import { interfaceUsers } from './usage';

export async function listNetworks(host: HostConnection): Promise<Network[]> {
  const [list, ifaces] = await Promise.all([host.run(['virsh', 'net-list', '--all', '--uuid']), interfaceUsers(host)]);
  const nets = await Promise.all(parseUuidList(list.stdout).map((uuid) => readNetwork(host, uuid, ifaces)));
  return nets.filter((n): n is Network => n !== null).sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * One network; null when it no longer exists. A network Virtdeck cannot fully read (a command
 * fails, output it cannot parse) is listed with what is known and a note.
 */
async function readNetwork(host: HostConnection, uuid: string, ifaces: Awaited<ReturnType<typeof interfaceUsers>>): Promise<Network | null> {
  const reader = new PartialRead(host);
  const { problems } = reader;
  const read = <T>(argv: string[], parse: (out: string) => T) => reader.read(argv, parse);
  const [i, x] = await Promise.all([read(['net-info', '--network', uuid], parseNetInfo), read(['net-dumpxml', '--network', uuid], parseNetworkXml)]);
  if (reader.gone) return null; // undefined between the calls
  // Only a running network has a dnsmasq; drivers without leases (test) report "not supported".
  const leases = i?.active
    ? await host.run(['virsh', 'net-dhcp-leases', '--network', uuid]).then(
        (o) => parseDhcpLeases(o.stdout),
        () => [],
      )
    : [];
  const name = x?.name || i?.name || uuid;
  const bridge = i?.bridge ?? x?.bridge ?? null;
  const attached = ifaces
    .filter((u) => (u.type === 'network' && u.source === name) || (u.type === 'bridge' && bridge !== null && u.source === bridge))
    .map((u) => ({ uuid: u.uuid, name: u.name, mac: u.mac }));
  const net: Network = {
    uuid,
    name,
    active: i?.active ?? false,
    persistent: i?.persistent ?? false,
    autostart: i?.autostart ?? false,
    bridge,
    forwardMode: x?.forwardMode ?? '',
    forwardDev: x?.forwardDev ?? null,
    domainName: x?.domainName ?? null,
    ips: x?.ips ?? [],
    leases,
    attached,
  };
  if (problems.length > 0) net.problems = problems;
  return net;
}

export interface DefineNetworkArgs {
  uuid?: string | undefined;
  spec: NetworkSpecValue;
  start: boolean;
  autostart: boolean;
}

export function defineNetworkSteps(args: DefineNetworkArgs): { uuid: string; steps: Step[] } {
  const uuid = (args.uuid ?? randomUUID()).toLowerCase();
  const steps: Step[] = [{ argv: ['net-define', '--file', '/dev/stdin', '--validate'], stdin: networkXml(args.spec, uuid) }];
  if (args.start) steps.push({ argv: ['net-start', '--network', uuid] });
  if (args.autostart) steps.push({ argv: ['net-autostart', '--network', uuid] });
  return { uuid, steps };
}

export function networkActionSteps(uuid: string, action: NetworkAction): Step[] {
  switch (action) {
    case 'start':
      return [{ argv: ['net-start', '--network', uuid] }];
    case 'stop':
      // net-destroy stops it; the definition stays (https://libvirt.org/manpages/virsh.html#net-destroy).
      return [{ argv: ['net-destroy', '--network', uuid] }];
    case 'autostart':
      return [{ argv: ['net-autostart', '--network', uuid] }];
    case 'noautostart':
      return [{ argv: ['net-autostart', '--network', uuid, '--disable'] }];
    case 'undefine':
      return [{ argv: ['net-undefine', '--network', uuid] }];
  }
}

/**
 * Host interfaces from libvirt's interface driver (`iface-list --all` + `iface-dumpxml` for the
 * type); when that driver is missing (modular daemons without virtinterfaced, some distros),
 * from `ip -j -d addr` run on the host.
 */
export async function hostInterfaces(host: HostConnection): Promise<HostInterfaces> {
  let rows;
  try {
    rows = parseIfaceList((await host.run(['virsh', 'iface-list', '--all'])).stdout);
  } catch (e) {
    const err = AppError.from(e);
    if (err.code !== 'virsh' && err.code !== 'not_found') throw err;
    return ipInterfaces(host, err.message);
  }
  const interfaces = await Promise.all(
    rows.map(async (row): Promise<HostInterface> => {
      const x = await host.run(['virsh', 'iface-dumpxml', '--interface', row.name]).then(
        (o) => parseIfaceXml(o.stdout),
        () => null,
      );
      return { name: row.name, type: x?.type ?? null, active: row.active, mac: row.mac ?? x?.mac ?? null, addresses: x?.addresses ?? [] };
    }),
  );
  return { source: 'libvirt', interfaces };
}

async function ipInterfaces(host: HostConnection, why: string): Promise<HostInterfaces> {
  const res = await host.run(['ip', '-j', '-d', 'addr'], { allowFailure: true });
  if (res.code !== 0) throw new AppError('unsupported', `libvirt lists no interfaces (${why}) and \`ip -j addr\` failed on the host: ${res.stderr.trim()}`);
  return { source: 'ip', interfaces: parseIpAddrJson(res.stdout) };
}
