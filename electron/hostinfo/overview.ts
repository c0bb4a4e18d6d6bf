/**
 * What a host is: `virsh hostname`, `version`, `nodeinfo` and `capabilities`
 * (https://libvirt.org/formatcaps.html), plus the VM counts and what running VMs were given,
 * from the connection's VM inventory (no extra call per VM).
 */
import type { Domain } from '../../shared/model/domain';
import type { HostOverview } from '../../shared/model/hostinfo';
import type { HostConnection } from '../hosts/host-connection';
import { parseKeyValueTable } from '../virsh/parse';
import { attr, child, elementChildren, intAttr, parseXml, path, text } from '../xml/dom';

/** "Using library: libvirt 9.0.0" / "Running hypervisor: QEMU 7.2.22" from `virsh version`. */
export function parseVersion(out: string): { libvirt: string | null; hypervisor: string | null } {
  const t = parseKeyValueTable(out);
  return { libvirt: t['Using library']?.trim() ?? null, hypervisor: t['Running hypervisor']?.trim() ?? null };
}

/** The host CPU model, NUMA cells and the guest domain types from `virsh capabilities`. */
export function parseCapabilities(xml: string): Pick<HostOverview, 'cpuModel' | 'numaCells' | 'domainTypes'> {
  const root = parseXml(xml).documentElement!;
  const host = child(root, 'host');
  const cells = elementChildren(path(host, 'topology/cells'), 'cell').map((c) => ({
    id: intAttr(c, 'id') ?? 0,
    memoryKiB: (() => {
      const m = child(c, 'memory');
      const n = Number(text(m)?.trim());
      return m && Number.isFinite(n) ? n * (attr(m, 'unit') === 'MiB' ? 1024 : 1) : null;
    })(),
    cpus: intAttr(child(c, 'cpus'), 'num') ?? 0,
  }));
  const types = new Set<string>();
  for (const guest of elementChildren(root, 'guest'))
    for (const d of elementChildren(child(guest, 'arch'), 'domain')) {
      const type = attr(d, 'type');
      if (type) types.add(type);
    }
  return { cpuModel: text(path(host, 'cpu/model'))?.trim() ?? null, numaCells: cells, domainTypes: [...types] };
}

/** VM counts and the vCPUs/memory given to running VMs. */
export function runningTotals(domains: readonly Domain[]): Pick<HostOverview, 'vms' | 'running'> {
  const running = domains.filter((d) => d.state === 'running' || d.state === 'paused' || d.state === 'blocked');
  let vcpus = 0;
  let memoryKiB = 0;
  let unknown = 0;
  for (const d of running) {
    if (d.vcpus === null || d.memoryKiB === null) unknown++;
    vcpus += d.vcpus ?? 0;
    memoryKiB += d.memoryKiB ?? 0;
  }
  return { vms: { defined: domains.length, running: running.length }, running: { vcpus, memoryKiB, unknown } };
}

export async function hostOverview(host: HostConnection, domains: readonly Domain[]): Promise<HostOverview> {
  const [hostname, version, nodeinfo, caps] = await Promise.all([
    host.run(['virsh', 'hostname']),
    host.run(['virsh', 'version']),
    host.run(['virsh', 'nodeinfo']),
    host.run(['virsh', 'capabilities']),
  ]);
  const n = parseKeyValueTable(nodeinfo.stdout);
  const num = (k: string) => Number.parseInt(n[k] ?? '', 10);
  const v = parseVersion(version.stdout);
  const mhz = num('CPU frequency');
  return {
    hostname: hostname.stdout.trim(),
    libvirtVersion: v.libvirt,
    hypervisor: v.hypervisor,
    ...parseCapabilities(caps.stdout),
    cpus: num('CPU(s)') || 0,
    sockets: num('CPU socket(s)') || 0,
    coresPerSocket: num('Core(s) per socket') || 0,
    threadsPerCore: num('Thread(s) per core') || 0,
    mhz: Number.isFinite(mhz) ? mhz : null,
    memoryKiB: num('Memory size') || 0,
    ...runningTotals(domains),
  };
}
