/**
 * The Tuning tab's memory parsers and plans. Fixtures from the Debian 12 test machine (kernel
 * 6.x, libvirt 9.0, QEMU 7.2 TCG), captured as root:
 *   host-files.txt            `grep -rsH -- '' <HOST_FILES_ARGV paths>` (no hugepages allocated)
 *   host-files-72-pages.txt   the same after `virsh allocpages 2048 72`
 *   ps.txt                    `ps -e -o pid=,rss=,comm=,args=` (filtered) with ksmtuned running and one TCG guest
 *   hugepage-domain.xml       `virsh dumpxml --inactive` of a copy of the test guest with <hugepages/>
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandText } from '../../../shared/api/commands';
import { parseHostFiles } from './host-files';
import { allocSteps, hugepageFit, parseHugepages, startRefusals } from './hugepages';
import { ksmPlan, parseKsm } from './ksm';
import { ksmtunedState, parseKsmtunedConf, parsePs, renderKsmtunedConf } from './ksmtuned';
import { rightsFrom, rootWrite } from './root-rights';

const fx = (f: string) => readFileSync(join(__dirname, 'fixtures', f), 'utf8');
const files = parseHostFiles(fx('host-files.txt'));
const with72 = parseHostFiles(fx('host-files-72-pages.txt'));
const domXml = fx('hugepage-domain.xml');
const guest = { uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ff4b99', name: 'vd-test-hugemem-x', state: 'shutoff' as const };

describe('KSM', () => {
  it('lists every file the kernel has, including the 6.x advisor ones, and the memory saved', () => {
    const k = parseKsm(files, 4096);
    expect(k.available).toBe(true);
    const names = k.files.map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['run', 'pages_to_scan', 'sleep_millisecs', 'merge_across_nodes', 'pages_sharing', 'advisor_mode', 'ksm_zero_pages']));
    expect(k.files.find((f) => f.name === 'advisor_mode')?.value).toBe('[none] scan-time');
    expect(k.run).toBe(0);
    expect(k.savedBytes).toBe(0);
    const more = parseHostFiles(fx('host-files.txt').replace('/sys/kernel/mm/ksm/pages_sharing:0', '/sys/kernel/mm/ksm/pages_sharing:2560'));
    expect(parseKsm(more, 4096).savedBytes).toBe(10 * 1024 * 1024);
  });

  it('a host without KSM (no /sys/kernel/mm/ksm) says so', () => {
    expect(parseKsm(parseHostFiles('/proc/meminfo:MemTotal:       1 kB\n'), 4096)).toMatchObject({ available: false, run: null, savedBytes: null });
  });

  it('sets the scan through virsh node-memory-tune and run through tee as root, sudo -n tee with sudo, and only shows it otherwise', () => {
    const a = { hostId: 'h', run: 1 as const, pagesToScan: 200, sleepMillisecs: 50 };
    const root = ksmPlan(a, { uid: 0, root: true, sudo: false });
    expect(root.blocked).toBeNull();
    expect(root.steps).toEqual([
      { argv: ['node-memory-tune', '--shm-pages-to-scan', '200', '--shm-sleep-millisecs', '50'] },
      { argv: ['tee', '/sys/kernel/mm/ksm/run'], stdin: '1\n', hostCommand: true },
    ]);
    expect(ksmPlan(a, { uid: 1000, root: false, sudo: true }).steps[1]!.argv).toEqual(['sudo', '-n', 'tee', '/sys/kernel/mm/ksm/run']);
    const none = ksmPlan(a, { uid: 1000, root: false, sudo: false });
    expect(none.blocked).toContain("sudo tee /sys/kernel/mm/ksm/run <<'EOF'\n1\nEOF");
    expect(none.blocked).toContain('uid 1000');
    // Nothing that needs root: no block.
    expect(ksmPlan({ hostId: 'h', mergeAcrossNodes: 0 }, { uid: 1000, root: false, sudo: false })).toEqual({ steps: [{ argv: ['node-memory-tune', '--shm-merge-across-nodes', '0'] }], blocked: null });
  });

  it('knows who it runs as from the reading process itself, and ignores sudo for root', () => {
    expect(rightsFrom(files, true)).toEqual({ uid: 0, root: true, sudo: false });
    const user = parseHostFiles('/proc/self/status:Uid:\t1001\t1001\t1001\t1001\n');
    expect(rightsFrom(user, true)).toEqual({ uid: 1001, root: false, sudo: true });
    expect(rightsFrom(user, false).sudo).toBe(false);
  });

  it('shows a pasteable root command whose content cannot be expanded by the shell', () => {
    const p = rootWrite({ uid: 5, root: false, sudo: false }, '/etc/ksmtuned.conf', 'KSM_THRES_COEF=$(reboot)\n');
    expect(commandText({ argv: p.steps[0]!.argv, stdin: p.steps[0]!.stdin! })).toBe("sudo tee /etc/ksmtuned.conf <<'EOF'\nKSM_THRES_COEF=$(reboot)\nEOF");
  });
});

describe('ksmtuned', () => {
  const conf = files.get('/etc/ksmtuned.conf')!;

  it('reads the Debian config: every setting commented out, so the defaults apply', () => {
    expect(parseKsmtunedConf(conf).size).toBe(0);
    expect(parseKsmtunedConf(['KSM_THRES_COEF=30', ' KSM_NPAGES_DECAY="-25"', '# KSM_NPAGES_MAX=9', 'KSM_THRES_COEF=40 # later wins'])).toEqual(
      new Map([['KSM_THRES_COEF', 40], ['KSM_NPAGES_DECAY', -25]]),
    );
  });

  it('edits lines in place, keeps comments, comments out a setting put back to its default, appends a missing one', () => {
    const text = `${conf.join('\n')}\n`;
    const out = renderKsmtunedConf(text, { KSM_THRES_COEF: 35, KSM_MONITOR_INTERVAL: 30 });
    expect(out).toContain('\nKSM_THRES_COEF=35\n');
    expect(out).toContain('\nKSM_MONITOR_INTERVAL=30\n');
    expect(out).not.toContain('# KSM_THRES_COEF=20');
    expect(out).toContain('# Configuration file for ksmtuned.');
    expect(out.split('\n').length).toBe(text.split('\n').length);
    const back = renderKsmtunedConf(out, { KSM_THRES_COEF: null });
    expect(back).toContain('\n# KSM_THRES_COEF=20\n');
    expect(parseKsmtunedConf(back.split('\n')).get('KSM_MONITOR_INTERVAL')).toBe(30);
    expect(renderKsmtunedConf('', { KSM_NPAGES_MAX: 2000 })).toBe('KSM_NPAGES_MAX=2000\n');
    expect(renderKsmtunedConf('KSM_NPAGES_MAX=1\nKSM_NPAGES_MAX=2\n', { KSM_NPAGES_MAX: 3 })).toBe('KSM_NPAGES_MAX=3\n# KSM_NPAGES_MAX=2\n');
  });

  it("computes thres = max(total × COEF / 100, CONST) and counts only what ksmtuned's pgrep matches", () => {
    const procs = parsePs(fx('ps.txt'));
    expect(procs.find((p) => p.comm === 'qemu-system-x86')?.rssKiB).toBe(230808);
    const s = ksmtunedState(files, procs, true);
    expect(s.running).toBe(true);
    expect(s.installed).toBe(true);
    expect(s.formula.totalKiB).toBeGreaterThan(1_000_000);
    expect(s.formula.thresKiB).toBe(Math.max(Math.trunc((s.formula.totalKiB * 20) / 100), 2048));
    // libvirt starts QEMU with "-accel tcg|kvm", never "-enable-kvm": ksmtuned counts nothing.
    expect(s.formula).toMatchObject({ qemuProcesses: 1, qemuRssKiB: 230808, countedProcesses: 0, committedKiB: 0 });
    expect(s.formula.wouldMerge).toBe(false);
  });

  it('merges when committed + thres reaches the total, and boosts when free is below thres', () => {
    const big = parsePs(`  1 ${30_000_000} qemu-system-x86 qemu-system-x86_64 -enable-kvm -m 30000\n  2 4 ksmtuned [ksmtuned] <defunct>\n`);
    const s = ksmtunedState(files, big, false);
    expect(s.formula).toMatchObject({ countedProcesses: 1, committedKiB: 30_000_000, wouldMerge: true });
    expect(s.running).toBe(false); // a zombie is not a running ksmtuned
  });
});

describe('hugepages', () => {
  it('reads each size host-wide and per NUMA node, THP mode and the hugetlbfs mounts', () => {
    const hp = parseHugepages(with72);
    expect(hp.defaultSizeKiB).toBe(2048);
    expect(hp.sizes.map((s) => s.sizeKiB)).toEqual([2048, 1048576]);
    expect(hp.sizes[0]).toEqual({ sizeKiB: 2048, total: 72, free: 72, reserved: 0, surplus: 0, nodes: [{ node: 0, total: 72, free: 72, surplus: 0 }] });
    expect(hp.thp).toEqual({ mode: 'madvise', choices: ['always', 'madvise', 'never'] });
    expect(hp.mounts).toEqual([{ path: '/dev/hugepages', pageSize: '2M' }]);
  });

  it('a VM with hugepage backing fits when enough are free, and says why not otherwise', () => {
    expect(hugepageFit(guest, domXml, parseHugepages(with72))).toMatchObject({ pagesNeeded: 64, pageSizeKiB: 2048, memoryKiB: 131072, fits: true, reason: null });
    const none = hugepageFit(guest, domXml, parseHugepages(files))!;
    expect(none.fits).toBe(false);
    expect(none.reason).toBe('It needs 64 pages of 2048 KiB (128 MiB); 0 are free. Allocate at least 64 more (64 in all).');
    const noMount = parseHugepages(with72);
    noMount.mounts = [];
    expect(hugepageFit(guest, domXml, noMount)?.reason).toMatch(/No hugetlbfs of 2048 KiB pages is mounted/);
    const gig = domXml.replace('<hugepages/>', "<hugepages><page size='1' unit='GiB'/></hugepages>");
    expect(hugepageFit(guest, gig, parseHugepages(with72))).toMatchObject({ pageSizeKiB: 1048576, pagesNeeded: 1, fits: false });
    expect(hugepageFit({ ...guest, state: 'running' }, domXml, parseHugepages(files))).toMatchObject({ fits: true, reason: null });
    expect(hugepageFit(guest, domXml.replace(/<memoryBacking>[\s\S]*<\/memoryBacking>/, ''), parseHugepages(files))).toBeNull();
  });

  it('VMs started together share the free pages: with 72 free, the second 64-page VM is refused; a running one takes none', () => {
    const hp = parseHugepages(with72);
    const second = { ...guest, uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ff4b98', name: 'second' };
    expect(startRefusals([{ d: guest, xml: domXml }, { d: second, xml: domXml }], hp)).toEqual([expect.objectContaining({ name: 'second', fits: false, reason: expect.stringMatching(/needs 64 pages .*; 8 are free/) })]);
    expect(startRefusals([{ d: { ...guest, state: 'running' }, xml: domXml }, { d: second, xml: domXml }], hp)).toEqual([]);
    // The host's counts are not changed by the check.
    expect(hp.sizes.find((s) => s.sizeKiB === 2048)!.free).toBe(72);
  });

  it('allocates with virsh allocpages, an absolute count (no --add), host-wide unless a node is given', () => {
    expect(allocSteps({ sizeKiB: 2048, count: 72 })).toEqual([{ argv: ['allocpages', '--pagesize', '2048KiB', '--pagecount', '72'] }]);
    expect(allocSteps({ sizeKiB: 1048576, count: 0, node: 1 })[0]!.argv).toEqual(['allocpages', '--pagesize', '1048576KiB', '--pagecount', '0', '--cellno', '1']);
  });
});
