import { z } from 'zod';
import { HostId } from '../model/host';
import { DomainUuid } from '../model/domain';
import { CloneArgs, CloneOptions, CloneProgress, CloneResult, DiskChainInfo, TemplateInfo } from '../model/clone';
import { type EventTable, type RequestTable } from './common';

const onVm = { hostId: HostId, uuid: DomainUuid };

export const clonesRequests = {
  /** What the clone dialog offers for this VM: per-disk modes (and why some are off), names, warnings. */
  'clones.options': { args: z.object(onVm).strict(), result: CloneOptions },
  /** Clones a shut-off VM; on failure everything made so far is removed and the error says what. */
  'clones.create': { args: CloneArgs, result: CloneResult },
  /** Marks or unmarks a VM as a template (Virtdeck's own <metadata> namespace, redefined with history). */
  'templates.set': {
    /** Removing the mark while linked clones use the VM's disks as their base needs `force`. */
    args: z.object({ ...onVm, template: z.boolean(), force: z.boolean().default(false) }).strict(),
    result: z.object({ template: z.boolean() }),
  },
  /** Each disk of the VM with its backing chain, nearest base first (read through libvirt, qemu-img for files in no pool). */
  'clones.chains': { args: z.object(onVm).strict(), result: z.array(DiskChainInfo) },
  /** The host's templates. */
  'templates.list': { args: z.object({ hostId: HostId }).strict(), result: z.array(TemplateInfo) },
} as const satisfies RequestTable;

export const clonesEvents = {
  'clones.progress': CloneProgress,
} as const satisfies EventTable;
