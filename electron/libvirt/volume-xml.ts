/**
 * The <volume> definition of a volume Virtdeck has libvirt make (`vol-create`, or `vol-create-from`,
 * which converts the input volume into it with qemu-img as libvirtd). Built through the DOM: the
 * name is untrusted. https://libvirt.org/formatstorage.html#storage-volume-xml
 * https://libvirt.org/manpages/virsh.html#vol-create-from
 */
import { h, parseXml, serializeXml } from '../xml/dom';

export interface NewVolume {
  name: string;
  /** Bytes. */
  capacity: number | string;
  /** The file format (`qcow2`, `raw`…): what vol-create-from converts into. */
  format: string;
  /** Bytes to allocate up front; left out, libvirt decides (sparse for a conversion). */
  allocation?: number | string;
  /** qcow2 `compat` ('1.1' = v3, which can hold the dirty bitmaps incremental backups need). */
  compat?: string;
  /** A qcow2 overlay on this file. */
  backing?: { path: string; format: string };
}

export function newVolumeXml(v: NewVolume): string {
  const doc = parseXml('<volume/>');
  const vol = doc.documentElement!;
  vol.appendChild(h(doc, 'name', {}, [v.name]));
  vol.appendChild(h(doc, 'capacity', { unit: 'bytes' }, [String(v.capacity)]));
  if (v.allocation !== undefined) vol.appendChild(h(doc, 'allocation', { unit: 'bytes' }, [String(v.allocation)]));
  vol.appendChild(h(doc, 'target', {}, [h(doc, 'format', { type: v.format }), ...(v.compat !== undefined ? [h(doc, 'compat', {}, [v.compat])] : [])]));
  if (v.backing) vol.appendChild(h(doc, 'backingStore', {}, [h(doc, 'path', {}, [v.backing.path]), h(doc, 'format', { type: v.backing.format })]));
  return serializeXml(doc);
}
