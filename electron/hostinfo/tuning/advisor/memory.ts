/**
 * Memory: hugepage backing that the host cannot satisfy now. A shut-off VM with
 * <memoryBacking><hugepages> needs memory / page size free pages of its size when it starts
 * (https://libvirt.org/formatdomain.html#memory-backing); without them the start fails. The fix
 * allocates the missing pages: `virsh allocpages --add` (a relative count; without --add the
 * count is absolute; https://libvirt.org/manpages/virsh.html#allocpages).
 */
import { attr, child, elementChildren, path, text } from '../../../xml/dom';
import { toKiB } from '../../../xml/units';
import { doc, rootOf, vmFinding, type HostFacts, type Rule, type VmFacts } from './types';

/** x86's default huge page size; a <page> without size means it. */
const DEFAULT_PAGE_KIB = 2048;

/** What the VM needs per page size (KiB → pages), or null without hugepage backing. Pure. */
export function hugepageNeed(xml: string): Map<number, number> | null {
  const root = rootOf(xml);
  const hp = path(root, 'memoryBacking/hugepages');
  if (!hp) return null;
  const memEl = child(root, 'memory');
  const memKiB = toKiB(text(memEl), attr(memEl, 'unit')) ?? 0;
  const pages = elementChildren(hp, 'page');
  const size = pages.length > 0 ? toKiB(attr(pages[0], 'size') ?? String(DEFAULT_PAGE_KIB), attr(pages[0], 'unit') ?? 'KiB') ?? DEFAULT_PAGE_KIB : DEFAULT_PAGE_KIB;
  // Per-cell <page nodeset> splits are rare; the whole memory in the first size is the conservative need.
  return new Map([[size, Math.ceil(memKiB / size)]]);
}

function shortfall(vm: VmFacts, host: HostFacts): { size: number; need: number; free: number } | null {
  if (vm.running) return null; // a running VM already holds its pages
  const need = hugepageNeed(vm.xml);
  if (!need) return null;
  for (const [size, n] of need) {
    const free = host.freePages.get(size) ?? 0;
    if (free < n) return { size, need: n, free };
  }
  return null;
}

export const hugepagesRule: Rule = {
  rule: 'hugepages-unsatisfied',
  group: 'memory',
  vm(vm, host) {
    const s = shortfall(vm, host);
    if (!s) return [];
    return [
      vmFinding(this, vm, {
        severity: 'warning',
        title: 'Hugepage backing that the host cannot satisfy: the VM would not start',
        evidence: [`needs ${s.need} free pages of ${s.size} KiB for its memory`, `the host has ${s.free} free`],
        source: doc('https://libvirt.org/formatdomain.html#memory-backing', 'libvirt: memory backing with huge pages'),
        fix: {
          kind: 'host',
          summary: `Allocate ${s.need - s.free} more pages of ${s.size} KiB (virsh allocpages --add).`,
          warnings: ['The pages are taken from the host’s free memory now and stay reserved until released; the kernel may find fewer if memory is fragmented.'],
          available: true,
          reason: null,
        },
      }),
    ];
  },
  fixSteps(vm, host) {
    const s = vm ? shortfall(vm, host) : null;
    if (!s) return [];
    return [{ argv: ['allocpages', '--pagesize', `${s.size}KiB`, '--pagecount', String(s.need - s.free), '--add'] }];
  },
};

export const memoryRules = [hugepagesRule];
