import { z } from 'zod';
import { HostId } from '../model/host';
import { DomainUuid } from '../model/domain';
import { DeviceId, DomainDetails, EditResult, HardwareEdit, HistoryEntry, NewDevice, NodeDeviceList, XmlValidation } from '../model/details';
import { HostPath, onHost, type EventTable, type RequestTable } from './common';

const onVm = { hostId: HostId, uuid: DomainUuid };
/** A domain definition as the XML editor sends it (libvirt's own limit is far above real VMs). */
const DomainXmlText = z.string().min(1).max(4 * 1024 * 1024);
/** The etag from details.get / details.xml: the definition the change was made against. */
const Etag = z.string().min(1).max(128);

/** What applying XML did: the persistent config changed; a running VM sees it at its next boot. */
export const XmlApplyResult = z.object({ etag: z.string(), running: z.boolean() });
export type XmlApplyResult = z.infer<typeof XmlApplyResult>;

export const detailsRequests = {
  /** Status, persistent config (typed), live config while running, and the etag edits carry. */
  'details.get': { args: z.object(onVm).strict(), result: DomainDetails },
  /** The XML: the persistent definition (inactive) or what the running VM uses (live). */
  'details.xml': {
    args: z.object({ ...onVm, live: z.boolean().default(false) }).strict(),
    result: z.object({ xml: z.string(), etag: z.string() }),
  },
  /** Well-formedness, identity and libvirt's schema (on the host); never defines anything. */
  'details.validateXml': { args: z.object({ ...onVm, xml: DomainXmlText }).strict(), result: XmlValidation },
  /** `virsh define --validate` with this XML; the replaced definition goes to the history. */
  'details.applyXml': { args: z.object({ ...onVm, xml: DomainXmlText, etag: Etag }).strict(), result: XmlApplyResult },
  'details.history': { args: z.object(onVm).strict(), result: z.array(HistoryEntry) },
  /** Defines a definition from the history again (the current one is kept in the history too). */
  'details.restore': { args: z.object({ ...onVm, entryId: z.string().max(64), etag: Etag }).strict(), result: XmlApplyResult },
  /**
   * One hardware form's change — one edit, or several applied in order to one definition (a form
   * with several settings) — with one `define`; `live` also applies it to the running VM where
   * libvirt can. `commands.preview` shows its virsh commands first.
   */
  'details.edit': { args: z.object({ ...onVm, etag: Etag, edit: z.union([HardwareEdit, z.array(HardwareEdit).min(1).max(16)]), live: z.boolean().default(false) }).strict(), result: EditResult },
  'details.addDevice': {
    args: z.object({ ...onVm, etag: Etag, device: NewDevice, live: z.boolean().default(false) }).strict(),
    result: EditResult.extend({ id: z.string() }),
  },
  'details.removeDevice': { args: z.object({ ...onVm, etag: Etag, id: DeviceId, live: z.boolean().default(false) }).strict(), result: EditResult },
  /** CD-ROM/floppy: insert (source) or eject (null), live and in the config (`change-media`). */
  'details.changeMedia': { args: z.object({ ...onVm, target: z.string().regex(/^[a-z]{2,4}[a-z0-9]{1,8}$/), source: HostPath.nullable() }).strict(), result: EditResult },
  /** Host USB and PCI devices that can be passed through (`nodedev-list`). */
  'details.hostDevices': { args: onHost, result: NodeDeviceList },
  /** Active storage pools a new disk volume can be created in. */
  'details.pools': { args: onHost, result: z.array(z.string()) },
} as const satisfies RequestTable;

export const detailsEvents = {} as const satisfies EventTable;
