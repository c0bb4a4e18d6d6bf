import type { backupRequests } from '../../../shared/api/backups';
import { BackupJobs, planBackup, planFinish } from '../../libvirt/backups/jobs';
import { backupOptions } from '../../libvirt/backups/options';
import { planDelete, planRestoreAsNew, runDelete, planRestoreOver, restoreAsNew, restoreNewSteps, restoreOver, restoreOverSteps } from '../../libvirt/backups/restore';
import { listBackups, listHostBackups } from '../../libvirt/backups/store';
import { DomainXmlHistory } from '../../libvirt/domain-history';
import type { HandlerContext, HandlersFor } from './context';
import type { Planners } from './storage';

/** "Show commands" for backups: the same planners the handlers run. */
export function backupPlanners(ctx: HandlerContext): Planners<'backups.create' | 'backups.restoreAsNew' | 'backups.restoreOver' | 'backups.delete' | 'backups.finish'> {
  const host = (hostId: string) => ctx.hosts.servicesOf(hostId).host;
  return {
    'backups.create': async (a) => {
      const p = await planBackup(host(a.hostId), a);
      return [...p.begin, ...p.steps, p.complete];
    },
    'backups.restoreAsNew': async (a) => restoreNewSteps(await planRestoreAsNew(host(a.hostId), a)),
    'backups.restoreOver': async (a) => restoreOverSteps(await planRestoreOver(host(a.hostId), a)),
    'backups.finish': async (a) => [(await planFinish(host(a.hostId), a)).step],
    'backups.delete': async (a) => (await planDelete(host(a.hostId), a.uuid, a.pool, a.id)).steps,
  };
}

/** The Backups tab. A backup's end fires no libvirt event the list uses: the tab refetches after each action. */
export function backupHandlers(ctx: HandlerContext): HandlersFor<keyof typeof backupRequests> {
  const host = (hostId: string) => ctx.hosts.servicesOf(hostId).host;
  const jobs = new BackupJobs();
  const history = new DomainXmlHistory(ctx.platform.dataDir);
  const changed = (hostId: string, uuids: string[]) => ctx.hosts.servicesOf(hostId).changed('action', [], uuids);
  return {
    'backups.listHost': ({ hostId }) => listHostBackups(host(hostId), jobs.activeKeys(hostId)),
    'backups.list': ({ hostId, uuid }) => listBackups(host(hostId), uuid, jobs.activeKeys(hostId)),
    'backups.options': ({ hostId, uuid }) => backupOptions(host(hostId), uuid),
    'backups.create': (a) => jobs.run(host(a.hostId), a),
    'backups.finish': (a) => jobs.finish(host(a.hostId), a),
    'backups.progress': async ({ hostId, uuid }) => jobs.progress(hostId, uuid),
    'backups.cancel': async ({ hostId, uuid }) => ({ cancelled: jobs.cancel(hostId, uuid) }),
    'backups.restoreAsNew': async (a) => {
      const r = await restoreAsNew(host(a.hostId), a);
      changed(a.hostId, [r.uuid]);
      return r;
    },
    'backups.restoreOver': async (a) => {
      try {
        return await restoreOver(host(a.hostId), history, a);
      } finally {
        changed(a.hostId, [a.uuid]);
      }
    },
    'backups.delete': async (a) => {
      const p = await planDelete(host(a.hostId), a.uuid, a.pool, a.id, jobs.activeKeys(a.hostId));
      await runDelete(host(a.hostId), p.steps);
      return { removed: p.removed };
    },
  };
}
