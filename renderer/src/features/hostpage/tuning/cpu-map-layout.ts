/**
 * Pure layout helpers of the CPU map: a cell's CPUs grouped by socket and core (threads of a
 * core side by side), and which VM's vCPUs / emulator threads are pinned to a CPU.
 */
import type { CpuMap, HostCpu, NumaCell } from '../../../../../shared/api/tuning-cpu';

export interface SocketGroup {
  socket: number;
  cores: { core: number; cpus: HostCpu[] }[];
}

export function groupCell(cell: NumaCell): SocketGroup[] {
  const sockets = new Map<number, Map<number, HostCpu[]>>();
  for (const cpu of cell.cpus) {
    const cores = sockets.get(cpu.socket) ?? new Map<number, HostCpu[]>();
    sockets.set(cpu.socket, cores);
    cores.set(cpu.core, [...(cores.get(cpu.core) ?? []), cpu]);
  }
  return [...sockets.entries()]
    .sort(([a], [b]) => a - b)
    .map(([socket, cores]) => ({ socket, cores: [...cores.entries()].sort(([a], [b]) => a - b).map(([core, cpus]) => ({ core, cpus: cpus.sort((x, y) => x.id - y.id) })) }));
}

/** A libvirt cpuset's CPU ids ("0-3,^2,6"); unreadable parts are skipped (the map only draws). */
export function cpusetIds(set: string): number[] {
  const on = new Set<number>();
  const off = new Set<number>();
  for (const part of set.split(',')) {
    const m = /^\s*(\^)?(\d+)(?:-(\d+))?\s*$/.exec(part);
    if (!m) continue;
    const a = Number(m[2]);
    const b = Math.min(m[3] !== undefined ? Number(m[3]) : a, a + 4096);
    for (let i = a; i <= b; i++) (m[1] ? off : on).add(i);
  }
  return [...on].filter((i) => !off.has(i));
}

/** Explicit pins only: an unpinned vCPU may run anywhere and is not drawn on every CPU. */
export function pinsOnCpu(map: CpuMap, cpu: number): { vm: string; what: string }[] {
  const out: { vm: string; what: string }[] = [];
  for (const vm of map.vms) {
    for (const p of vm.vcpuPins) if (cpusetIds(p.cpuset).includes(cpu) && cpusetIds(p.cpuset).length < map.hostCpus) out.push({ vm: vm.name, what: `v${p.vcpu}` });
    if (vm.emulatorPin && cpusetIds(vm.emulatorPin).includes(cpu) && cpusetIds(vm.emulatorPin).length < map.hostCpus) out.push({ vm: vm.name, what: 'emu' });
  }
  return out;
}

/** Ids → the shortest cpuset: "0-3,6". */
export function toCpuset(ids: number[]): string {
  const s = [...new Set(ids)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < s.length; ) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[j]! + 1) j++;
    parts.push(j > i ? `${s[i]}-${s[j]}` : `${s[i]}`);
    i = j + 1;
  }
  return parts.join(',');
}
