/**
 * Every advisor rule on XML fixtures: it fires with its evidence where it applies, is silent
 * where it does not, and its fix makes the finding go on the next run. The base fixture is the
 * real `virsh dumpxml --inactive` of the provisioned test guest (libvirt 9.0.0, TCG).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OsDefaults } from '../../../../shared/model/newvm';
import { osinfoIdOf, parseFreepages, shortIdGuess } from './context';
import { fixedXml, RULES, runRules } from './index';
import { hugepageNeed } from './memory';
import type { HostFacts, VmFacts } from './types';

const BASE = readFileSync(join(__dirname, '..', 'fixtures', 'test-guest.xml'), 'utf8');
const UUID = '5d7e57a1-0000-4e2e-8d0c-7e57c0ffee01';

const debian: OsDefaults = {
  id: 'debian11', name: 'Debian 11', family: 'linux', minMemoryMiB: 1024, recMemoryMiB: 2048, recVcpus: 2, recStorageBytes: 20e9,
  diskBus: 'virtio', nicModel: 'virtio', video: 'virtio', virtioRng: true, balloon: true, q35: true, windows: false, source: 'osinfo',
};
const oldLinux: OsDefaults = { ...debian, id: 'rhel4.0', name: 'RHEL 4', diskBus: 'ide', nicModel: 'e1000', virtioRng: false };
const win: OsDefaults = { ...debian, id: 'win10', name: 'Windows 10', family: 'winnt', windows: true };

const host = (o: Partial<HostFacts> = {}): HostFacts => ({ cpus: 2, ksmRun: 0, freePages: new Map([[4, 1000], [2048, 0]]), running: [], ...o });
const vm = (xml: string, o: Partial<VmFacts> = {}): VmFacts => ({ uuid: UUID, name: 'vd-test-guest', running: false, xml, os: debian, osId: 'http://debian.org/debian/11', osNote: null, snapshots: null, ...o });
const rule = (name: string) => RULES.find((r) => r.rule === name)!;
const ids = (h: HostFacts, v: VmFacts) => runRules(h, [v]).map((f) => f.rule);

const IDE_DISK = "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/var/lib/libvirt/images/a b.qcow2'/><target dev='hda' bus='ide'/><address type='drive' controller='0' bus='0' target='0' unit='0'/></disk>";
const withDevices = (xml: string, devs: string) => xml.replace('<devices>', `<devices>\n    ${devs}`);
const e1000 = (xml: string) => xml.replace("<model type='virtio'/>", "<model type='e1000'/>");
const kvm = (xml: string) => xml.replace("<domain type='qemu'>", "<domain type='kvm'>");
const withRng = (xml: string) => withDevices(xml, "<rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>");
/** The test guest with an RNG: silent for every rule with default facts (a clean baseline). */
const CLEAN = withRng(BASE);

/** Applies the rule's fix and runs all rules again: the finding must be gone. */
function fixGoes(name: string, h: HostFacts, v: VmFacts) {
  expect(ids(h, v)).toContain(name);
  const after = fixedXml(rule(name), v, h, v.xml);
  expect(ids(h, { ...v, xml: after })).not.toContain(name);
  return after;
}

describe('baseline', () => {
  it('the clean test guest has no findings; without osinfo metadata the OS rules stay silent', () => {
    expect(runRules(host(), [vm(CLEAN)])).toEqual([]);
    expect(ids(host(), vm(withDevices(e1000(BASE), IDE_DISK), { os: null, osId: null }))).toEqual([]);
  });
});

describe('disks and NICs', () => {
  it('an IDE disk for a virtio-capable OS: evidence, warnings, shut-off only; the fix moves it to virtio vda without the drive address', () => {
    const v = vm(withDevices(CLEAN, IDE_DISK));
    const f = runRules(host(), [v]).find((x) => x.rule === 'disk-bus')!;
    expect(f.evidence).toContain('disk hda on bus ide');
    expect(f.fix!.warnings.join(' ')).toMatch(/virtio drivers.*\/dev\/sdX/s);
    expect(f.fix!.available).toBe(true);
    expect(runRules(host(), [{ ...v, running: true }]).find((x) => x.rule === 'disk-bus')!.fix!.available).toBe(false);
    const after = fixGoes('disk-bus', host(), v);
    expect(after).toContain("<target dev=\"vda\" bus=\"virtio\"/>".replaceAll('"', "'"));
    expect(after).not.toContain("type='drive'");
    expect(after).toContain("/var/lib/libvirt/images/a b.qcow2");
  });
  it('SATA counts, a CD-ROM on IDE does not, an OS without virtio is silent', () => {
    expect(ids(host(), vm(withDevices(CLEAN, IDE_DISK.replace("bus='ide'", "bus='sata'"))))).toContain('disk-bus');
    expect(ids(host(), vm(withDevices(CLEAN, IDE_DISK.replace("device='disk'", "device='cdrom'"))))).not.toContain('disk-bus');
    expect(ids(host(), vm(withDevices(CLEAN, IDE_DISK), { os: oldLinux }))).not.toContain('disk-bus');
  });
  it('an e1000 NIC goes to virtio with the same MAC', () => {
    const after = fixGoes('nic-model', host(), vm(e1000(CLEAN)));
    expect(after).toContain("<mac address='52:54:00:56:44:01'/>");
    expect(after).toContain("<model type='virtio'/>");
    expect(ids(host(), vm(e1000(CLEAN).replace("type='e1000'", "type='rtl8139'")))).toContain('nic-model');
    expect(ids(host(), vm(e1000(CLEAN), { os: oldLinux }))).not.toContain('nic-model');
  });
});

describe('devices', () => {
  it('no virtio RNG: the fix adds one from /dev/urandom', () => {
    expect(fixGoes('virtio-rng', host(), vm(BASE))).toMatch(/<rng model='virtio'>\s*<backend model='random'>\/dev\/urandom<\/backend>/);
    expect(ids(host(), vm(BASE, { os: oldLinux }))).not.toContain('virtio-rng');
  });
  it('balloon with KSM on: the fix turns the balloon off; KSM off is silent', () => {
    const after = fixGoes('balloon-ksm', host({ ksmRun: 1 }), vm(CLEAN));
    expect(after).toContain("<memballoon model='none'/>");
    expect(ids(host({ ksmRun: 0 }), vm(CLEAN))).not.toContain('balloon-ksm');
  });
  it('raw disks on a VM with snapshots: a host command, not run by Virtdeck', () => {
    const raw = withDevices(CLEAN, "<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='/srv/d.img'/><target dev='vdb' bus='virtio'/></disk>");
    const f = runRules(host(), [vm(raw, { snapshots: 2 })]).find((x) => x.rule === 'raw-snapshots')!;
    expect(f.fix).toMatchObject({ kind: 'host', available: false });
    expect(f.fix!.summary).toContain('qemu-img convert -f raw -O qcow2 /srv/d.img /srv/d.qcow2');
    expect(ids(host(), vm(raw, { snapshots: 0 }))).not.toContain('raw-snapshots');
  });
});

describe('cpu', () => {
  it('a KVM guest with a named model: host-passthrough with the migration caveat; never under TCG', () => {
    const v = vm(kvm(CLEAN));
    const f = runRules(host(), [v]).find((x) => x.rule === 'cpu-mode')!;
    expect(f.fix!.warnings.join(' ')).toMatch(/migrat/i);
    expect(fixGoes('cpu-mode', host(), v)).toMatch(/<cpu mode='host-passthrough' check='none' migratable='on'\/>/);
    expect(ids(host(), vm(CLEAN))).not.toContain('cpu-mode');
  });
  it('one VM with more vCPUs than the host: lowered to the host count', () => {
    const v = vm(CLEAN.replace("<vcpu placement='static' current='1'>2</vcpu>", "<vcpu placement='static' current='4'>8</vcpu>"));
    expect(fixGoes('vcpus-over-host', host(), v)).toContain("<vcpu placement='static'>2</vcpu>");
  });
  it('running vCPUs above the host CPUs in total (host finding, no fix to apply)', () => {
    const h = host({ running: [{ name: 'a', vcpus: 2 }, { name: 'b', vcpus: 1 }] });
    const f = runRules(h, []).find((x) => x.rule === 'vcpus-total')!;
    expect(f.vm).toBeNull();
    expect(f.evidence[0]).toContain('3 vCPUs in 2 running VMs');
    expect(runRules(host({ running: [{ name: 'a', vcpus: 2 }] }), [])).toEqual([]);
  });
});

describe('memory', () => {
  const HP = CLEAN.replace('<vcpu', '<memoryBacking>\n    <hugepages/>\n  </memoryBacking>\n  <vcpu');
  it('hugepage backing with too few free 2 MiB pages: allocpages --add of the missing ones', () => {
    expect(hugepageNeed(HP)).toEqual(new Map([[2048, 64]]));
    const h = host({ freePages: new Map([[2048, 10]]) });
    const f = runRules(h, [vm(HP)]).find((x) => x.rule === 'hugepages-unsatisfied')!;
    expect(f.evidence).toEqual(['needs 64 free pages of 2048 KiB for its memory', 'the host has 10 free']);
    expect(rule('hugepages-unsatisfied').fixSteps!(vm(HP), h)).toEqual([{ argv: ['allocpages', '--pagesize', '2048KiB', '--pagecount', '54', '--add'] }]);
    expect(ids(host({ freePages: new Map([[2048, 64]]) }), vm(HP))).not.toContain('hugepages-unsatisfied');
    expect(ids(h, vm(HP, { running: true }))).not.toContain('hugepages-unsatisfied');
  });
  it('1 GiB pages named in the XML are counted in their size', () => {
    expect(hugepageNeed(HP.replace('<hugepages/>', "<hugepages><page size='1' unit='GiB'/></hugepages>"))).toEqual(new Map([[1048576, 1]]));
  });
});

describe('disk I/O', () => {
  it("io='native' without O_DIRECT, cache='unsafe', and a block device with host caching get cache='none'", () => {
    const disk = (driver: string, type = 'file') => withDevices(CLEAN, `<disk type='${type}' device='disk'><driver name='qemu' type='raw' ${driver}/><source ${type === 'block' ? 'dev' : 'file'}='/dev/vg/x'/><target dev='vdb' bus='virtio'/></disk>`);
    expect(fixGoes('cache-io', host(), vm(disk("cache='writeback' io='native'")))).toContain("cache='none' io='native'");
    expect(fixGoes('cache-io', host(), vm(disk("cache='unsafe'")))).toContain("cache='none'");
    expect(fixGoes('cache-io', host(), vm(disk('', 'block')))).toContain("cache='none' io='native'");
    expect(ids(host(), vm(disk("cache='none' io='native'", 'block')))).not.toContain('cache-io');
  });
});

describe('clocks', () => {
  it('a Windows KVM guest without hypervclock: timer and enlightenments added; silent under TCG', () => {
    const after = fixGoes('windows-hyperv-clock', host(), vm(kvm(CLEAN), { os: win }));
    expect(after).toContain("<timer name='hypervclock' present='yes'/>");
    expect(after).toMatch(/<hyperv mode='custom'><relaxed state='on'\/>/);
    expect(ids(host(), vm(CLEAN, { os: win }))).not.toContain('windows-hyperv-clock');
  });
  it("a Linux KVM guest with kvmclock present='no': the timer goes; never under TCG", () => {
    const off = CLEAN.replace("<clock offset='utc'/>", "<clock offset='utc'>\n    <timer name='kvmclock' present='no'/>\n  </clock>");
    expect(fixGoes('kvmclock-off', host(), vm(kvm(off)))).not.toContain('kvmclock');
    expect(ids(host(), vm(off))).not.toContain('kvmclock-off');
  });
});

describe('facts', () => {
  it('reads the libosinfo os id and guesses short ids', () => {
    const xml = BASE.replace('</description>', '</description>\n  <metadata>\n    <libosinfo:libosinfo xmlns:libosinfo="http://libosinfo.org/xmlns/libvirt/domain/1.0">\n      <libosinfo:os id="http://debian.org/debian/12"/>\n    </libosinfo:libosinfo>\n  </metadata>');
    expect(osinfoIdOf(xml)).toBe('http://debian.org/debian/12');
    expect(osinfoIdOf(BASE)).toBeNull();
    expect(shortIdGuess('http://debian.org/debian/12')).toBe('debian12');
    expect(shortIdGuess('http://microsoft.com/win/10')).toBe('win10');
  });
  it('sums free pages per size over cells (real virsh freepages --all)', () => {
    expect(parseFreepages(readFileSync(join(__dirname, '..', 'fixtures', 'freepages.txt'), 'utf8'))).toEqual(new Map([[4, 3909875], [2048, 0], [1048576, 0]]));
    expect(parseFreepages('Node 0:\n2048KiB: 3\n\nNode 1:\n2048KiB: 4\n').get(2048)).toBe(7);
  });
});
