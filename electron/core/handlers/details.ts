import type { detailsRequests } from '../../../shared/api/details';
import { AppError } from '../../../shared/errors';
import { defineDomain, domainStatus, etagOf, inactiveXml, liveXml, loadDetails } from '../../libvirt/domain-config';
import { DomainXmlHistory } from '../../libvirt/domain-history';
import { addHardware, changeMedia, editHardware, removeHardware } from '../../libvirt/hardware';
import { activePools, listHostDevices } from '../../libvirt/nodedevs';
import { validateDomainXml } from '../../libvirt/xml-validate';
import { planAdd, planChangeMedia, planEdit, planRemove, planSteps } from '../../libvirt/hardware-plan';
import type { HandlerContext, HandlersFor } from './context';
import type { Planners } from './storage';

/** The hardware changes' steps for "Show command", from the planners editHardware & co run. */
export function detailsPlanners(ctx: HandlerContext): Planners<'details.edit' | 'details.addDevice' | 'details.removeDevice' | 'details.changeMedia'> {
  const host = (hostId: string) => ctx.hosts.servicesOf(hostId).host;
  return {
    'details.edit': async (a) => planSteps(await planEdit({ host: host(a.hostId), uuid: a.uuid, live: a.live }, Array.isArray(a.edit) ? a.edit : [a.edit])),
    'details.addDevice': async (a) => planSteps(await planAdd({ host: host(a.hostId), uuid: a.uuid, live: a.live }, a.device)),
    'details.removeDevice': async (a) => planSteps(await planRemove({ host: host(a.hostId), uuid: a.uuid, live: a.live }, a.id)),
    'details.changeMedia': async (a) => planSteps(await planChangeMedia({ host: host(a.hostId), uuid: a.uuid }, a.target, a.source)),
  };
}

/** The VM details view: its configuration, hardware edits, and the safe XML editor. */
export function detailsHandlers(ctx: HandlerContext): HandlersFor<keyof typeof detailsRequests> {
  const history = new DomainXmlHistory(ctx.platform.dataDir);
  const host = (hostId: string) => ctx.hosts.servicesOf(hostId).host;
  /** A change, then invalidation: the list refetches (test:/// hosts have no event stream to say so). */
  const mutate = async <T>(hostId: string, uuid: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } finally {
      ctx.hosts.servicesOf(hostId).changed('action', [], [uuid]);
    }
  };
  const applyXml = async (hostId: string, uuid: string, xml: string, etag: string, cause: 'xml' | 'restore', summary: string) => {
    const h = host(hostId);
    const res = await defineDomain(h, history, { uuid, xml, etag, cause, summary });
    return { etag: res.etag, running: (await domainStatus(h, uuid)).running };
  };
  return {
    'details.get': async ({ hostId, uuid }) => loadDetails(host(hostId), uuid),
    'details.xml': async ({ hostId, uuid, live }) => {
      const h = host(hostId);
      const inactive = await inactiveXml(h, uuid);
      return { xml: live ? await liveXml(h, uuid) : inactive, etag: etagOf(inactive) };
    },
    'details.validateXml': async ({ hostId, uuid, xml }) => {
      const h = host(hostId);
      return validateDomainXml(h, xml, uuid, (await domainStatus(h, uuid)).name);
    },
    'details.applyXml': ({ hostId, uuid, xml, etag }) => mutate(hostId, uuid, () => applyXml(hostId, uuid, xml, etag, 'xml', 'XML editor')),
    'details.history': async ({ hostId, uuid }) => history.list(hostId, uuid),
    'details.restore': ({ hostId, uuid, entryId, etag }) =>
      mutate(hostId, uuid, async () => {
        const entry = await history.get(hostId, uuid, entryId);
        if (!entry) throw new AppError('not_found', 'That definition is no longer in the history.');
        return applyXml(hostId, uuid, entry.xml, etag, 'restore', `restored the version of ${new Date(entry.at).toISOString()}`);
      }),
    'details.edit': ({ hostId, uuid, etag, edit, live }) => mutate(hostId, uuid, () => editHardware({ host: host(hostId), history, uuid, etag, live }, edit)),
    'details.addDevice': ({ hostId, uuid, etag, device, live }) => mutate(hostId, uuid, () => addHardware({ host: host(hostId), history, uuid, etag, live }, device)),
    'details.removeDevice': ({ hostId, uuid, etag, id, live }) => mutate(hostId, uuid, () => removeHardware({ host: host(hostId), history, uuid, etag, live }, id)),
    'details.changeMedia': ({ hostId, uuid, target, source }) => mutate(hostId, uuid, () => changeMedia({ host: host(hostId), history, uuid }, target, source)),
    'details.hostDevices': async ({ hostId }) => listHostDevices(host(hostId)),
    'details.pools': async ({ hostId }) => activePools(host(hostId)),
  };
}
