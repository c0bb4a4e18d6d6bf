/**
 * What the host offers a new VM: domain types, machine types and the firmware of EACH machine
 * type (pc and q35 differ: OVMF's Secure Boot builds need SMM, which only q35 has), CPU modes,
 * pools with free space, networks, bridges. From `virsh capabilities`, `virsh domcapabilities
 * --machine M` (https://libvirt.org/formatdomaincaps.html), pool/net lists and the interfaces.
 */
import type { DomainType, Firmware, MachineInfo, NewVmCapabilities } from '../../../shared/model/newvm';
import type { HostConnection } from '../../hosts/host-connection';
import { attr, child, elementChildren, parseXml, path, text, type Element } from '../../xml/dom';
import { listNetworks, hostInterfaces } from '../networks';
import { listPools } from '../pools';
import { tryVirsh } from './media';

/** The machine types the wizard offers: the two PC families' aliases (others via "customize"). */
const OFFERED = ['q35', 'pc'];

export interface DomCaps {
  firmware: Firmware[];
  secureBootOn: boolean;
  secureBootOff: boolean;
  cpuModes: string[];
  /** Device models domcapabilities reports (disk buses, video models…). */
  diskBuses: string[];
  tpm: boolean;
}

/** Parses `virsh domcapabilities` output. */
export function parseDomCaps(xml: string): DomCaps {
  const root = parseXml(xml).documentElement!;
  const os = child(root, 'os');
  const enumValues = (el: Element | undefined, name: string) =>
    elementChildren(el, 'enum').filter((e) => attr(e, 'name') === name).flatMap((e) => elementChildren(e, 'value').map((v) => text(v)?.trim() ?? ''));
  const fw = enumValues(os, 'firmware');
  const loader = child(os, 'loader');
  const loaders = elementChildren(loader, 'value').map((v) => text(v)?.trim() ?? '');
  const secure = enumValues(loader, 'secure');
  // libvirt 9.0 lists 'efi' in the firmware enum only when a firmware descriptor matches; BIOS
  // (SeaBIOS) is built into QEMU for x86. Secure Boot needs a secure-capable loader.
  const efi = fw.includes('efi') || loaders.some((l) => /OVMF|edk2/i.test(l));
  const secureBuilds = loaders.filter((l) => /secboot|\.ms\./i.test(l));
  const devices = child(root, 'devices');
  return {
    firmware: ['bios', ...(efi ? (['efi'] as const) : [])],
    secureBootOn: efi && secure.includes('yes') && secureBuilds.length > 0,
    secureBootOff: efi && (secure.length === 0 || secure.includes('no')) && loaders.some((l) => !/secboot|\.ms\./i.test(l)),
    cpuModes: elementChildren(child(root, 'cpu'), 'mode').filter((m) => attr(m, 'supported') === 'yes').map((m) => attr(m, 'name') ?? ''),
    diskBuses: enumValues(child(devices, 'disk'), 'bus'),
    tpm: attr(child(devices, 'tpm'), 'supported') === 'yes',
  };
}

export interface HostCaps {
  arch: string;
  domainTypes: DomainType[];
  machines: { name: string; canonical: string | null }[];
  defaultMachine: string | null;
}

/** Parses `virsh capabilities`: the x86_64 (or host arch) hvm guest's domain types and machine aliases. */
export function parseCapabilities(xml: string): HostCaps {
  const root = parseXml(xml).documentElement!;
  const hostArch = text(path(root, 'host/cpu/arch'))?.trim() ?? 'x86_64';
  const guest = elementChildren(root, 'guest').find((g) => text(child(g, 'os_type'))?.trim() === 'hvm' && attr(child(g, 'arch'), 'name') === hostArch);
  const arch = child(guest, 'arch');
  const types = elementChildren(arch, 'domain').map((d) => attr(d, 'type')).filter((t): t is DomainType => t === 'kvm' || t === 'qemu');
  const machines = elementChildren(arch, 'machine').map((m) => ({ name: text(m)?.trim() ?? '', canonical: attr(m, 'canonical') ?? null }));
  return { arch: hostArch, domainTypes: types, machines, defaultMachine: machines[0]?.name ?? null };
}

export async function domCaps(host: HostConnection, type: DomainType, arch: string, machine: string | null): Promise<DomCaps> {
  const argv = ['domcapabilities', '--virttype', type, '--arch', arch, ...(machine ? ['--machine', machine] : [])];
  return parseDomCaps((await host.run(['virsh', ...argv], { timeoutMs: 60_000 })).stdout);
}

/** kvm only when libvirt lists it AND can describe it (domcapabilities fails without a usable /dev/kvm). */
async function usableTypes(host: HostConnection, caps: HostCaps): Promise<DomainType[]> {
  const out: DomainType[] = [];
  for (const t of caps.domainTypes) {
    if (t === 'kvm') {
      if (!(await tryVirsh(host, ['domcapabilities', '--virttype', 'kvm', '--arch', caps.arch])).ok) continue;
    }
    out.push(t);
  }
  return out.length > 0 ? out : ['qemu'];
}

export async function hostCaps(host: HostConnection): Promise<HostCaps> {
  return parseCapabilities((await host.run(['virsh', 'capabilities'], { timeoutMs: 60_000 })).stdout);
}

export async function newVmCapabilities(host: HostConnection, osinfo: NewVmCapabilities['osinfo']): Promise<NewVmCapabilities> {
  const caps = await hostCaps(host);
  const [types, node, pools, networks, ifaces] = await Promise.all([
    usableTypes(host, caps),
    host.run(['virsh', 'nodeinfo']).then((r) => r.stdout),
    listPools(host),
    listNetworks(host),
    hostInterfaces(host).catch(() => ({ source: 'ip' as const, interfaces: [] })),
  ]);
  const defaultType: DomainType = types.includes('kvm') ? 'kvm' : 'qemu';
  const offered = OFFERED.filter((m) => caps.machines.some((x) => x.name === m));
  const perMachine = await Promise.all(offered.map((m) => domCaps(host, defaultType, caps.arch, m)));
  const machines: MachineInfo[] = offered.map((m, i) => ({
    name: m,
    canonical: caps.machines.find((x) => x.name === m)?.canonical ?? null,
    isDefault: m === caps.defaultMachine,
    firmware: perMachine[i]!.firmware,
    secureBootOff: perMachine[i]!.secureBootOff,
    secureBootOn: perMachine[i]!.secureBootOn,
  }));
  const cpus = /^CPU\(s\):\s+(\d+)/m.exec(node)?.[1];
  const mem = /^Memory size:\s+(\d+) KiB/m.exec(node)?.[1];
  return {
    arch: caps.arch,
    hostCpus: Number(cpus ?? 1),
    hostMemoryKiB: Number(mem ?? 0),
    domainTypes: types,
    defaultDomainType: defaultType,
    machines,
    cpuModes: perMachine[0]?.cpuModes ?? [],
    pools: pools.map((p) => ({ uuid: p.uuid, name: p.name, type: p.type, active: p.state === 'running', available: p.available, targetPath: p.targetPath })),
    networks: networks.map((n) => ({ uuid: n.uuid, name: n.name, active: n.active, bridge: n.bridge })),
    bridges: ifaces.interfaces.filter((i) => i.type === 'bridge').map((i) => i.name),
    interfaces: ifaces.interfaces.filter((i) => i.type !== 'loopback' && i.name !== 'lo').map((i) => i.name),
    osinfo,
  };
}
