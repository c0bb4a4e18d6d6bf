/**
 * Does a PCI network card carry Virtdeck's own connection to its host? Over SSH: the interface of
 * the host's route back to the SSH client (the client's address as the host sees it, from
 * `$SSH_CONNECTION`); locally: the default route's. Detaching that card from the host cuts
 * Virtdeck off (https://libvirt.org/manpages/virsh.html#nodedev-detach).
 */
import type { HostConnection } from '../hosts/host-connection';

/** The `dev` of the first route in `ip -j route get ADDR` or `ip -j route show default` output (iproute2 ≥ 4.13). */
export function routeInterface(ipJson: string): string | null {
  try {
    const routes: unknown = JSON.parse(ipJson);
    const first = Array.isArray(routes) ? (routes[0] as { dev?: unknown } | undefined) : undefined;
    return typeof first?.dev === 'string' && first.dev ? first.dev : null;
  } catch {
    return null;
  }
}

/** The client address of `$SSH_CONNECTION` ("client_ip client_port server_ip server_port"), or null. */
export function sshClientAddress(sshConnection: string): string | null {
  const ip = sshConnection.trim().split(/\s+/)[0] ?? '';
  // Only an address goes on ip's command line: IPv4 or IPv6 characters, nothing else.
  return /^[0-9A-Fa-f:.]{2,45}$/.test(ip) ? ip : null;
}

/** The card's interface that carries the route, or null when none of its interfaces does. */
export function carryingInterface(nicInterfaces: readonly string[], routeDev: string | null): string | null {
  return routeDev !== null && nicInterfaces.includes(routeDev) ? routeDev : null;
}

const PCI_ADDRESS = /^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/;

/** Interface names of a PCI device (`/sys/bus/pci/devices/ADDR/net/`); none for other devices. */
async function pciInterfaces(host: HostConnection, address: string): Promise<string[]> {
  if (!PCI_ADDRESS.test(address)) return [];
  const r = await host.run(['ls', '-1', `/sys/bus/pci/devices/${address}/net`]).catch(() => null);
  return (r?.stdout ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
}

/** The interface of the route Virtdeck's connection takes on the host, or null when unknown. */
export async function connectionRouteDev(host: HostConnection): Promise<string | null> {
  if (host.uri.remote) {
    // A constant script: the value is read on the host, never put into a command by us.
    const peer = sshClientAddress((await host.run(['sh', '-c', 'printf %s "$SSH_CONNECTION"'])).stdout);
    if (!peer) return null;
    return routeInterface((await host.run(['ip', '-j', 'route', 'get', peer])).stdout);
  }
  return routeInterface((await host.run(['ip', '-j', 'route', 'show', 'default'])).stdout);
}

/** Whether detaching this PCI device cuts the connection: the interface that would, or null. */
export async function deviceCarriesConnection(host: HostConnection, address: string): Promise<{ interfaces: string[]; carries: string | null }> {
  if (host.uri.driver === 'test') return { interfaces: [], carries: null };
  const interfaces = await pciInterfaces(host, address);
  if (interfaces.length === 0) return { interfaces, carries: null };
  return { interfaces, carries: carryingInterface(interfaces, await connectionRouteDev(host).catch(() => null)) };
}
