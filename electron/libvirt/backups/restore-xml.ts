/**
 * The definition a restore defines, from the one saved with the backup (through the DOM layer,
 * so unknown elements stay). As a new VM it follows virt-clone's rules: new name, no UUID (libvirt
 * makes one), no MAC addresses (libvirt makes fresh ones: it silently accepts a duplicate), graphics
 * on autoport, serial/console log files and NVRAM renamed, title cleared. https://libvirt.org/formatdomain.html
 */
import { attr, child, elementChildren, ensureChild, removeElement, setAttr, setText } from '../../xml/dom';
import { DomainXml } from '../../xml/domain-xml';

/** Each backed-up disk's source in the saved XML → the restored volume's path (made qcow2). */
export type DiskMap = ReadonlyMap<string, string>;

function repointDisks(dom: DomainXml, disks: DiskMap): void {
  for (const d of elementChildren(dom.devices, 'disk')) {
    const target = attr(child(d, 'target'), 'dev');
    const to = target === undefined ? undefined : disks.get(target);
    if (to === undefined) continue;
    setAttr(d, 'type', 'file');
    const src = ensureChild(d, 'source');
    for (const a of ['dev', 'pool', 'volume', 'name', 'protocol']) src.removeAttribute(a);
    setAttr(src, 'file', to);
    for (const b of elementChildren(d, 'backingStore')) removeElement(b);
    const driver = child(d, 'driver');
    if (driver) setAttr(driver, 'type', 'qcow2');
  }
}

/** The saved definition as a new VM named `name`, its disks (by target) on the restored volumes. */
export function restoreAsNewXml(saved: string, name: string, disks: DiskMap): string {
  const dom = DomainXml.parse(saved);
  const oldName = dom.name;
  setText(child(dom.root, 'name')!, name);
  const uuid = child(dom.root, 'uuid');
  if (uuid) removeElement(uuid);
  const title = child(dom.root, 'title');
  if (title) removeElement(title);
  repointDisks(dom, disks);
  for (const iface of elementChildren(dom.devices, 'interface')) {
    const mac = child(iface, 'mac');
    if (mac) removeElement(mac);
  }
  for (const g of elementChildren(dom.devices, 'graphics')) {
    if (attr(g, 'port') !== undefined && attr(g, 'port') !== '-1') setAttr(g, 'autoport', 'yes');
    g.removeAttribute('port');
    g.removeAttribute('tlsPort');
    g.removeAttribute('websocket');
  }
  // Log files named after the VM would be shared (and overwritten) by both VMs.
  for (const log of Array.from(dom.root.getElementsByTagName('log'))) {
    const file = attr(log, 'file');
    if (file?.includes(oldName)) setAttr(log, 'file', file.split(oldName).join(name));
  }
  // NVRAM: libvirt makes a fresh one from the template when none is named (the old file stays the old VM's).
  const nvram = child(child(dom.root, 'os'), 'nvram');
  if (nvram) removeElement(nvram);
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
