import type { commandRequests, PreviewableRequest } from '../../../shared/api/commands';
import { requests } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import { deleteDomainSteps, domainActionSteps, restoreFromFileSteps, saveToFileSteps } from '../../libvirt/domains';
import { preview, type Step } from '../../libvirt/plan';
import { XmlHistory } from '../../libvirt/xml-history';
import type { HandlerContext, HandlersFor } from './context';
import { detailsPlanners } from './details';
import { hostPagePlanners } from './hostpage';
import { networkPlanners } from './networks';
import { newVmPlanners } from './newvm';
import { netInstallPlanners } from './netinstall';
import { snapshotPlanners } from './snapshots';
import { tuningMemoryPlanners } from './tuning-memory';
import { tuningCpuPlanners } from './tuning-cpu';
import { clonePlanners } from './clones';
import { backupPlanners } from './backups';
import { storagePlanners, type Planners } from './storage';

/** The lifecycle requests' steps, from the same builders runDomainAction / deleteDomain run. */
function domainPlanners(ctx: HandlerContext): Planners<'domains.action' | 'domains.saveToFile' | 'domains.restoreFromFile' | 'domains.delete'> {
  return {
    'domains.action': async (a) => domainActionSteps(a.action, a.uuids),
    'domains.saveToFile': async (a) => saveToFileSteps(a.uuid, a.path),
    'domains.restoreFromFile': async (a) => restoreFromFileSteps(a.path),
    'domains.delete': async (a) => (await deleteDomainSteps(ctx.hosts.get(a.hostId), a.uuid, a.deleteSources)).all,
  };
}

export function commandHandlers(ctx: HandlerContext): HandlersFor<keyof typeof commandRequests> {
  // A previewable request without a planner is a compile error here.
  const planners: Planners<PreviewableRequest> = { ...domainPlanners(ctx), ...storagePlanners(ctx), ...networkPlanners(ctx), ...detailsPlanners(ctx), ...hostPagePlanners(), ...newVmPlanners(ctx), ...snapshotPlanners(ctx), ...tuningMemoryPlanners(ctx), ...tuningCpuPlanners(ctx), ...clonePlanners(ctx), ...backupPlanners(ctx), ...netInstallPlanners() };
  const history = new XmlHistory(ctx.platform.dataDir);
  return {
    'commands.preview': async ({ name, args }) => {
      const parsed = requests[name].args.safeParse(args ?? {});
      if (!parsed.success)
        throw new AppError('invalid_args', `invalid arguments for ${name}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
      const a = parsed.data as { hostId: string };
      const steps: Step[] = await (planners[name] as (x: unknown) => Promise<Step[]>)(a);
      return preview(ctx.hosts.get(a.hostId), steps);
    },
    'xml.history': async ({ hostId, kind, uuid }) => history.list(hostId, kind, uuid),
  };
}
