/**
 * The CPU map: the host's NUMA cells, sockets, cores and threads from `virsh capabilities`
 * (<host><topology><cells>, https://libvirt.org/formatcaps.html#host-capabilities), and each VM's
 * vCPU, emulator and memory pinning from its domain XML (<vcpu cpuset>, <cputune><vcpupin>,
 * <emulatorpin>, <numatune><memory>; https://libvirt.org/formatdomain.html#cpu-tuning).
 * The live XML of a running VM holds what `virsh vcpupin --live` set, so one dump per VM is
 * all it takes (no `vcpupin` table per vCPU). Parsers are pure.
 */
import type { CpuMap, NumaCell, VmPinning } from '../../../shared/api/tuning-cpu';
import type { Domain } from '../../../shared/model/domain';
import type { HostConnection } from '../../hosts/host-connection';
import { attr, child, elementChildren, intAttr, parseXml, path, text } from '../../xml/dom';

export interface HostTopology {
  cells: NumaCell[];
  hostCpus: number;
  sockets: number;
}

/** NUMA cells with their CPUs (socket, die, core, thread siblings) from `virsh capabilities`. */
export function parseTopology(capsXml: string): HostTopology {
  const host = child(parseXml(capsXml).documentElement!, 'host');
  const cells: NumaCell[] = elementChildren(path(host, 'topology/cells'), 'cell').map((c) => {
    const m = child(c, 'memory');
    const n = Number(text(m)?.trim());
    return {
      id: intAttr(c, 'id') ?? 0,
      memoryKiB: m && Number.isFinite(n) ? n * (attr(m, 'unit') === 'MiB' ? 1024 : attr(m, 'unit') === 'GiB' ? 1024 * 1024 : 1) : null,
      cpus: elementChildren(child(c, 'cpus'), 'cpu').map((cpu) => ({
        id: intAttr(cpu, 'id') ?? 0,
        socket: intAttr(cpu, 'socket_id') ?? 0,
        die: intAttr(cpu, 'die_id') ?? 0,
        core: intAttr(cpu, 'core_id') ?? 0,
        siblings: attr(cpu, 'siblings') ?? String(intAttr(cpu, 'id') ?? 0),
      })),
    };
  });
  const all = cells.flatMap((c) => c.cpus);
  const sockets = new Set(all.map((c) => `${c.socket}`)).size;
  return { cells, hostCpus: all.length || intAttr(path(host, 'cpu/topology'), 'cores') || 0, sockets: sockets || 1 };
}

/** The pinning a definition (or a running VM's live XML) asks for. */
export function parseCputune(domainXml: string): Omit<VmPinning, 'uuid' | 'running'> {
  const root = parseXml(domainXml).documentElement!;
  const vcpu = child(root, 'vcpu');
  const cputune = child(root, 'cputune');
  const mem = path(root, 'numatune/memory');
  const max = Number(text(vcpu)?.trim() ?? '1');
  const current = intAttr(vcpu, 'current') ?? max;
  return {
    name: text(child(root, 'name'))?.trim() ?? '',
    vcpus: Number.isFinite(current) ? current : 1,
    maxVcpus: Number.isFinite(max) ? max : 1,
    vcpuPins: elementChildren(cputune, 'vcpupin')
      .map((p) => ({ vcpu: intAttr(p, 'vcpu') ?? -1, cpuset: attr(p, 'cpuset') ?? '' }))
      .filter((p) => p.vcpu >= 0)
      .sort((a, b) => a.vcpu - b.vcpu),
    defaultCpuset: attr(vcpu, 'cpuset') ?? null,
    emulatorPin: attr(child(cputune, 'emulatorpin'), 'cpuset') ?? null,
    numatune: mem ? { mode: attr(mem, 'mode') ?? 'strict', nodeset: attr(mem, 'nodeset') ?? null, placement: attr(mem, 'placement') ?? null } : null,
  };
}

/** Expands a libvirt cpuset ("0-3,^2,6") to CPU ids; throws on anything else. */
export function expandCpuset(set: string): number[] {
  const on = new Set<number>();
  const off = new Set<number>();
  for (const part of set.split(',').map((p) => p.trim())) {
    const m = /^(\^)?(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new Error(`not a CPU list: ${set}`);
    const a = Number(m[2]);
    const b = m[3] !== undefined ? Number(m[3]) : a;
    if (b < a || b - a > 65536) throw new Error(`not a CPU range: ${part}`);
    for (let i = a; i <= b; i++) (m[1] ? off : on).add(i);
  }
  return [...on].filter((i) => !off.has(i)).sort((x, y) => x - y);
}

const running = (d: Domain) => d.state !== 'shutoff' && d.state !== 'crashed';

export async function loadCpuMap(host: HostConnection, domains: readonly Domain[]): Promise<CpuMap> {
  const caps = await host.run(['virsh', 'capabilities']);
  const topo = parseTopology(caps.stdout);
  const vms = await Promise.all(
    domains.map(async (d): Promise<VmPinning | null> => {
      const live = running(d);
      // A VM may vanish between the list and its dump: it is simply not drawn.
      const res = await host.run(['virsh', 'dumpxml', '--domain', d.uuid, ...(live ? [] : ['--inactive'])], { allowFailure: true });
      if (res.code !== 0) return null;
      return { uuid: d.uuid, running: live, ...parseCputune(res.stdout) };
    }),
  );
  return { ...topo, vms: vms.filter((v): v is VmPinning => v !== null).sort((a, b) => a.name.localeCompare(b.name)) };
}
