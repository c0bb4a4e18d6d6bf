/**
 * Hugepages per size (/sys/kernel/mm/hugepages/hugepages-<N>kB) and per NUMA node
 * (/sys/devices/system/node/node<N>/hugepages/…), transparent hugepages' mode, hugetlbfs mounts,
 * and which VMs are backed by hugepages and whether they fit what is free.
 * https://docs.kernel.org/admin-guide/mm/hugetlbpage.html, https://libvirt.org/formatdomain.html#memory-backing
 */
import type { Domain } from '../../../shared/model/domain';
import type { HugepageFit, HugepageSize, HugepagesState } from '../../../shared/model/tuning-memory';
import type { Step } from '../../libvirt/plan';
import { attr, child, elementChildren, parseXml, text } from '../../xml/dom';
import { HUGEPAGES_DIR, meminfo, NODES_DIR, THP_ENABLED, type HostFiles } from './host-files';

const SIZE_DIR = /^hugepages-(\d+)kB$/;

export function parseHugepages(files: HostFiles): Omit<HugepagesState, 'vms'> {
  const sizes = new Map<number, HugepageSize>();
  const size = (kib: number) => {
    let s = sizes.get(kib);
    if (!s) sizes.set(kib, (s = { sizeKiB: kib, total: 0, free: 0, reserved: 0, surplus: 0, nodes: [] }));
    return s;
  };
  const nodeRe = new RegExp(`^${NODES_DIR}/node(\\d+)/hugepages/hugepages-(\\d+)kB/(\\w+)$`);
  const globalRe = new RegExp(`^${HUGEPAGES_DIR}/hugepages-(\\d+)kB/(\\w+)$`);
  for (const [path, lines] of files) {
    const v = Number(lines[0] ?? 0) || 0;
    const g = globalRe.exec(path);
    if (g) {
      const s = size(Number(g[1]));
      if (g[2] === 'nr_hugepages') s.total = v;
      else if (g[2] === 'free_hugepages') s.free = v;
      else if (g[2] === 'resv_hugepages') s.reserved = v;
      else if (g[2] === 'surplus_hugepages') s.surplus = v;
      continue;
    }
    const n = nodeRe.exec(path);
    if (!n) continue;
    const s = size(Number(n[2]));
    const node = Number(n[1]);
    let e = s.nodes.find((x) => x.node === node);
    if (!e) s.nodes.push((e = { node, total: 0, free: 0, surplus: 0 }));
    if (n[3] === 'nr_hugepages') e.total = v;
    else if (n[3] === 'free_hugepages') e.free = v;
    else if (n[3] === 'surplus_hugepages') e.surplus = v;
  }
  for (const s of sizes.values()) s.nodes.sort((a, b) => a.node - b.node);
  const thpLine = files.get(THP_ENABLED)?.[0] ?? '';
  const mounts = (files.get('/proc/self/mounts') ?? [])
    .map((l) => l.split(' '))
    .filter((f) => f[2] === 'hugetlbfs')
    .map((f) => ({ path: f[1]!, pageSize: /pagesize=(\w+)/.exec(f[3] ?? '')?.[1] ?? null }));
  return {
    defaultSizeKiB: meminfo(files).get('Hugepagesize') ?? 2048,
    sizes: [...sizes.values()].sort((a, b) => a.sizeKiB - b.sizeKiB),
    thp: { mode: /\[(\S+)\]/.exec(thpLine)?.[1] ?? null, choices: thpLine.replace(/[[\]]/g, '').split(/\s+/).filter(Boolean) },
    mounts,
  };
}

const UNIT_KIB: Record<string, number> = { b: 1 / 1024, bytes: 1 / 1024, k: 1, kib: 1, kb: 1, m: 1024, mib: 1024, mb: 1024, g: 1024 ** 2, gib: 1024 ** 2, gb: 1024 ** 2, t: 1024 ** 3, tib: 1024 ** 3 };
const kib = (value: string | undefined, unit: string | undefined) => Number(value ?? 0) * (UNIT_KIB[(unit ?? 'KiB').toLowerCase()] ?? 1);
/** "2M" (the mount option) → KiB. */
const mountKiB = (s: string) => kib(/^\d+/.exec(s)?.[0], s.replace(/^\d+/, '') || 'K');

/** What a domain's XML asks for: null when it has no hugepage backing. */
export function hugepageNeed(xml: string, defaultSizeKiB: number): { memoryKiB: number; pageSizeKiB: number } | null {
  const dom = parseXml(xml).documentElement ?? undefined;
  const hp = child(child(dom, 'memoryBacking'), 'hugepages');
  if (!hp) return null;
  const mem = child(dom, 'memory');
  // One <page> without nodeset covers all memory; with several (per guest NUMA node) the first is taken.
  const page = elementChildren(hp, 'page')[0];
  const pageSizeKiB = page ? kib(attr(page, 'size'), attr(page, 'unit')) : defaultSizeKiB;
  return { memoryKiB: kib(text(mem), attr(mem, 'unit')), pageSizeKiB };
}

/** Would the domain start with the hugepages free now? A running one already holds its pages. */
export function hugepageFit(d: Pick<Domain, 'uuid' | 'name' | 'state'>, xml: string, hp: Omit<HugepagesState, 'vms'>): HugepageFit | null {
  const need = hugepageNeed(xml, hp.defaultSizeKiB);
  if (!need) return null;
  const pagesNeeded = Math.ceil(need.memoryKiB / need.pageSizeKiB);
  const base = { uuid: d.uuid, name: d.name, state: d.state, memoryKiB: need.memoryKiB, pageSizeKiB: need.pageSizeKiB, pagesNeeded };
  if (d.state === 'running' || d.state === 'paused') return { ...base, fits: true, reason: null };
  const size = hp.sizes.find((s) => s.sizeKiB === need.pageSizeKiB);
  if (!size) return { ...base, fits: false, reason: `This host has no ${need.pageSizeKiB} KiB hugepages (sizes: ${hp.sizes.map((s) => `${s.sizeKiB} KiB`).join(', ') || 'none'}).` };
  if (!hp.mounts.some((m) => (m.pageSize ? mountKiB(m.pageSize) : hp.defaultSizeKiB) === need.pageSizeKiB))
    return { ...base, fits: false, reason: `No hugetlbfs of ${need.pageSizeKiB} KiB pages is mounted; libvirt needs one, mounted before libvirtd starts.` };
  const available = size.free - size.reserved;
  if (available < pagesNeeded)
    return {
      ...base,
      fits: false,
      reason: `It needs ${pagesNeeded} pages of ${need.pageSizeKiB} KiB (${Math.round(need.memoryKiB / 1024)} MiB); ${available} are free. Allocate at least ${pagesNeeded - available} more (${size.total + pagesNeeded - available} in all).`,
    };
  return { ...base, fits: true, reason: null };
}

/**
 * Of the VMs about to start together, those that would not fit, each one that fits taking its
 * pages from the free count the next one sees (libvirt reserves them as each QEMU starts).
 */
export function startRefusals(vms: readonly { d: Pick<Domain, 'uuid' | 'name' | 'state'>; xml: string }[], hp: Omit<HugepagesState, 'vms'>): HugepageFit[] {
  const left = { ...hp, sizes: hp.sizes.map((s) => ({ ...s })) };
  const refused: HugepageFit[] = [];
  for (const { d, xml } of vms) {
    const fit = hugepageFit(d, xml, left);
    if (!fit) continue;
    if (!fit.fits) refused.push(fit);
    else if (d.state !== 'running' && d.state !== 'paused') {
      const size = left.sizes.find((s) => s.sizeKiB === fit.pageSizeKiB);
      if (size) size.free -= fit.pagesNeeded;
    }
  }
  return refused;
}

/** `virsh allocpages`: the count is absolute without --add; without --cellno the host-wide pool. */
export function allocSteps(a: { sizeKiB: number; count: number; node?: number | undefined }): Step[] {
  const argv = ['allocpages', '--pagesize', `${a.sizeKiB}KiB`, '--pagecount', String(a.count)];
  if (a.node !== undefined) argv.push('--cellno', String(a.node));
  return [{ argv }];
}
