import type { snapshotRequests } from '../../../shared/api/snapshots';
import { AppError } from '../../../shared/errors';
import { loadDeletePlan, type DeletePlan } from '../../libvirt/snapshot-cleanup';
import { planCreate, planDescribe, planRevert } from '../../libvirt/snapshot-plan';
import { listSnapshots, vmSnapshotState } from '../../libvirt/snapshots';
import { runSteps, type Step } from '../../libvirt/plan';
import { SnapshotThumbnails } from '../../libvirt/snapshot-thumbnails';
import { convertDisk, convertSteps, planConvert } from '../../libvirt/snapshot-convert';
import { DomainXmlHistory } from '../../libvirt/domain-history';
import { domainStatus } from '../../libvirt/domain-config';
import type { HandlerContext, HandlersFor } from './context';
import type { Planners } from './storage';

/** A refused delete runs nothing: its reason is the error. */
function refuseOrSteps(plan: DeletePlan): Step[] {
  if (plan.impact.refusal !== undefined) throw new AppError('unsupported', plan.impact.refusal);
  return plan.steps;
}

/** "Show commands" for the snapshot changes: the same planners the handlers run. */
export function snapshotPlanners(ctx: HandlerContext): Planners<'snapshots.create' | 'snapshots.revert' | 'snapshots.delete' | 'snapshots.describe' | 'snapshots.convertDisk'> {
  const host = (hostId: string) => ctx.hosts.servicesOf(hostId).host;
  return {
    'snapshots.create': (a) => planCreate(host(a.hostId), a),
    'snapshots.revert': (a) => planRevert(host(a.hostId), a),
    'snapshots.delete': async (a) => refuseOrSteps(await loadDeletePlan(host(a.hostId), a.uuid, a.name, a.scope)),
    'snapshots.describe': (a) => planDescribe(host(a.hostId), a),
    'snapshots.convertDisk': async (a) => convertSteps(await planConvert(host(a.hostId), a)),
  };
}

/** The Snapshots tab. Reverting changes the VM's state: the list is told (its event may lag). */
export function snapshotHandlers(ctx: HandlerContext): HandlersFor<keyof typeof snapshotRequests> {
  const host = (hostId: string) => ctx.hosts.servicesOf(hostId).host;
  const changed = (hostId: string, uuid: string) => ctx.hosts.servicesOf(hostId).changed('action', [], [uuid]);
  const thumbs = new SnapshotThumbnails(ctx.platform.dataDir);
  const history = new DomainXmlHistory(ctx.platform.dataDir);
  return {
    'snapshots.list': async ({ hostId, uuid }) => {
      await thumbs.settled(hostId, uuid);
      const snaps = await listSnapshots(host(hostId), uuid);
      return Promise.all(snaps.map(async (s) => ({ ...s, thumbnail: await thumbs.has(hostId, uuid, s.name) })));
    },
    'snapshots.convertDisk': async (a) => {
      try {
        return await convertDisk(host(a.hostId), history, a);
      } finally {
        changed(a.hostId, a.uuid);
      }
    },
    'snapshots.thumbnail': async ({ hostId, uuid, name }) => {
      await thumbs.settled(hostId, uuid);
      return { dataUrl: await thumbs.read(hostId, uuid, name) };
    },
    'snapshots.capabilities': async ({ hostId, uuid }) => (await vmSnapshotState(host(hostId), uuid)).caps,
    'snapshots.create': async (a) => {
      const h = host(a.hostId);
      await runSteps(h, await planCreate(h, a));
      // The screen right after the snapshot (a running VM only; best effort). Not awaited: a
      // screenshot takes the domain's job lock, and taken alongside it delayed the snapshot by a
      // second or more on TCG; list/thumbnail wait for it instead.
      thumbs.track(a.hostId, a.uuid, (async () => {
        if (!(await domainStatus(h, a.uuid)).running) return;
        const png = await thumbs.capture(h, a.uuid);
        if (png) await thumbs.save(a.hostId, a.uuid, a.name, png);
      })());
      return { name: a.name };
    },
    'snapshots.revert': async (a) => {
      try {
        await runSteps(host(a.hostId), await planRevert(host(a.hostId), a));
      } finally {
        changed(a.hostId, a.uuid);
      }
      return { name: a.name };
    },
    'snapshots.deleteImpact': async ({ hostId, uuid, name, scope }) => (await loadDeletePlan(host(hostId), uuid, name, scope)).impact,
    'snapshots.delete': async ({ hostId, uuid, name, scope }) => {
      const plan = await loadDeletePlan(host(hostId), uuid, name, scope);
      await runSteps(host(hostId), refuseOrSteps(plan));
      await thumbs.remove(hostId, uuid, plan.impact.snapshots).catch(() => undefined);
      return plan.impact;
    },
    'snapshots.describe': async (a) => {
      await runSteps(host(a.hostId), await planDescribe(host(a.hostId), a));
      return { name: a.name };
    },
  };
}
