/**
 * Disk I/O: cache and io modes that do not suit the disk.
 * - io='native' (Linux AIO) needs O_DIRECT, i.e. cache='none' or 'directsync'; with a host
 *   page cache QEMU falls back to blocking I/O in the submitting thread.
 * - A host block device (LVM, a partition, a LUN) has no file system to cache for: cache='none'
 *   with io='native' avoids caching the guest's data twice.
 * - cache='unsafe' ignores the guest's flushes: a host crash loses data the guest thinks is safe.
 * https://libvirt.org/formatdomain.html#hard-drives-floppy-disks-cdroms (driver cache, io) and
 * https://www.qemu.org/docs/master/system/qemu-block-drivers.html#disk-image-file-locking
 */
import { editDevice } from '../../../xml/edit-devices';
import { deviceIds } from '../../../xml/read-devices';
import { attr, child, type Element } from '../../../xml/dom';
import { doc, nextBoot, rootOf, vmFinding, type DomainXml, type Rule } from './types';

type Problem = { id: string; target: string; why: string; cache: 'none'; io?: 'native' };

const O_DIRECT = ['none', 'directsync'];

/** The disks whose cache/io does not suit them, with the modes that do. Pure. */
export function ioProblems(devices: Element | undefined): Problem[] {
  const out: Problem[] = [];
  for (const { id, el } of deviceIds(devices)) {
    if (el.tagName !== 'disk' || (attr(el, 'device') ?? 'disk') !== 'disk' || child(el, 'readonly')) continue;
    const driver = child(el, 'driver');
    const cache = attr(driver, 'cache');
    const io = attr(driver, 'io');
    const target = attr(child(el, 'target'), 'dev') ?? '?';
    if (cache === 'unsafe') out.push({ id, target, why: `disk ${target}: cache='unsafe' ignores the guest’s flushes`, cache: 'none' });
    else if (io === 'native' && !O_DIRECT.includes(cache ?? '')) out.push({ id, target, why: `disk ${target}: io='native' with cache='${cache ?? 'default (writeback)'}' (native AIO needs O_DIRECT)`, cache: 'none' });
    else if (attr(el, 'type') === 'block' && !O_DIRECT.includes(cache ?? ''))
      out.push({ id, target, why: `disk ${target} is a host block device with cache='${cache ?? 'default (writeback)'}'`, cache: 'none', io: 'native' });
  }
  return out;
}

export const cacheIoRule: Rule = {
  rule: 'cache-io',
  group: 'disk-io',
  vm(vm) {
    const problems = ioProblems(child(rootOf(vm.xml), 'devices'));
    if (problems.length === 0) return [];
    return [
      vmFinding(this, vm, {
        severity: 'warning',
        title: 'Disk cache/io modes that do not suit the disk',
        evidence: problems.map((p) => p.why),
        source: doc('https://libvirt.org/formatdomain.html#hard-drives-floppy-disks-cdroms', 'libvirt: disk driver cache and io modes'),
        fix: {
          kind: 'xml',
          summary: problems.map((p) => `${p.target}: cache='${p.cache}'${p.io ? ` io='${p.io}'` : ''}`).join('; '),
          warnings: [...nextBoot(vm), "cache='none' opens the image with O_DIRECT: a file system that does not support it (tmpfs) refuses to start the VM."],
          available: true,
          reason: null,
        },
      }),
    ];
  },
  fixXml(x: DomainXml) {
    for (const p of ioProblems(x.devices)) editDevice(x, { kind: 'disk', id: p.id, cache: p.cache, ...(p.io ? { io: p.io } : {}) });
  },
};

export const diskIoRules = [cacheIoRule];
