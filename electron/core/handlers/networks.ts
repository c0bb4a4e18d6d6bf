import type { networkRequests } from '../../../shared/api/networks';
import { defineNetworkSteps, hostInterfaces, listNetworks, networkActionSteps } from '../../libvirt/networks';
import { runSteps } from '../../libvirt/plan';
import { currentXml, redefine, redefineSteps } from '../../libvirt/xml-edit';
import { XmlHistory } from '../../libvirt/xml-history';
import type { HandlerContext, HandlersFor } from './context';
import type { Planners } from './storage';

type Networks = keyof typeof networkRequests;
export type NetworkPlanned = Extract<Networks, 'networks.define' | 'networks.action' | 'networks.defineXml'>;

export function networkPlanners(_ctx: HandlerContext): Planners<NetworkPlanned> {
  return {
    'networks.define': async (a) => defineNetworkSteps(a).steps,
    'networks.action': async (a) => networkActionSteps(a.uuid, a.action),
    'networks.defineXml': async (a) => redefineSteps('network', a.uuid, a.xml),
  };
}

export function networkHandlers(ctx: HandlerContext): HandlersFor<Networks> {
  const plan = networkPlanners(ctx);
  const history = new XmlHistory(ctx.platform.dataDir);
  /** Runs, then invalidates; a network start/stop can also change which VMs look attached. */
  const mutate = async <T>(hostId: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } finally {
      ctx.bus.emit('networks.changed', { hostId });
    }
  };
  return {
    'networks.list': async ({ hostId }) => listNetworks(ctx.hosts.get(hostId)),
    'networks.define': (a) =>
      mutate(a.hostId, async () => {
        const { uuid, steps } = defineNetworkSteps(a);
        await runSteps(ctx.hosts.get(a.hostId), steps);
        return { uuid };
      }),
    'networks.action': (a) => mutate(a.hostId, async () => (await runSteps(ctx.hosts.get(a.hostId), await plan['networks.action'](a)), null)),
    'networks.xml': async ({ hostId, uuid }) => ({ xml: await currentXml(ctx.hosts.get(hostId), 'network', uuid) }),
    'networks.defineXml': (a) =>
      mutate(a.hostId, async () => (await redefine(ctx.hosts.get(a.hostId), history, 'network', a.uuid, await plan['networks.defineXml'](a)), null)),
    'networks.interfaces': async ({ hostId }) => hostInterfaces(ctx.hosts.get(hostId)),
  };
}
