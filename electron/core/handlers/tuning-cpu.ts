import type { tuningCpuRequests } from '../../../shared/api/tuning-cpu';
import { loadCpuMap } from '../../hostinfo/tuning/cpu-map';
import { applyFix, fixDiff, planFix, runAdvisor, type AdvisorDeps } from '../../hostinfo/tuning/advisor';
import { planMemtune, readMemtune } from '../../hostinfo/tuning/memtune';
import { liveTuning, planPin } from '../../hostinfo/tuning/pinning';
import { DomainXmlHistory } from '../../libvirt/domain-history';
import { runSteps } from '../../libvirt/plan';
import type { HandlerContext, HandlersFor } from './context';
import { osCataloguesOf } from './newvm';
import type { Planners } from './storage';

type Planned = 'tuning.pin' | 'tuning.setMemtune' | 'tuning.applyFix';

function deps(ctx: HandlerContext) {
  const host = (hostId: string) => ctx.hosts.servicesOf(hostId).host;
  const advisor = async (hostId: string): Promise<AdvisorDeps> => ({
    host: host(hostId),
    catalogues: osCataloguesOf(ctx),
    // Refetched: a VM defined a moment ago (or one just fixed) must be seen.
    domains: await ctx.hosts.servicesOf(hostId).inventory.refresh(),
  });
  return { host, advisor };
}

/** "Show command" for pinning, memtune and advisor fixes: the planners the handlers run. */
export function tuningCpuPlanners(ctx: HandlerContext): Planners<Planned> {
  const { host, advisor } = deps(ctx);
  return {
    'tuning.pin': (a) => planPin(host(a.hostId), a),
    'tuning.setMemtune': (a) => planMemtune(host(a.hostId), a),
    'tuning.applyFix': async (a) => planFix(await advisor(a.hostId), a.findingId),
  };
}

/** The Tuning tab's CPU map, pinning, memory limits and advisor. */
export function tuningCpuHandlers(ctx: HandlerContext): HandlersFor<keyof typeof tuningCpuRequests> {
  const { host, advisor } = deps(ctx);
  const history = new DomainXmlHistory(ctx.platform.dataDir);
  const changed = (hostId: string, uuid: string | null) => ctx.hosts.servicesOf(hostId).changed('action', [], uuid ? [uuid] : []);
  return {
    'tuning.cpuMap': async ({ hostId }) => loadCpuMap(host(hostId), await ctx.hosts.servicesOf(hostId).inventory.refresh()),
    'tuning.liveTuning': ({ hostId, uuid }) => liveTuning(host(hostId), uuid),
    'tuning.pin': async (a) => {
      try {
        await runSteps(host(a.hostId), await planPin(host(a.hostId), a));
      } finally {
        changed(a.hostId, a.uuid);
      }
      return null;
    },
    'tuning.memtune': async ({ hostId, uuid }) => {
      const live = await liveTuning(host(hostId), uuid);
      return { ...(await readMemtune(host(hostId), uuid, live.memtune.available)), live };
    },
    'tuning.setMemtune': async (a) => {
      await runSteps(host(a.hostId), await planMemtune(host(a.hostId), a));
      return null;
    },
    'tuning.advisor': async ({ hostId }) => runAdvisor(await advisor(hostId)),
    'tuning.fixDiff': async ({ hostId, findingId }) => fixDiff(await advisor(hostId), findingId),
    'tuning.applyFix': async ({ hostId, findingId }) => {
      const res = await applyFix({ ...(await advisor(hostId)), history }, findingId);
      if (res.uuid) changed(hostId, res.uuid);
      return res;
    },
  };
}
