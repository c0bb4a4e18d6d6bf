/**
 * Per-device boot order: `<boot order='N'/>` inside disks, NICs and host devices. libvirt
 * refuses it together with `<os><boot dev=…>` (editBoot removes those).
 * https://libvirt.org/formatdomain.html#specifying-boot-order
 */
import { AppError } from '../../shared/errors';
import { attr, child, h, insertChild, removeElement, setAttr } from './dom';
import type { DomainXml } from './domain-xml';
import { deviceIds } from './read-devices';

/** Where <boot> goes among each bootable device's children, in libvirt's output order. */
const CHILD_ORDER: Record<string, readonly string[]> = {
  disk: ['driver', 'source', 'backingStore', 'target', 'iotune', 'boot', 'readonly', 'shareable', 'serial', 'alias', 'address'],
  interface: ['mac', 'source', 'virtualport', 'target', 'model', 'driver', 'link', 'boot', 'rom', 'alias', 'address'],
  hostdev: ['driver', 'source', 'boot', 'rom', 'alias', 'address'],
  redirdev: ['source', 'protocol', 'boot', 'alias', 'address'],
};

export const isBootable = (tag: string) => tag in CHILD_ORDER;

/**
 * The devices in `ids` boot in that order (1, 2, …); every other device loses its <boot>. A
 * device already at its place keeps its element as written (e.g. a loadparm attribute).
 */
export function setDeviceBootOrder(x: DomainXml, ids: readonly string[]): void {
  const all = deviceIds(x.devices);
  for (const id of ids) {
    const dev = all.find((d) => d.id === id);
    if (!dev) throw new AppError('not_found', `no device ${id}`);
    if (!isBootable(dev.el.tagName)) throw new AppError('invalid_args', `${id} cannot boot`);
  }
  if (new Set(ids).size !== ids.length) throw new AppError('invalid_args', 'a device is listed twice in the boot order');
  for (const { id, el } of all) {
    if (!isBootable(el.tagName)) continue;
    const n = ids.indexOf(id) + 1;
    const boot = child(el, 'boot');
    if (n === 0) {
      if (boot) removeElement(boot);
    } else if (!boot) insertChild(el, h(x.doc, 'boot', { order: n }), CHILD_ORDER[el.tagName]);
    else if (attr(boot, 'order') !== String(n)) setAttr(boot, 'order', n);
  }
}
