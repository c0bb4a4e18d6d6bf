/**
 * Pinning a VM's vCPUs, its emulator threads and its memory (NUMA) to host CPUs and cells:
 * `virsh vcpupin`, `emulatorpin` and `numatune` with `--config` (the definition) and/or `--live`
 * (the running VM, through its cgroups). https://libvirt.org/manpages/virsh.html#vcpupin
 * The planner is what "Show command" shows and what runs (runSteps).
 *
 * Live changes need libvirt's cgroup controllers for the VM (cpuset for pinning, memory for
 * memtune: https://libvirt.org/cgroups.html). Whether they work is asked of libvirt itself: a
 * live `virsh memtune` query on the running VM fails with libvirt's reason when its cgroups are
 * missing, and that reason is what the UI shows next to the disabled "live" choice.
 */
import type { LiveTuning, PinTarget } from '../../../shared/api/tuning-cpu';
import { AppError } from '../../../shared/errors';
import type { HostConnection } from '../../hosts/host-connection';
import { domainStatus } from '../../libvirt/domain-config';
import type { Step } from '../../libvirt/plan';
import { expandCpuset, parseTopology, type HostTopology } from './cpu-map';

export interface PinRequest {
  uuid: string;
  target: PinTarget;
  /** null: unpin, i.e. every host CPU (vCPU, emulator) or every NUMA cell (memory). */
  cpuset: string | null;
  config: boolean;
  live: boolean;
}

const range = (ids: number[]) => (ids.length === 0 ? '0' : ids.length === 1 ? String(ids[0]) : `${Math.min(...ids)}-${Math.max(...ids)}`);

export const scopeFlags = (config: boolean, live: boolean) => [...(config ? ['--config'] : []), ...(live ? ['--live'] : [])];

/** The one step of a pin/unpin, checked against the host's topology. Pure. */
export function pinSteps(topo: HostTopology, r: PinRequest): Step[] {
  if (!r.config && !r.live) throw new AppError('invalid_args', 'Choose where the change goes: the configuration (--config), the running VM (--live), or both.');
  const flags = scopeFlags(r.config, r.live);
  if (r.target.kind === 'numa') {
    const cells = topo.cells.map((c) => c.id);
    const nodeset = r.cpuset ?? range(cells);
    const unknown = expandCpuset(nodeset).filter((n) => !cells.includes(n));
    if (unknown.length > 0) throw new AppError('invalid_args', `The host has no NUMA cell ${unknown.join(', ')} (cells: ${range(cells)}).`);
    return [{ argv: ['numatune', '--domain', r.uuid, '--mode', r.target.mode, '--nodeset', nodeset, ...flags] }];
  }
  const all = topo.cells.flatMap((c) => c.cpus.map((x) => x.id));
  const hostCpus = all.length > 0 ? all : Array.from({ length: topo.hostCpus }, (_, i) => i);
  const cpulist = r.cpuset ?? range(hostCpus);
  const cpus = expandCpuset(cpulist);
  if (cpus.length === 0) throw new AppError('invalid_args', `${cpulist} names no CPU.`);
  const missing = cpus.filter((c) => !hostCpus.includes(c));
  if (missing.length > 0) throw new AppError('invalid_args', `The host has no CPU ${missing.join(', ')} (its CPUs: ${range(hostCpus)}).`);
  if (r.target.kind === 'emulator') return [{ argv: ['emulatorpin', '--domain', r.uuid, '--cpulist', cpulist, ...flags] }];
  return [{ argv: ['vcpupin', '--domain', r.uuid, '--vcpu', String(r.target.vcpu), '--cpulist', cpulist, ...flags] }];
}

export async function hostTopology(host: HostConnection): Promise<HostTopology> {
  return parseTopology((await host.run(['virsh', 'capabilities'])).stdout);
}

export async function planPin(host: HostConnection, r: PinRequest): Promise<Step[]> {
  return pinSteps(await hostTopology(host), r);
}

const virshWhy = (stderr: string, code: number | null) => stderr.replace(/^error: /gm, '').trim().replace(/\s*\n\s*/g, '; ') || `exit ${code}`;

/** Can live pinning / memtune be used on this VM now? libvirt answers (see the header). */
export async function liveTuning(host: HostConnection, uuid: string): Promise<LiveTuning> {
  const st = await domainStatus(host, uuid);
  if (!st.running) {
    const off = { available: false, reason: `${st.name} is not running: live changes need a running VM; --config applies at its next start.` };
    return { pin: off, memtune: off };
  }
  // Read-only live queries: each fails with libvirt's own reason where the change would.
  const [pin, mem] = await Promise.all([
    host.run(['virsh', 'vcpupin', '--domain', uuid, '--live'], { allowFailure: true }),
    host.run(['virsh', 'memtune', '--domain', uuid, '--live'], { allowFailure: true }),
  ]);
  const answer = (r: { code: number | null; stderr: string }, what: string) =>
    r.code === 0 ? { available: true, reason: null } : { available: false, reason: `Live ${what} needs cgroups for the VM, and libvirt cannot use them on this host (${virshWhy(r.stderr, r.code)}). Use --config: it applies at the next start.` };
  return { pin: answer(pin, 'pinning'), memtune: answer(mem, 'memtune') };
}
