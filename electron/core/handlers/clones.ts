import type { clonesRequests } from '../../../shared/api/clones';
import { AppError } from '../../../shared/errors';
import { diskChainsOfVm } from '../../libvirt/backing-chains';
import { loadCloneFacts } from '../../libvirt/clone/facts';
import { cloneOptions, planClone } from '../../libvirt/clone/plan';
import { runClonePlan } from '../../libvirt/clone/run';
import { defineDomain } from '../../libvirt/domain-config';
import { DomainXmlHistory } from '../../libvirt/domain-history';
import { listTemplates, templateSteps } from '../../libvirt/templates';
import type { HandlerContext, HandlersFor } from './context';
import type { Planners } from './storage';

/** "Show command" for a clone and a template mark: the same planners the handlers run. */
export function clonePlanners(ctx: HandlerContext): Planners<'clones.create' | 'templates.set'> {
  const host = (hostId: string) => ctx.hosts.servicesOf(hostId).host;
  return {
    'clones.create': async (a) => planClone(await loadCloneFacts(host(a.hostId), a.uuid), a).steps,
    'templates.set': async (a) => (await templateSteps(host(a.hostId), a.uuid, a.template, a.force)).steps,
  };
}

export function cloneHandlers(ctx: HandlerContext): HandlersFor<keyof typeof clonesRequests> {
  const host = (hostId: string) => ctx.hosts.servicesOf(hostId).host;
  const history = new DomainXmlHistory(ctx.platform.dataDir);
  const changed = (hostId: string, uuids: string[]) => {
    ctx.hosts.servicesOf(hostId).changed('action', [], uuids);
    ctx.bus.emit('storage.changed', { hostId });
  };
  return {
    'clones.options': async ({ hostId, uuid }) => cloneOptions(await loadCloneFacts(host(hostId), uuid)),
    'clones.create': async (a) => {
      const h = host(a.hostId);
      const plan = planClone(await loadCloneFacts(h, a.uuid), a);
      try {
        await runClonePlan(h, plan.steps, (p) => a.opId !== undefined && ctx.bus.emit('clones.progress', { hostId: a.hostId, opId: a.opId, ...p }));
      } finally {
        changed(a.hostId, []);
      }
      const uuid = (await h.run(['virsh', 'domuuid', '--domain', plan.name])).stdout.trim();
      return { uuid, name: plan.name, volumes: plan.volumes };
    },
    'templates.set': async ({ hostId, uuid, template, force }) => {
      const h = host(hostId);
      const { steps } = await templateSteps(h, uuid, template, force);
      if (steps.length === 0) return { template };
      const xml = steps[0]!.stdin;
      if (xml === undefined) throw new AppError('internal', 'template step without XML');
      // The safe flow: define --validate, previous XML kept in the history (undo from the XML tab).
      await defineDomain(h, history, { uuid, xml, cause: 'template', summary: template ? 'Marked as a template' : 'Template mark removed', etag: undefined });
      changed(hostId, [uuid]);
      return { template };
    },
    'clones.chains': async ({ hostId, uuid }) => diskChainsOfVm(host(hostId), uuid),
    'templates.list': async ({ hostId }) => listTemplates(host(hostId)),
  };
}
