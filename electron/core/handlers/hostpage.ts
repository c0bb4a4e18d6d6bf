import type { hostPageRequests } from '../../../shared/api/hostpage';
import { AppError } from '../../../shared/errors';
import { hostDevices, nodedevActionSteps } from '../../hostinfo/devices';
import { deviceCarriesConnection } from '../../hostinfo/host-route';
import { runSteps } from '../../libvirt/plan';
import { hostOverview } from '../../hostinfo/overview';
import { hostReadiness } from '../../hostinfo/readiness';
import type { SamplerWatches } from '../../hostinfo/sampler-watches';
import type { HandlerContext, HandlersFor } from './context';
import type { Planners } from './storage';

type HostPage = keyof typeof hostPageRequests;

export function hostPagePlanners(): Planners<'hostpage.nodedevAction'> {
  return { 'hostpage.nodedevAction': async (a) => nodedevActionSteps(a.name, a.action) };
}

/** libvirt's test driver keeps a fake host inside virsh: there is no /proc of its own to read. */
function realHost(ctx: HandlerContext, hostId: string) {
  const host = ctx.hosts.get(hostId);
  if (host.uri.driver === 'test') throw new AppError('unsupported', "libvirt's test driver simulates a host: it has no live figures or readiness to check.");
  if (host.status.state !== 'connected') throw new AppError('disconnected', `${host.config.name} is not connected.`);
  return host;
}

export function hostPageHandlers(ctx: HandlerContext, watches: SamplerWatches): HandlersFor<HostPage> {
  return {
    // The list is refetched (shared with any refresh in flight): right after connecting it may be empty still.
    'hostpage.overview': async ({ hostId }) => hostOverview(ctx.hosts.get(hostId), await ctx.hosts.servicesOf(hostId).inventory.refresh()),
    'hostpage.watch': async ({ hostId }, client) => {
      realHost(ctx, hostId);
      watches.watch(hostId, client.id);
      return { intervalMs: ctx.settings.value.statsIntervalMs };
    },
    'hostpage.unwatch': async ({ hostId }, client) => (watches.unwatch(hostId, client.id), null),
    'hostpage.readiness': async ({ hostId }) => hostReadiness(realHost(ctx, hostId)),
    'hostpage.devices': async ({ hostId }) => hostDevices(ctx.hosts.get(hostId), await ctx.hosts.servicesOf(hostId).inventory.refresh()),
    'hostpage.deviceRoute': async ({ hostId, address }) => deviceCarriesConnection(ctx.hosts.get(hostId), address),
    'hostpage.nodedevAction': async (a) => (await runSteps(ctx.hosts.get(a.hostId), nodedevActionSteps(a.name, a.action)), null),
  };
}
