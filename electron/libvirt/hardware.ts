/**
 * Runs a hardware plan (hardware-plan.ts): the setup steps, then the new persistent definition
 * through `define --validate` (domain-config.ts: etag check, history), then the steps on the
 * running VM. A live step that fails is reported; the persistent change stands.
 */
import { AppError } from '../../shared/errors';
import type { EditResult, HardwareEdit, NewDevice } from '../../shared/model/details';
import type { HostConnection } from '../hosts/host-connection';
import { defineDomain, etagOf, inactiveXml } from './domain-config';
import type { DomainXmlHistory } from './domain-history';
import { planAdd, planChangeMedia, planEdit, planRemove, type HardwarePlan } from './hardware-plan';
import { runStep, runSteps } from './plan';

export { applyEditToModel } from './hardware-plan';

export interface EditContext {
  host: HostConnection;
  history: DomainXmlHistory;
  uuid: string;
  etag: string;
  /** Also change the running VM where libvirt can. */
  live: boolean;
}

async function execute(c: EditContext, plan: HardwarePlan, cause: 'hardware' | 'media', historyNote?: string): Promise<EditResult> {
  await runSteps(c.host, plan.setup);
  let etag: string;
  if (plan.define) {
    etag = (await defineDomain(c.host, c.history, { uuid: c.uuid, xml: plan.define.xml, cause, summary: plan.define.summary, etag: c.etag })).etag;
  } else {
    // change-media writes the config itself: keep the replaced one first.
    const before = await inactiveXml(c.host, c.uuid);
    await runSteps(c.host, plan.live);
    await c.history.record(c.host.id, c.uuid, { cause, summary: historyNote ?? 'change', xml: before });
    return { etag: etagOf(await inactiveXml(c.host, c.uuid)), liveApplied: plan.running, needsRestart: false };
  }
  if (!plan.running) return { etag, liveApplied: false, needsRestart: false };
  let liveError: string | undefined;
  for (const step of plan.live) {
    try {
      await runStep(c.host, step);
    } catch (e) {
      liveError = AppError.from(e).message;
      break;
    }
  }
  return { etag, liveApplied: liveError === undefined && !plan.rest, needsRestart: plan.rest || liveError !== undefined, ...(liveError ? { liveError } : {}) };
}

export async function editHardware(c: EditContext, edit: HardwareEdit | readonly HardwareEdit[]): Promise<EditResult> {
  return execute(c, await planEdit(c, Array.isArray(edit) ? edit : [edit as HardwareEdit]), 'hardware');
}

export async function addHardware(c: EditContext, dev: NewDevice): Promise<EditResult & { id: string }> {
  const plan = await planAdd(c, dev);
  return { id: plan.id, ...(await execute(c, plan, 'hardware')) };
}

export async function removeHardware(c: EditContext, id: string): Promise<EditResult> {
  return execute(c, await planRemove(c, id), 'hardware');
}

export async function changeMedia(c: Omit<EditContext, 'etag' | 'live'>, target: string, source: string | null): Promise<EditResult> {
  const plan = await planChangeMedia(c, target, source);
  return execute({ ...c, etag: '', live: true }, plan, 'media', source === null ? `eject ${target}` : `insert ${source} in ${target}`);
}
