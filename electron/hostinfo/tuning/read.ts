/**
 * The Tuning tab's memory side in one pass: the host files (one grep), the process list (one
 * ps), the base page size and whether ksmtuned is installed, run in parallel on their own
 * channels, and each hugepage-backed VM's XML through the virsh session. Over SSH that is a
 * handful of round trips, not one per sysfs file.
 */
import type { Domain } from '../../../shared/model/domain';
import type { HugepageFit, TuningMemory } from '../../../shared/model/tuning-memory';
import type { HostConnection } from '../../hosts/host-connection';
import { HOST_FILES_ARGV, parseHostFiles } from './host-files';
import { hugepageFit, parseHugepages, startRefusals } from './hugepages';
import { parseKsm } from './ksm';
import { ksmtunedState, parsePs, PS_ARGV } from './ksmtuned';
import { rightsFrom } from './root-rights';

const KSMTUNED_BIN = ['/usr/sbin/ksmtuned', '/usr/bin/ksmtuned'];

/**
 * Whether one VM's hugepage backing fits what is free now (null: it has none). Its XML is read
 * first, so a VM without hugepages costs one virsh command through the session and nothing more.
 */
export async function hugepageCheck(host: HostConnection, d: Domain): Promise<HugepageFit | null> {
  const r = await host.run(['virsh', 'dumpxml', '--domain', d.uuid]);
  if (!/<hugepages\b/.test(r.stdout)) return null;
  const files = parseHostFiles((await host.run(HOST_FILES_ARGV, { allowFailure: true })).stdout);
  return hugepageFit(d, r.stdout, parseHugepages(files));
}

/**
 * Start in the VM list asks this first for the shut-off VMs it is about to start: which of them
 * would not fit the hugepages free now, and why. A VM without <memoryBacking><hugepages/> costs
 * one `dumpxml` through the session; the host files are read only when one has hugepages. VMs
 * started together share the free pages: each one that fits takes its pages from the next.
 */
export async function hugepageStartCheck(host: HostConnection, domains: readonly Domain[]): Promise<HugepageFit[]> {
  const xmls = await Promise.all(domains.map(async (d) => ({ d, r: await host.run(['virsh', 'dumpxml', '--domain', d.uuid], { allowFailure: true }) })));
  const backed = xmls.filter(({ r }) => r.code === 0 && /<hugepages\b/.test(r.stdout));
  if (backed.length === 0) return [];
  const hp = parseHugepages(parseHostFiles((await host.run(HOST_FILES_ARGV, { allowFailure: true })).stdout));
  return startRefusals(backed.map(({ d, r }) => ({ d, xml: r.stdout })), hp);
}

export async function readTuningMemory(host: HostConnection, domains: readonly Domain[]): Promise<TuningMemory> {
  const t0 = Date.now();
  const [grep, ps, pageSize, bin] = await Promise.all([
    // grep exits 2 when a listed file is missing (no ksmtuned.conf): what it read still counts.
    host.run(HOST_FILES_ARGV, { allowFailure: true }),
    host.run(PS_ARGV),
    host.run(['getconf', 'PAGESIZE']),
    host.run(['ls', '-d', '--', ...KSMTUNED_BIN], { allowFailure: true }),
  ]);
  const files = parseHostFiles(grep.stdout);
  const hp = parseHugepages(files);
  const vms: HugepageFit[] = [];
  await Promise.all(
    domains.map(async (d) => {
      const r = await host.run(['virsh', 'dumpxml', '--domain', d.uuid], { allowFailure: true });
      if (r.code !== 0) return; // undefined meanwhile
      const fit = hugepageFit(d, r.stdout, hp);
      if (fit) vms.push(fit);
    }),
  );
  vms.sort((a, b) => a.name.localeCompare(b.name));
  return {
    ksm: parseKsm(files, Number(pageSize.stdout.trim()) || 4096),
    ksmtuned: ksmtunedState(files, parsePs(ps.stdout), bin.stdout.trim() !== ''),
    hugepages: { ...hp, vms },
    rights: rightsFrom(files, host.config.sudo === true),
    readMs: Date.now() - t0,
  };
}
