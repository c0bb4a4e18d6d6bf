/**
 * The definition a restore defines, from the one saved with the backup (through the DOM layer,
 * so unknown elements stay). As a new VM it is a copy of the backed-up one and gets the same new
 * identity as a clone (clone/identity.ts: virt-clone's rules); the saved NVRAM file stays the old
 * VM's, so libvirt makes a fresh one from the firmware's template. https://libvirt.org/formatdomain.html
 */
import { attr, child, elementChildren, setText } from '../../xml/dom';
import { DomainXml } from '../../xml/domain-xml';
import { pointDiskAtFile } from '../../xml/edit-devices';
import { giveNewIdentity } from '../clone/identity';

/** Each backed-up disk's source in the saved XML → the restored volume's path (made qcow2). */
export type DiskMap = ReadonlyMap<string, string>;

function repointDisks(dom: DomainXml, disks: DiskMap): void {
  for (const d of elementChildren(dom.devices, 'disk')) {
    const target = attr(child(d, 'target'), 'dev');
    const to = target === undefined ? undefined : disks.get(target);
    if (to !== undefined) pointDiskAtFile(d, to, 'qcow2');
  }
}

/** The saved definition as a new VM named `name`, its disks (by target) on the restored volumes. */
export function restoreAsNewXml(saved: string, name: string, disks: DiskMap): string {
  const dom = DomainXml.parse(saved);
  giveNewIdentity(dom, name, null);
  repointDisks(dom, disks);
  return dom.toXml();
}

/** The saved definition for the same VM (its current name kept), disks on the restored volumes. */
export function restoreOverXml(saved: string, currentName: string, uuid: string, disks: DiskMap): string {
  const dom = DomainXml.parse(saved);
  setText(child(dom.root, 'name')!, currentName);
  const u = child(dom.root, 'uuid');
  if (u) setText(u, uuid);
  repointDisks(dom, disks);
  return dom.toXml();
}
