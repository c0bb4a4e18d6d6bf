/**
 * A definition made into a second VM: virt-clone's identity rules, in one place for everything
 * that defines a copy of an existing VM (clones, and a backup restored as a new VM). New name; no
 * UUID (libvirt makes one); a fresh VM generation ID; no title; not a template; no MAC addresses
 * (libvirt silently accepts a duplicate, so dropping them makes it generate fresh ones); VNC/SPICE
 * on autoport; serial/console/parallel/channel log and socket paths renamed (two VMs must never
 * write one log); NVRAM on the given copy, or none (libvirt then makes NAME_VARS.fd from the
 * firmware's template). https://github.com/virt-manager/virt-manager/blob/main/virtinst/cloner.py
 * https://libvirt.org/formatdomain.html#general-metadata
 */
import { posix } from 'node:path';
import { attr, child, elementChildren, removeElement, setAttr, setText } from '../../xml/dom';
import type { DomainXml } from '../../xml/domain-xml';
import { TEMPLATE_NS } from '../templates';

/** A file name's extension (".qcow2", ".log"), or ''. */
export const extOf = (name: string) => /(\.[A-Za-z0-9]{1,8})$/.exec(name)?.[1] ?? '';

/** A log or socket path of the source, renamed for the copy: the old VM name replaced, else `-NEWNAME` before the extension. */
export function renamedPath(p: string, oldVm: string, newVm: string): string {
  const dir = posix.dirname(p);
  const base = posix.basename(p);
  if (oldVm !== '' && base.includes(oldVm)) return posix.join(dir, base.replaceAll(oldVm, newVm));
  const ext = extOf(base);
  return posix.join(dir, `${base.slice(0, base.length - ext.length)}-${newVm}${ext}`);
}

/** Applies the rules above to `x` (in place); disks are left to the caller. */
export function giveNewIdentity(x: DomainXml, newName: string, nvramPath: string | null): void {
  const r = x.root;
  const oldName = x.name;
  setText(child(r, 'name')!, newName);
  const uuid = child(r, 'uuid');
  if (uuid) removeElement(uuid);
  const genid = child(r, 'genid'); // an empty <genid/> makes libvirt generate a new one
  if (genid) setText(genid, '');
  const title = child(r, 'title');
  if (title) removeElement(title);
  const meta = child(r, 'metadata');
  for (const e of elementChildren(meta)) if (e.namespaceURI === TEMPLATE_NS) removeElement(e);
  if (meta && elementChildren(meta).length === 0) removeElement(meta);
  const nvram = child(child(r, 'os'), 'nvram');
  if (nvram) {
    if (nvramPath !== null) setText(nvram, nvramPath);
    else removeElement(nvram);
  }
  const devs = x.devices;
  if (!devs) return;
  for (const i of elementChildren(devs, 'interface')) for (const m of elementChildren(i, 'mac')) removeElement(m);
  for (const g of elementChildren(devs, 'graphics')) {
    if (attr(g, 'type') !== 'vnc' && attr(g, 'type') !== 'spice') continue;
    if (attr(g, 'port') !== undefined || attr(g, 'autoport') !== undefined) setAttr(g, 'port', '-1');
    setAttr(g, 'autoport', 'yes');
    if (attr(g, 'tlsPort') !== undefined) setAttr(g, 'tlsPort', '-1');
    if (attr(g, 'websocket') !== undefined && attr(g, 'websocket') !== '-1') setAttr(g, 'websocket', '-1');
  }
  for (const tag of ['serial', 'console', 'parallel', 'channel']) {
    for (const c of elementChildren(devs, tag)) {
      const log = child(c, 'log');
      if (attr(log, 'file')) setAttr(log!, 'file', renamedPath(attr(log, 'file')!, oldName, newName));
      const src = child(c, 'source');
      if ((attr(c, 'type') === 'file' || attr(c, 'type') === 'unix') && attr(src, 'path')) setAttr(src!, 'path', renamedPath(attr(src, 'path')!, oldName, newName));
    }
  }
}
