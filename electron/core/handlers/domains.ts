import type { domainRequests } from '../../../shared/api/domains';
import { deleteDomain, deletePlan, restoreFromFile, runDomainAction, saveToFile } from '../../libvirt/domains';
import type { HostServices } from '../../libvirt/host-services';
import type { HandlerContext, HandlersFor } from './context';

export function domainHandlers(ctx: HandlerContext): HandlersFor<keyof typeof domainRequests> {
  /** Runs a mutation, then invalidates: test:/// hosts have no event stream to tell us. */
  const mutate = async <T>(hostId: string, uuids: readonly string[] | undefined, fn: (s: HostServices) => Promise<T>): Promise<T> => {
    const services = ctx.hosts.servicesOf(hostId);
    try {
      return await fn(services);
    } finally {
      services.changed('action', [], uuids);
    }
  };
  return {
    'domains.list': async ({ hostId }) => ctx.hosts.servicesOf(hostId).list(),
    'stats.layout': async ({ hostId }) => ctx.hosts.servicesOf(hostId).stats.layout(),
    'domains.action': ({ hostId, uuids, action }) =>
      mutate(hostId, uuids, async (services) => {
        const results = await runDomainAction(services.host, uuids, action);
        if (action === 'shutdown' || action === 'reboot')
          for (const r of results.filter((x) => x.ok)) {
            const name = services.inventory.domains.find((d) => d.uuid === r.uuid)?.name ?? r.uuid;
            services.guests.watch(r.uuid, name, action);
          }
        return results;
      }),
    'domains.saveToFile': ({ hostId, uuid, path }) => mutate(hostId, [uuid], async (s) => (await saveToFile(s.host, uuid, path), null)),
    'domains.restoreFromFile': ({ hostId, path }) => mutate(hostId, undefined, async (s) => (await restoreFromFile(s.host, path), null)),
    'domains.deletePlan': async ({ hostId, uuid }) => deletePlan(ctx.hosts.servicesOf(hostId).host, uuid),
    'domains.delete': ({ hostId, uuid, deleteSources }) => mutate(hostId, [uuid], (s) => deleteDomain(s.host, uuid, deleteSources)),
  };
}
