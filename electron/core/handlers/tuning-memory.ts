import type { tuningMemoryRequests } from '../../../shared/api/tuning-memory';
import { AppError } from '../../../shared/errors';
import type { RootRights } from '../../../shared/model/tuning-memory';
import type { HostConnection } from '../../hosts/host-connection';
import { KSMTUNED_CONF } from '../../hostinfo/tuning/host-files';
import { allocSteps } from '../../hostinfo/tuning/hugepages';
import { ksmPlan } from '../../hostinfo/tuning/ksm';
import { renderKsmtunedConf } from '../../hostinfo/tuning/ksmtuned';
import { hugepageCheck, hugepageStartCheck, readTuningMemory } from '../../hostinfo/tuning/read';
import { assertAllowed, rootWrite, sudoRefused, type RootPlan } from '../../hostinfo/tuning/root-rights';
import { runSteps } from '../../libvirt/plan';
import type { HandlerContext, HandlersFor } from './context';
import type { Planners } from './storage';

type TuningMemory = keyof typeof tuningMemoryRequests;

/** A real host: libvirt's test driver simulates one inside virsh, with no sysfs to read or write. */
function realHost(ctx: HandlerContext, hostId: string): HostConnection {
  const host = ctx.hosts.get(hostId);
  if (host.uri.driver === 'test') throw new AppError('unsupported', "libvirt's test driver simulates a host: it has no KSM or hugepages to tune.");
  if (host.status.state !== 'connected') throw new AppError('disconnected', `${host.config.name} is not connected.`);
  return host;
}

/** Who runs commands on the host (`id -u`), and whether this connection opted in to sudo. */
async function rightsOf(host: HostConnection): Promise<RootRights> {
  const uid = Number((await host.run(['id', '-u'])).stdout.trim());
  return { uid, root: uid === 0, sudo: host.config.sudo === true && uid !== 0 };
}

async function ksmtunedPlan(host: HostConnection, values: Parameters<typeof renderKsmtunedConf>[1]): Promise<RootPlan> {
  // The file is world-readable; a missing one is written fresh.
  const cur = await host.run(['cat', '--', KSMTUNED_CONF], { allowFailure: true });
  return rootWrite(await rightsOf(host), KSMTUNED_CONF, renderKsmtunedConf(cur.code === 0 ? cur.stdout : '', values));
}

async function runRootPlan(host: HostConnection, plan: RootPlan): Promise<null> {
  try {
    await runSteps(host, assertAllowed(plan));
  } catch (e) {
    throw sudoRefused(e) ?? e;
  }
  return null;
}

export function tuningMemoryPlanners(ctx: HandlerContext): Planners<'tuning.ksm.set' | 'tuning.ksmtuned.config' | 'tuning.hugepages.allocate'> {
  return {
    'tuning.ksm.set': async (a) => {
      const host = realHost(ctx, a.hostId);
      return ksmPlan(a, await rightsOf(host)).steps;
    },
    'tuning.ksmtuned.config': async (a) => (await ksmtunedPlan(realHost(ctx, a.hostId), a.values)).steps,
    'tuning.hugepages.allocate': async (a) => allocSteps(a),
  };
}

export function tuningMemoryHandlers(ctx: HandlerContext): HandlersFor<TuningMemory> {
  const domains = (hostId: string) => ctx.hosts.servicesOf(hostId).inventory.refresh();
  return {
    'tuning.memory': async ({ hostId }) => readTuningMemory(realHost(ctx, hostId), await domains(hostId)),
    'tuning.ksm.set': async (a) => {
      const host = realHost(ctx, a.hostId);
      return runRootPlan(host, ksmPlan(a, await rightsOf(host)));
    },
    'tuning.ksmtuned.config': async (a) => {
      const host = realHost(ctx, a.hostId);
      return runRootPlan(host, await ksmtunedPlan(host, a.values));
    },
    'tuning.hugepages.allocate': async (a) => (await runSteps(realHost(ctx, a.hostId), allocSteps(a)), null),
    'tuning.hugepages.check': async ({ hostId, uuid }) => {
      const host = realHost(ctx, hostId);
      const d = (await domains(hostId)).find((x) => x.uuid === uuid);
      if (!d) throw new AppError('not_found', `no VM with UUID ${uuid} on ${host.config.name}`);
      return hugepageCheck(host, d);
    },
    'tuning.hugepages.checkStart': async ({ hostId, uuids }) => {
      if (ctx.hosts.get(hostId).uri.driver === 'test') return []; // no hugepages to run out of
      const host = realHost(ctx, hostId);
      // The list the VM list already shows (states as last seen), refreshed only when one is missing from it.
      const wanted = new Set(uuids.map((u) => u.toLowerCase()));
      const inventory = ctx.hosts.servicesOf(hostId).inventory;
      let known = inventory.domains;
      if (known.filter((d) => wanted.has(d.uuid.toLowerCase())).length < wanted.size) known = await inventory.refresh();
      return hugepageStartCheck(host, known.filter((d) => wanted.has(d.uuid.toLowerCase())));
    },
  };
}
