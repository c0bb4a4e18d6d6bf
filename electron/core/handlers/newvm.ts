import { join } from 'node:path';
import type { newVmRequests } from '../../../shared/api/newvm';
import { AppError } from '../../../shared/errors';
import type { HostConnection } from '../../hosts/host-connection';
import { inactiveXml } from '../../libvirt/domain-config';
import { runStep, preview, type Step } from '../../libvirt/plan';
import { runPlan, undo } from '../../libvirt/new-vm/create';
import { detectOs } from '../../libvirt/new-vm/detect';
import { readPhase, toFinal, withPhase } from '../../libvirt/new-vm/domain-build';
import { hostCaps, newVmCapabilities } from '../../libvirt/new-vm/host-facts';
import { OsCatalogues } from '../../libvirt/new-vm/os-data';
import { InstallPhases } from '../../libvirt/new-vm/phases';
import { planNewVm } from '../../libvirt/new-vm/planning';
import { localSshKeys } from '../../libvirt/new-vm/cloud-init/local-keys';
import { virtInstallLine } from '../../libvirt/new-vm/virt-install';
import { DomainXml } from '../../xml/domain-xml';
import type { HandlerContext, HandlersFor } from './context';
import type { Planners } from './storage';

type NewVm = keyof typeof newVmRequests;

interface State {
  catalogues: OsCatalogues;
  phases: InstallPhases;
}

/** One OS cache and one phase tracker per backend, shared by the handlers and the preview planner. */
const states = new WeakMap<HandlerContext, State>();
function stateOf(ctx: HandlerContext): State {
  let s = states.get(ctx);
  if (s) return s;
  const hostOf = (id: string): HostConnection | undefined => {
    try {
      return ctx.hosts.status(id).state === 'connected' ? ctx.hosts.get(id) : undefined;
    } catch {
      return undefined;
    }
  };
  const phases = new InstallPhases(hostOf, {
    phase: (hostId, uuid, name, phase, message) => {
      ctx.bus.emit('newvm.phase', { hostId, uuid, name, phase, message });
      ctx.bus.emit('domains.changed', { hostId, cause: 'action' });
    },
  });
  s = { catalogues: new OsCatalogues(), phases };
  states.set(ctx, s);
  // A VM change may end an install phase; a (re)connect finishes phases that ended meanwhile.
  // Only the step into 'connected' is a (re)connect: a connected host's status also changes for
  // other reasons (e.g. a note while commands wait for an SSH channel, which a scan would cause).
  const lastState = new Map<string, string>();
  ctx.bus.on((name, payload) => {
    const hostId = (payload as { hostId?: string }).hostId;
    if (!hostId) return;
    if (name === 'domains.changed') void phases.check(hostId).catch(() => undefined);
    if (name !== 'hosts.status') return;
    const state = (payload as { status: { state: string } }).status.state;
    const was = lastState.get(hostId);
    lastState.set(hostId, state);
    if (state === 'connected' && was !== 'connected') void phases.scan(hostId).catch(() => undefined);
  });
  return s;
}

export function newVmPlanners(ctx: HandlerContext): Planners<'newvm.create'> {
  return {
    'newvm.create': async (a) => (await planNewVm(ctx.hosts.get(a.hostId), stateOf(ctx).catalogues, a.spec, { validateXml: false })).steps.map((s) => s.step),
  };
}

export function newVmHandlers(ctx: HandlerContext): HandlersFor<NewVm> {
  const { catalogues, phases } = stateOf(ctx);
  const host = (id: string) => ctx.hosts.get(id);
  const changed = (hostId: string) => {
    ctx.bus.emit('domains.changed', { hostId, cause: 'action' });
    ctx.bus.emit('storage.changed', { hostId });
  };

  /** A VM the wizard left in "customizing": its definition, phase metadata and volumes. */
  const customized = async (h: HostConnection, uuid: string) => {
    const xml = await inactiveXml(h, uuid);
    const meta = readPhase(xml);
    if (meta?.phase !== 'customizing') throw new AppError('invalid_args', 'This VM is not waiting for its installation to begin.');
    return { xml, meta, name: DomainXml.parse(xml).name };
  };

  return {
    'newvm.capabilities': async ({ hostId }) => {
      const h = host(hostId);
      const cat = await catalogues.catalogue(h);
      return newVmCapabilities(h, { available: cat.source === 'osinfo', version: cat.dbVersion, count: cat.entries.length });
    },
    'newvm.osList': async ({ hostId, includeEol }) => catalogues.list(host(hostId), includeEol),
    'newvm.osDefaults': async ({ hostId, osId }) => {
      const r = await catalogues.resolve(host(hostId), osId);
      return { defaults: r.defaults, note: r.note };
    },
    'newvm.detectOs': async ({ hostId, media }) => {
      const h = host(hostId);
      const [cat, caps] = await Promise.all([catalogues.catalogue(h), hostCaps(h)]);
      return detectOs(h, media, cat, caps.arch);
    },
    'newvm.plan': async ({ hostId, spec }) => {
      const h = host(hostId);
      const p = await planNewVm(h, catalogues, spec, { validateXml: true });
      return {
        uuid: p.uuid,
        xml: p.xml,
        finalXml: p.finalXml,
        commands: preview(h, p.steps.map((s) => s.step)).commands,
        virtInstall: virtInstallLine(h.virshUri, spec, p.build, p.osinfoId),
        os: p.os,
        osNote: p.osNote,
        problems: p.problems,
        seed: p.seed,
        sourceNotes: p.sourceNotes,
      };
    },
    'newvm.create': async ({ hostId, spec }) => {
      const h = host(hostId);
      try {
        const p = await planNewVm(h, catalogues, spec, { validateXml: true });
        return await runPlan(h, p, () => {
          if (p.phase === 'installing') phases.track(hostId, { uuid: p.uuid, name: p.build.name, phase: 'installing' });
        }).then((r) => {
          if (r.phase === 'customizing') phases.track(hostId, { uuid: r.uuid, name: r.name, phase: 'customizing' });
          return r;
        });
      } finally {
        changed(hostId);
      }
    },
    'newvm.beginInstall': async ({ hostId, uuid }) => {
      const h = host(hostId);
      try {
        const { xml, name } = await customized(h, uuid);
        const install = withPhase(xml, 'installing');
        const define = (x: string): Step => ({ argv: ['define', '--validate', '--file', '/dev/stdin'], stdin: x });
        await runStep(h, define(install));
        await runStep(h, { argv: ['start', '--domain', uuid] });
        phases.track(hostId, { uuid, name, phase: 'installing' });
        await runStep(h, define(toFinal(install)));
        return { phase: 'installing' as const };
      } finally {
        changed(hostId);
      }
    },
    'newvm.phases': async ({ hostId }) => phases.phases(hostId),
    'newvm.localSshKeys': async () => localSshKeys(join(ctx.platform.homeDir, '.ssh')),
    'newvm.cancel': async ({ hostId, uuid }) => {
      const h = host(hostId);
      try {
        const { meta, name } = await customized(h, uuid);
        const steps = [
          ...meta.volumes.map((v) => ({ step: { argv: ['vol-create-as'] }, undo: { argv: ['vol-delete', '--pool', v.poolUuid, '--vol', v.name] }, undoText: `deleted the volume “${v.name}”` })),
          { step: { argv: ['define'] }, undo: { argv: ['undefine', '--domain', uuid, '--nvram', '--managed-save', '--snapshots-metadata'] }, undoText: `removed the VM “${name}”` },
        ];
        const undone = await undo(h, steps);
        phases.forget(hostId, uuid);
        return { undone };
      } finally {
        changed(hostId);
      }
    },
  };
}

/** The backend's one OS data module (the tuning advisor reads the same cache as the wizard). */
export const osCataloguesOf = (ctx: HandlerContext): OsCatalogues => stateOf(ctx).catalogues;
