/**
 * Kernel Samepage Merging: https://docs.kernel.org/admin-guide/mm/ksm.html
 * Every file of /sys/kernel/mm/ksm is listed as the kernel has it (6.x adds advisor_*,
 * ksm_zero_pages, general_profit…). `run` is written to sysfs (root): `virsh node-memory-tune`
 * has no such switch; pages_to_scan, sleep_millisecs and merge_across_nodes go through it
 * (https://libvirt.org/manpages/virsh.html#node-memory-tune), as libvirtd runs as root.
 */
import type { KsmSettings } from '../../../shared/api/tuning-memory';
import type { KsmState, RootRights } from '../../../shared/model/tuning-memory';
import type { Step } from '../../libvirt/plan';
import { filesIn, KSM_DIR, type HostFiles } from './host-files';
import { rootWrite, type RootPlan } from './root-rights';

export function parseKsm(files: HostFiles, pageSizeBytes: number): KsmState {
  const m = filesIn(files, KSM_DIR);
  const sorted = [...m].sort(([a], [b]) => a.localeCompare(b)).map(([name, value]) => ({ name, value }));
  const num = (k: string) => (m.has(k) && /^\d+$/.test(m.get(k)!) ? Number(m.get(k)) : null);
  const sharing = num('pages_sharing');
  return { available: m.size > 0, files: sorted, run: num('run'), pageSizeBytes, savedBytes: sharing === null ? null : sharing * pageSizeBytes };
}

/** node-memory-tune first (its values apply to the scan that `run` starts), then the sysfs write. */
export function ksmPlan(a: KsmSettings, rights: RootRights): RootPlan {
  const tune: string[] = [];
  if (a.pagesToScan !== undefined) tune.push('--shm-pages-to-scan', String(a.pagesToScan));
  if (a.sleepMillisecs !== undefined) tune.push('--shm-sleep-millisecs', String(a.sleepMillisecs));
  if (a.mergeAcrossNodes !== undefined) tune.push('--shm-merge-across-nodes', String(a.mergeAcrossNodes));
  const steps: Step[] = tune.length ? [{ argv: ['node-memory-tune', ...tune] }] : [];
  if (a.run === undefined) return { steps, blocked: null };
  const write = rootWrite(rights, `${KSM_DIR}/run`, `${a.run}\n`);
  return { steps: [...steps, ...write.steps], blocked: write.blocked };
}
