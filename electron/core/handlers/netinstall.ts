/**
 * The New VM wizard's network install and PXE helpers (shared/api/netinstall.ts): reading an
 * install tree, a network's PXE readiness, and the isolated TFTP network.
 */
import type { netInstallRequests } from '../../../shared/api/netinstall';
import { AppError } from '../../../shared/errors';
import { runStep } from '../../libvirt/plan';
import { chooseFetcher, inspectTree } from '../../libvirt/new-vm/fetch-to-host';
import { hostCaps } from '../../libvirt/new-vm/host-facts';
import { treeWarnings } from '../../libvirt/new-vm/install-tree';
import { tryVirsh } from '../../libvirt/new-vm/media';
import { networkBootNote, parseNetworkBoot, pxeNetworkProblems, pxeNetworkSteps } from '../../libvirt/new-vm/pxe';
import type { HandlerContext, HandlersFor } from './context';
import type { Planners } from './storage';

type NetInstall = keyof typeof netInstallRequests;

export function netInstallPlanners(): Planners<'newvm.createPxeNetwork'> {
  return { 'newvm.createPxeNetwork': async (a) => pxeNetworkSteps(a, a.uuid).steps };
}

export function netInstallHandlers(ctx: HandlerContext): HandlersFor<NetInstall> {
  const host = (id: string) => ctx.hosts.get(id);
  return {
    'newvm.inspectTree': async ({ hostId, url, fetchBy }) => {
      const h = host(hostId);
      const [fetcher, caps] = await Promise.all([chooseFetcher(h, fetchBy), hostCaps(h)]);
      const t = await inspectTree(h, fetcher, url, caps.arch);
      return {
        family: t.family,
        osName: t.osName,
        osId: t.osId,
        kernelUrl: t.kernel.url,
        initrdUrl: t.initrd.url,
        kernelChecksum: t.kernel.sha256 !== null,
        initrdChecksum: t.initrd.sha256 !== null,
        checksumsUrl: t.checksumsUrl,
        fetcher,
        warnings: treeWarnings(t),
      };
    },
    'newvm.networkBoot': async ({ hostId, network }) => {
      const r = await tryVirsh(host(hostId), ['net-dumpxml', '--network', network]);
      if (!r.ok) throw new AppError('not_found', r.error);
      const b = parseNetworkBoot(r.stdout);
      return { tftpRoot: b.tftpRoot, bootFile: b.bootFile, note: networkBootNote(network, b) };
    },
    'newvm.createPxeNetwork': async (a) => {
      const h = host(a.hostId);
      try {
        const problems = await pxeNetworkProblems(h, a);
        if (problems.length > 0) throw new AppError('invalid_args', problems.join('\n'));
        const { uuid, steps } = pxeNetworkSteps(a, a.uuid);
        await runStep(h, steps[0]!);
        try {
          for (const s of steps.slice(1)) await runStep(h, s);
        } catch (e) {
          // Starting failed (e.g. dnsmasq refused the folder): the definition goes too.
          await runStep(h, { argv: ['net-undefine', '--network', uuid] }).catch(() => undefined);
          const err = AppError.from(e);
          throw new AppError(err.code, `${err.message}\nUndone: removed the network “${a.name}”.`);
        }
        return { uuid, name: a.name };
      } finally {
        ctx.bus.emit('networks.changed', { hostId: a.hostId });
      }
    },
  };
}
