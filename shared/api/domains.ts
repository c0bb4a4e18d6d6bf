import { z } from 'zod';
import { HostId } from '../model/host';
import { ActionResult, DeletePlan, DeleteResult, DomainAction, DomainList, DomainNotice, DomainUuid } from '../model/domain';
import { DomainAddresses, StatsLayout, StatsTick } from '../model/stats';
import { HostPath, onHost, type EventTable, type RequestTable } from './common';

export const domainRequests = {
  'domains.list': { args: onHost, result: DomainList },
  'domains.action': {
    args: z.object({ hostId: HostId, uuids: z.array(DomainUuid).min(1).max(1000), action: DomainAction }).strict(),
    result: z.array(ActionResult),
  },
  /** Long jobs on their own channel: `virsh save` / `virsh restore` with a path on the host. */
  'domains.saveToFile': { args: z.object({ hostId: HostId, uuid: DomainUuid, path: HostPath }).strict(), result: z.null() },
  'domains.restoreFromFile': { args: z.object({ hostId: HostId, path: HostPath }).strict(), result: z.null() },
  'domains.deletePlan': { args: z.object({ hostId: HostId, uuid: DomainUuid }).strict(), result: DeletePlan },
  /** Force-off if running, undefine with managed save, snapshot/checkpoint metadata and NVRAM, then delete the chosen volumes. */
  'domains.delete': {
    args: z.object({ hostId: HostId, uuid: DomainUuid, deleteSources: z.array(HostPath).max(64) }).strict(),
    result: DeleteResult,
  },
  /** The UUID order of a host's stats.tick columns, for a client that missed the tick carrying it; null before the first tick. */
  'stats.layout': { args: onHost, result: StatsLayout.nullable() },
} as const satisfies RequestTable;

export const domainEvents = {
  /**
   * Invalidation only: the renderer refetches; nothing is patched from event data. `cause`:
   * libvirt's event stream, one of Virtdeck's own actions, a resync (a stats tick disagreed with
   * the list, an event watcher restarted, the host reconnected), or sizes fetched in the background.
   */
  'domains.changed': z.object({ hostId: HostId, cause: z.enum(['event', 'action', 'resync', 'sizes']) }),
  'domains.addresses': DomainAddresses,
  'domains.notice': DomainNotice,
  'stats.tick': StatsTick,
  /** A host's stats ticks fail (with why), or work again (null). */
  'stats.problem': z.object({ hostId: HostId, message: z.string().nullable() }),
} as const satisfies EventTable;
