import { beforeAll, describe, expect, it } from 'vitest';
import { DomainConfig, type HardwareEdit } from '../../shared/model/details';
import { addDevice, removeDevice } from './add-remove';
import { canonicalize } from './c14n';
import { DomainXml } from './domain-xml';
import { editDevice } from './edit-devices';
import { editBoot, editCpu, editEvents, editGeneral, editMemory, editVcpus } from './edit-general';
import { corpus } from './testing/corpus';
import { significant, treeDiff } from './testing/tree-diff';
import { hasXmllint, xmllintC14n, xmllintC14nFiles } from './testing/xmllint';

// Corpus: electron/xml/fixtures (generate.sh: virt-install 4.1.0 --print-xml and virsh dumpxml,
// libvirt 9.0.0 on Debian 12; hand/ written by hand for host devices this machine lacks).
const files = corpus();
const cases = files.map((f) => [f.name, f] as const);

describe('an unedited model', () => {
  let reference = new Map<string, string>();
  beforeAll(async () => {
    if (hasXmllint) reference = await xmllintC14nFiles(files.map((f) => f.path));
  }, 120_000);

  it('covers at least 50 real domain XMLs', () => {
    expect(files.filter((f) => f.name.startsWith('corpus/')).length).toBeGreaterThanOrEqual(50);
  });

  it.each(cases)('re-serialises %s C14N-identically', (_, f) => {
    expect(canonicalize(DomainXml.parse(f.xml).toXml())).toBe(canonicalize(f.xml));
  });

  it.runIf(hasXmllint).each(cases)('re-serialises %s identically by libxml2 too', async (_, f) => {
    expect(await xmllintC14n(DomainXml.parse(f.xml).toXml())).toBe(reference.get(f.path));
  });

  // libvirt copies <metadata> children verbatim, so virt-install's double quotes survive there;
  // the serialiser writes libvirt's single quotes everywhere. Quote style is all that may differ.
  const singleQuoted = (xml: string) => xml.replace(/="([^"']*)"/g, "='$1'");
  it.each(cases.filter(([, f]) => f.libvirtFormatted))('gives back %s byte for byte, as libvirt wrote it', (_, f) => {
    expect(DomainXml.parse(f.xml).toXml()).toBe(singleQuoted(f.xml));
  });

  it.each(cases)('reads %s into the typed view the details screen uses', (_, f) => {
    const config = DomainXml.parse(f.xml).read();
    expect(() => DomainConfig.parse(config)).not.toThrow();
    expect(config.name).not.toBe('');
  });
});

type EditCase = { label: string; edit: (x: DomainXml) => void; expect: string[] } | null;

/** The single-field edits that make sense for a VM, each with the only paths it may change. */
function editsFor(x: DomainXml): EditCase[] {
  const c = x.read();
  const dev = (kind: string) => c.devices.filter((d) => d.kind === kind);
  const nth = (id: string) => `/domain/devices[0]/${id}`;
  const list: EditCase[] = [
    { label: 'title', edit: (m) => editGeneral(m, { kind: 'general', title: 'Edited title' }), expect: ['/domain/title', '/domain/+title'] },
    { label: 'description', edit: (m) => editGeneral(m, { kind: 'general', description: 'Line 1\nLine 2 & <more>' }), expect: ['/domain/description', '/domain/+description'] },
    { label: 'max memory', edit: (m) => editMemory(m, { kind: 'memory', maxKiB: c.memory.maxKiB * 2, currentKiB: c.memory.currentKiB }), expect: ['/domain/memory[0]/text()'] },
    { label: 'current memory', edit: (m) => editMemory(m, { kind: 'memory', maxKiB: c.memory.maxKiB, currentKiB: Math.max(1024, Math.floor(c.memory.currentKiB / 2 / 1024) * 1024) }), expect: ['/domain/currentMemory', '/domain/+currentMemory'] },
    { label: 'memtune hard limit', edit: (m) => editMemory(m, { kind: 'memory', maxKiB: c.memory.maxKiB, currentKiB: c.memory.currentKiB, hardLimitKiB: 8388608 }), expect: ['/domain/memtune', '/domain/+memtune'] },
    { label: 'hugepages', edit: (m) => editMemory(m, { kind: 'memory', maxKiB: c.memory.maxKiB, currentKiB: c.memory.currentKiB, hugepages: !c.memory.hugepages }), expect: ['/domain/memoryBacking', '/domain/+memoryBacking', '/domain/-memoryBacking'] },
    { label: 'max vCPUs', edit: (m) => editVcpus(m, { kind: 'vcpus', max: c.vcpu.max + 2, current: c.vcpu.current }), expect: ['/domain/vcpu[0]/text()', '/domain/vcpu[0]/@current'] },
    { label: 'current vCPUs', edit: (m) => editVcpus(m, { kind: 'vcpus', max: c.vcpu.max + 1, current: c.vcpu.max + 1 === c.vcpu.current ? 1 : c.vcpu.current }), expect: ['/domain/vcpu[0]'] },
    { label: 'cpuset', edit: (m) => editVcpus(m, { kind: 'vcpus', max: c.vcpu.max, current: c.vcpu.current, cpuset: '0-1' }), expect: ['/domain/vcpu[0]/@cpuset'] },
    { label: 'CPU mode', edit: (m) => editCpu(m, { kind: 'cpu', mode: c.cpu.mode === 'host-passthrough' ? 'host-model' : 'host-passthrough' }), expect: ['/domain/cpu', '/domain/+cpu'] },
    { label: 'CPU topology', edit: (m) => editCpu(m, { kind: 'cpu', mode: 'custom', model: 'qemu64', topology: { sockets: 1, cores: 2, threads: 1 } }), expect: ['/domain/cpu', '/domain/+cpu'] },
    { label: 'boot menu', edit: (m) => editBoot(m, { kind: 'boot', bootMenu: !c.os.bootMenu }), expect: ['/domain/os[0]/bootmenu', '/domain/os[0]/+bootmenu'] },
    { label: 'kernel cmdline', edit: (m) => editBoot(m, { kind: 'boot', cmdline: 'console=ttyS0 edited' }), expect: ['/domain/os[0]/cmdline', '/domain/os[0]/+cmdline'] },
    c.os.bootDevs.length > 0 && !c.devices.some((d) => 'bootOrder' in d && d.bootOrder !== undefined)
      ? { label: 'boot order', edit: (m) => editBoot(m, { kind: 'boot', bootDevs: ['cdrom', 'hd'] }), expect: ['/domain/os[0]/'] }
      : null,
    { label: 'on_crash', edit: (m) => editEvents(m, { kind: 'events', onCrash: 'preserve' }), expect: ['/domain/on_crash', '/domain/+on_crash'] },
  ];
  const dev1 = <K extends HardwareEdit['kind']>(kind: string, label: string, make: (id: string) => Extract<HardwareEdit, { kind: K }>, extra: (id: string) => string[] = () => []) => {
    for (const d of dev(kind)) list.push({ label: `${label} of ${d.id}`, edit: (m) => editDevice(m, make(d.id) as never), expect: [nth(d.id), ...extra(d.id)] });
  };
  dev1('disk', 'cache', (id) => ({ kind: 'disk', id, cache: 'writeback' }));
  dev1('disk', 'readonly', (id) => ({ kind: 'disk', id, readonly: true }));
  dev1('interface', 'model', (id) => ({ kind: 'interface', id, model: 'e1000e' }));
  dev1('interface', 'MAC', (id) => ({ kind: 'interface', id, mac: '52:54:00:12:34:56' }));
  dev1('graphics', 'port', (id) => ({ kind: 'graphics', id, port: 5990 }));
  dev1('video', 'model', (id) => ({ kind: 'video', id, model: 'virtio' }));
  dev1('video', 'VRAM and heads', (id) => ({ kind: 'video', id, vram: 32768, heads: 2 }));
  dev1('sound', 'model', (id) => ({ kind: 'sound', id, model: 'ich9' }));
  dev1('watchdog', 'action', (id) => ({ kind: 'watchdog', id, action: 'pause' }));
  dev1('memballoon', 'stats period', (id) => ({ kind: 'memballoon', id, statsPeriod: 7 }));
  dev1('controller', 'model', (id) => ({ kind: 'controller', id, model: 'edited-model' }));
  dev1('filesystem', 'target', (id) => ({ kind: 'filesystem', id, target: 'edited' }));
  dev1('tpm', 'model', (id) => ({ kind: 'tpm', id, model: 'tpm-tis' }));
  for (const d of c.devices)
    if (d.kind === 'tpm' && d.backendType === 'emulator')
      list.push({ label: `version of ${d.id}`, edit: (m) => editDevice(m, { kind: 'tpm', id: d.id, version: d.version === '1.2' ? '2.0' : '1.2' }), expect: [`${nth(d.id)}/backend`] });
  dev1('input', 'bus', (id) => ({ kind: 'input', id, bus: 'virtio' }));
  for (const d of c.devices)
    if (d.kind === 'hostdev') list.push({ label: `managed of ${d.id}`, edit: (m) => editDevice(m, { kind: 'hostdev', id: d.id, managed: !d.managed }), expect: [`${nth(d.id)}/@managed`] });
  // Per-device boot order on the first disk: only <os>'s <boot dev> and that disk change.
  const firstDisk = dev('disk')[0];
  if (firstDisk && !c.devices.some((d) => 'bootOrder' in d && d.bootOrder !== undefined))
    list.push({ label: `boot order on ${firstDisk.id}`, edit: (m) => editBoot(m, { kind: 'boot', deviceOrder: [firstDisk.id] }), expect: ['/domain/os[0]/-boot', '/domain/os[0]/+boot', '/domain/+os', `${nth(firstDisk.id)}/+boot`] });
  const devicesPath = '/domain/devices[0]';
  list.push(
    { label: 'add a NIC', edit: (m) => void addDevice(m, { kind: 'interface', type: 'network', source: 'default', model: 'virtio' }), expect: [`${devicesPath}/+interface`, '/domain/+devices'] },
    { label: 'add a disk', edit: (m) => void addDevice(m, { kind: 'disk', device: 'disk', source: { type: 'path', path: '/x' }, path: '/var/lib/x.qcow2', bus: 'virtio' }), expect: [`${devicesPath}/+disk`, '/domain/+devices'] },
  );
  for (const d of c.devices.slice(0, 3)) list.push({ label: `remove ${d.id}`, edit: (m) => void removeDevice(m, d.id), expect: [`${devicesPath}/-${d.id.replace(/\[\d+\]$/, '')}`] });
  // The provision template's sizes are @PLACEHOLDERS@, not numbers: no memory edit is meaningful there.
  return c.memory.maxKiB === 0 ? list.filter((e) => !/memory|memtune|hugepages/.test(e?.label ?? '')) : list;
}

describe('one edit changes only its field', () => {
  it.each(cases)('in %s', (_, f) => {
    const original = DomainXml.parse(f.xml);
    for (const ec of editsFor(original)) {
      if (!ec) continue;
      const m = DomainXml.parse(f.xml);
      ec.edit(m);
      const out = m.toXml();
      const changed = significant(treeDiff(f.xml, out));
      const stray = changed.filter((p) => !ec.expect.some((e) => p.startsWith(e)));
      expect({ edit: ec.label, stray }).toEqual({ edit: ec.label, stray: [] });
      // And the edited document is still one libvirt can read back into the same typed view.
      expect(() => DomainConfig.parse(DomainXml.parse(out).read())).not.toThrow();
    }
  });
});
