/**
 * A VM's memory limits (`virsh memtune`: hard_limit, soft_limit, swap_hard_limit, in KiB;
 * https://libvirt.org/manpages/virsh.html#memtune and
 * https://libvirt.org/formatdomain.html#memory-tuning). "-1" on the command line means
 * unlimited. Only the limits that change are passed: a swap limit on a host without swap
 * accounting fails, and an unchanged one should not make the whole change fail.
 */
import type { Memtune } from '../../../shared/api/tuning-cpu';
import { AppError } from '../../../shared/errors';
import type { HostConnection } from '../../hosts/host-connection';
import type { Step } from '../../libvirt/plan';
import { splitLines } from '../../virsh/parse/lines';
import { scopeFlags } from './pinning';

/** `virsh memtune DOMAIN` output ("hard_limit     : 1048576" / "unlimited"). Pure. */
export function parseMemtune(out: string): Memtune {
  const v: Record<string, number | null> = {};
  for (const line of splitLines(out)) {
    const m = /^\s*(\w+)\s*:\s*(\S+)\s*$/.exec(line);
    if (!m) continue;
    v[m[1]!] = m[2] === 'unlimited' || !/^\d+$/.test(m[2]!) ? null : Number(m[2]);
  }
  return { hardKiB: v.hard_limit ?? null, softKiB: v.soft_limit ?? null, swapHardKiB: v.swap_hard_limit ?? null };
}

export async function readMemtune(host: HostConnection, uuid: string, live: boolean): Promise<Memtune> {
  return parseMemtune((await host.run(['virsh', 'memtune', '--domain', uuid, live ? '--live' : '--config'])).stdout);
}

export interface MemtuneRequest extends Memtune {
  uuid: string;
  config: boolean;
  live: boolean;
}

const FLAG = { hardKiB: '--hard-limit', softKiB: '--soft-limit', swapHardKiB: '--swap-hard-limit' } as const;

/** The memtune step for the limits that differ from `current`. Pure. */
export function memtuneSteps(current: Memtune, r: MemtuneRequest): Step[] {
  if (!r.config && !r.live) throw new AppError('invalid_args', 'Choose where the change goes: the configuration (--config), the running VM (--live), or both.');
  if (r.hardKiB !== null && r.softKiB !== null && r.softKiB > r.hardKiB) throw new AppError('invalid_args', 'The soft limit cannot be above the hard limit.');
  if (r.hardKiB !== null && r.swapHardKiB !== null && r.swapHardKiB < r.hardKiB)
    throw new AppError('invalid_args', 'The swap hard limit (memory + swap) cannot be below the hard limit.');
  const args: string[] = [];
  for (const k of ['hardKiB', 'softKiB', 'swapHardKiB'] as const) if (r[k] !== current[k]) args.push(FLAG[k], r[k] === null ? '-1' : String(r[k]));
  if (args.length === 0) throw new AppError('invalid_args', 'The limits are already set to these values.');
  return [{ argv: ['memtune', '--domain', r.uuid, ...args, ...scopeFlags(r.config, r.live)] }];
}

/** Compared with the running VM's limits when the change is live, else with the definition's. */
export async function planMemtune(host: HostConnection, r: MemtuneRequest): Promise<Step[]> {
  return memtuneSteps(await readMemtune(host, r.uuid, r.live && !r.config), r);
}
