/**
 * Devices: no virtio RNG for a guest that supports one; a memory balloon while KSM merges pages
 * (the seed: the two work against each other); raw disks on a VM that has snapshots (the seed:
 * snapshots need qcow2). https://libvirt.org/formatdomain.html#random-number-generator-device
 */
import { addDevice } from '../../../xml/add-remove';
import { attr, child, removeChildren, setAttr } from '../../../xml/dom';
import { devicesOf, doc, nextBoot, rootOf, seed, vmFinding, type DomainXml, type Rule } from './types';

export const rngRule: Rule = {
  rule: 'virtio-rng',
  group: 'devices',
  vm(vm) {
    if (!vm.os?.virtioRng) return [];
    if (devicesOf(rootOf(vm.xml), 'rng').some((r) => attr(r, 'model') === 'virtio')) return [];
    return [
      vmFinding(this, vm, {
        severity: 'info',
        title: 'No virtio RNG: the guest gathers entropy slowly',
        evidence: ['no <rng model=\'virtio\'> among the devices', `OS: ${vm.os.name} — osinfo lists virtio-rng for it`],
        source: doc('https://libvirt.org/formatdomain.html#random-number-generator-device', 'libvirt: random number generator device (virtio-rng fed from the host’s /dev/urandom)'),
        fix: { kind: 'xml', summary: 'Add a virtio RNG fed from /dev/urandom.', warnings: nextBoot(vm), available: true, reason: null },
      }),
    ];
  },
  fixXml(x: DomainXml) {
    addDevice(x, { kind: 'rng', backend: '/dev/urandom' } as Parameters<typeof addDevice>[1]);
  },
};

export const balloonKsmRule: Rule = {
  rule: 'balloon-ksm',
  group: 'devices',
  vm(vm, host) {
    if (host.ksmRun !== 1) return [];
    const balloon = devicesOf(rootOf(vm.xml), 'memballoon')[0];
    if (!balloon || attr(balloon, 'model') === 'none') return [];
    return [
      vmFinding(this, vm, {
        severity: 'info',
        title: 'Memory balloon together with KSM',
        evidence: [`<memballoon model='${attr(balloon, 'model') ?? ''}'>`, '/sys/kernel/mm/ksm/run is 1 (KSM merging)'],
        source: seed('KSM pays with many similar guests and not together with a balloon: the balloon hands pages back that KSM just merged, and both cost CPU.'),
        fix: { kind: 'xml', summary: "Turn the balloon off (<memballoon model='none'/>).", warnings: [...nextBoot(vm), 'Without a balloon the host cannot reclaim memory from this guest at run time, and its memory statistics go.'], available: true, reason: null },
      }),
    ];
  },
  fixXml(x: DomainXml) {
    for (const b of devicesOf(x.root, 'memballoon')) {
      setAttr(b, 'model', 'none');
      for (const tag of ['stats', 'address', 'alias', 'driver']) removeChildren(b, tag);
      setAttr(b, 'autodeflate', undefined);
      setAttr(b, 'freePageReporting', undefined);
    }
  },
};

export const rawSnapshotsRule: Rule = {
  rule: 'raw-snapshots',
  group: 'devices',
  vm(vm) {
    if (!vm.snapshots) return [];
    const raw = devicesOf(rootOf(vm.xml), 'disk').filter((d) => (attr(d, 'device') ?? 'disk') === 'disk' && attr(child(d, 'driver'), 'type') === 'raw' && !child(d, 'readonly'));
    if (raw.length === 0) return [];
    const src = (d: (typeof raw)[number]) => attr(child(d, 'source'), 'file') ?? attr(child(d, 'source'), 'dev') ?? attr(child(d, 'source'), 'volume') ?? '?';
    return [
      vmFinding(this, vm, {
        severity: 'warning',
        title: 'Raw disks on a VM with snapshots',
        evidence: [`${vm.snapshots} snapshot(s)`, ...raw.map((d) => `disk ${attr(child(d, 'target'), 'dev') ?? '?'} is raw: ${src(d)}`)],
        source: seed('Snapshots need qcow2: a raw disk has no internal snapshots, and a revert or an internal snapshot of the whole VM fails or leaves it out.'),
        fix: {
          kind: 'host',
          summary: `With the VM shut off: qemu-img convert -f raw -O qcow2 ${src(raw[0]!)} ${src(raw[0]!).replace(/(\.raw|\.img)?$/, '.qcow2')}, then point the disk at the copy with format qcow2.`,
          warnings: ['The copy needs as much free space as the data in the disk.'],
          available: false,
          reason: 'Virtdeck does not convert disk images itself: run the command on the host, then change the disk in the VM’s hardware view.',
        },
      }),
    ];
  },
};

export const devicesRules = [rngRule, balloonKsmRule, rawSnapshotsRule];
