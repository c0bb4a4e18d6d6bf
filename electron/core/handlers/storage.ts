import type { storageRequests } from '../../../shared/api/storage';
import type { ParsedArgs } from '../../../shared/contract';
import type { HostConnection } from '../../hosts/host-connection';
import { runSteps, type Step } from '../../libvirt/plan';
import { definePoolSteps, listPools, poolActionSteps } from '../../libvirt/pools';
import { planDownload, planDownloadTo, planUpload, planUploadOfSize, TransferManager } from '../../libvirt/transfers';
import { BrowserUploadSource } from '../client-transfers';
import { cloneVolumeSteps, createVolumeSteps, deleteVolumeSteps, listVolumes, resizeVolumeSteps, volumeBaseOf, volumeDetails, wipeVolumeSteps } from '../../libvirt/volumes';
import { currentXml, redefine, redefineSteps } from '../../libvirt/xml-edit';
import { XmlHistory } from '../../libvirt/xml-history';
import type { HandlerContext, HandlersFor } from './context';

type Storage = keyof typeof storageRequests;
/** The requests that change something; each has a planner whose steps the preview shows. */
export type StoragePlanned = Extract<
  Storage,
  | 'storage.pools.define'
  | 'storage.pools.action'
  | 'storage.pools.defineXml'
  | 'storage.volumes.create'
  | 'storage.volumes.clone'
  | 'storage.volumes.resize'
  | 'storage.volumes.wipe'
  | 'storage.volumes.delete'
  | 'storage.volumes.upload'
  | 'storage.volumes.download'
  | 'storage.volumes.uploadFromBrowser'
  | 'storage.volumes.downloadToBrowser'
>;
export type Planners<K extends string & keyof typeof import('../../../shared/contract').requests> = { [P in K]: (args: ParsedArgs<P>) => Promise<Step[]> };

/** Builds every storage action's steps from its arguments: used to run it and to preview it. */
export function storagePlanners(ctx: HandlerContext): Planners<StoragePlanned> {
  const host = (id: string): HostConnection => ctx.hosts.get(id);
  return {
    'storage.pools.define': async (a) => definePoolSteps(a).steps,
    'storage.pools.action': async (a) => poolActionSteps(a.uuid, a.action, a.buildFormat),
    'storage.pools.defineXml': async (a) => redefineSteps('pool', a.uuid, a.xml),
    'storage.volumes.create': async (a) => createVolumeSteps(a.poolUuid, a.spec),
    'storage.volumes.clone': async (a) => cloneVolumeSteps(a.poolUuid, a.name, a.newName, a.preallocMetadata),
    'storage.volumes.resize': async (a) => resizeVolumeSteps(host(a.hostId), a.poolUuid, a.name, a.capacity, a.confirmShrink),
    'storage.volumes.wipe': async (a) => wipeVolumeSteps(a.poolUuid, a.name, a.algorithm),
    'storage.volumes.delete': async (a) => deleteVolumeSteps(host(a.hostId), a.poolUuid, a.name, a.confirmInUse),
    'storage.volumes.upload': async (a) => {
      const { plan } = await planUpload(host(a.hostId), a.poolUuid, a.name, ctx.localFiles.resolve(a.file, 'read'));
      return [plan.create, plan.upload, plan.refresh];
    },
    'storage.volumes.download': async (a) => [(await planDownload(host(a.hostId), a.poolUuid, a.name, ctx.localFiles.resolve(a.file, 'write'), a.overwrite)).step],
    // Browser mode: stdin is the browser's file, stdout the browser's download (both named by the file name).
    'storage.volumes.uploadFromBrowser': async (a) => {
      const plan = await planUploadOfSize(host(a.hostId), a.poolUuid, a.name, a.size, a.fileName);
      return [plan.create, plan.upload, plan.refresh];
    },
    'storage.volumes.downloadToBrowser': async (a) => [(await planDownloadTo(host(a.hostId), a.poolUuid, a.name, a.name)).step],
  };
}

export function storageHandlers(ctx: HandlerContext): HandlersFor<Storage> {
  const plan = storagePlanners(ctx);
  const history = new XmlHistory(ctx.platform.dataDir);
  const changed = (hostId: string) => ctx.bus.emit('storage.changed', { hostId });
  const transfers = new TransferManager((t) => ctx.bus.emit('storage.transfer', t), changed);
  // Leftovers of uploads cut off by a dropped connection are deleted once the host is back.
  ctx.bus.on((name, payload) => {
    if (name !== 'hosts.status') return;
    const p = payload as { hostId: string; status: { state: string } };
    if (p.status.state === 'connected') transfers.retryCleanup(p.hostId);
  });

  /** Runs a planned action, then invalidates (test:/// hosts have no events to tell the UI). */
  const run = <K extends StoragePlanned>(name: K) => async (args: ParsedArgs<K> & { hostId: string }): Promise<null> => {
    try {
      await runSteps(ctx.hosts.get(args.hostId), await plan[name](args));
    } finally {
      changed(args.hostId);
    }
    return null;
  };

  return {
    'storage.pools.list': async ({ hostId }) => listPools(ctx.hosts.get(hostId)),
    'storage.pools.define': async (a) => {
      const { uuid, steps } = definePoolSteps(a);
      try {
        await runSteps(ctx.hosts.get(a.hostId), steps);
      } finally {
        changed(a.hostId);
      }
      return { uuid };
    },
    'storage.pools.action': run('storage.pools.action'),
    'storage.pools.xml': async ({ hostId, uuid }) => ({ xml: await currentXml(ctx.hosts.get(hostId), 'pool', uuid) }),
    'storage.pools.defineXml': async (a) => {
      try {
        await redefine(ctx.hosts.get(a.hostId), history, 'pool', a.uuid, await plan['storage.pools.defineXml'](a));
      } finally {
        changed(a.hostId);
      }
      return null;
    },
    'storage.volumes.list': async ({ hostId, poolUuid }) => listVolumes(ctx.hosts.get(hostId), poolUuid),
    'storage.volumes.create': run('storage.volumes.create'),
    'storage.volumes.clone': run('storage.volumes.clone'),
    'storage.volumes.resize': run('storage.volumes.resize'),
    'storage.volumes.wipe': run('storage.volumes.wipe'),
    'storage.volumes.delete': run('storage.volumes.delete'),
    'storage.volumes.details': async ({ hostId, poolUuid, name }) => volumeDetails(ctx.hosts.get(hostId), poolUuid, name),
    'storage.volumes.baseOf': async ({ hostId, poolUuid, name }) => volumeBaseOf(ctx.hosts.get(hostId), poolUuid, name),
    'storage.volumes.upload': async (a) => {
      const localPath = ctx.localFiles.resolve(a.file, 'read');
      const host = ctx.hosts.get(a.hostId);
      const { plan: steps, size } = await planUpload(host, a.poolUuid, a.name, localPath);
      return transfers.startUpload(host, a.poolUuid, a.name, localPath, size, steps, a.transferId);
    },
    'storage.volumes.download': async (a) => {
      const localPath = ctx.localFiles.resolve(a.file, 'write');
      const host = ctx.hosts.get(a.hostId);
      const { step, total } = await planDownload(host, a.poolUuid, a.name, localPath, a.overwrite);
      return transfers.startDownload(host, a.poolUuid, a.name, localPath, total, step, a.transferId);
    },
    'storage.volumes.uploadFromBrowser': async (a) => {
      const host = ctx.hosts.get(a.hostId);
      const plan = await planUploadOfSize(host, a.poolUuid, a.name, a.size, a.fileName);
      const source = new BrowserUploadSource(a.size);
      const transfer = transfers.startUploadFrom(host, a.poolUuid, a.name, a.fileName, a.size, plan, (signal) => source.chunks(signal), a.transferId, (t) =>
        source.finished(t.state === 'done', t.state === 'done' ? 'uploaded' : (t.error?.message ?? t.state)),
      );
      // An unclaimed ticket (the browser never connected) cancels the upload, which deletes its new volume.
      const ticket = ctx.clientTransfers.offerUpload((peer) => source.attach(peer), () => transfers.abort(transfer.transferId));
      return { transfer, ticket };
    },
    'storage.volumes.downloadToBrowser': async (a) => {
      const host = ctx.hosts.get(a.hostId);
      const { step, total } = await planDownloadTo(host, a.poolUuid, a.name, a.name);
      const ticket = ctx.clientTransfers.offerDownload((res) => {
        transfers.startDownloadTo(host, a.poolUuid, a.name, a.name, total, step, async () => ({
          writable: res.start(a.name),
          commit: async () => {}, // the response ended cleanly when the stream finished
          discard: async () => res.fail(),
        }), a.transferId);
      });
      return { ticket };
    },
    'storage.transfers.list': async () => transfers.list(),
    'storage.transfers.cancel': async ({ transferId }) => (transfers.cancel(transferId), null),
  };
}
