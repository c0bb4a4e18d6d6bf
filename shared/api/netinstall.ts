/**
 * NETWORK INSTALL and PXE — the wizard's source step asks these before planning (the plan and
 * create themselves go through newvm.plan / newvm.create with source kind 'tree' or 'pxe').
 *
 * newvm.inspectTree {hostId, url, fetchBy} → what Virtdeck found in the tree: family (debian,
 *   ubuntu, treeinfo), osName/osId (osId: an osinfo short-id for newvm.osDefaults; may be newer
 *   than the host's db), kernel/initrd URLs and whether each has a checksum, who fetches
 *   ('curl'|'wget' on the host, or 'virtdeck'), and warnings (plain http without checksums).
 *   Errors: not_found (no tree there, host cannot reach it), unsupported (fetchBy 'host' without curl/wget).
 * newvm.networkBoot {hostId, network} → {tftpRoot, bootFile, note}: note says when the network
 *   has no <tftp>/<bootp> (PXE then needs another server on it).
 * newvm.createPxeNetwork {hostId, name, tftpRoot, bootFile, address, uuid?} → {uuid, name}:
 *   an isolated network (no forward) 192.168.x.0/24 with DHCP .100–.200 and TFTP from the host
 *   folder; refused (invalid_args, nothing made) when the name or subnet is taken or dnsmasq could
 *   not read the folder/boot file. Previewable (net-define --validate, net-start).
 */
import { z } from 'zod';
import { HostId } from '../model/host';
import { ObjectName, ObjectUuid } from '../model/storage';
import { TreeUrl } from '../model/newvm';
import { type EventTable, type RequestTable } from './common';

/** The host's address on the new network (/24); the DHCP range is .100–.200 of it. */
const Ipv4Host = z
  .string()
  .regex(/^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/, 'an IPv4 address like 192.168.213.1')
  .refine((s) => [1, 254].includes(Number(s.split('.')[3])), 'the host’s address: .1 or .254 of the /24');

export const TreeInfo = z.object({
  family: z.enum(['debian', 'ubuntu', 'treeinfo']),
  osName: z.string().nullable(),
  osId: z.string().nullable(),
  kernelUrl: z.string(),
  initrdUrl: z.string(),
  kernelChecksum: z.boolean(),
  initrdChecksum: z.boolean(),
  checksumsUrl: z.string().nullable(),
  fetcher: z.enum(['curl', 'wget', 'virtdeck']),
  warnings: z.array(z.string()),
});
export type TreeInfo = z.infer<typeof TreeInfo>;

export const CreatePxeNetworkArgs = z
  .object({
    hostId: HostId,
    name: ObjectName,
    tftpRoot: z.string().min(2).max(4096).refine((p) => p.startsWith('/') && !/[\0\n]/.test(p), 'an absolute folder on the host'),
    bootFile: z.string().min(1).max(255).regex(/^[A-Za-z0-9_.\-/]+$/, 'a file name like pxelinux.0').default('pxelinux.0'),
    address: Ipv4Host.default('192.168.213.1'),
    uuid: ObjectUuid.optional(),
  })
  .strict();

export const netInstallRequests = {
  'newvm.inspectTree': {
    args: z.object({ hostId: HostId, url: TreeUrl, fetchBy: z.enum(['auto', 'host', 'virtdeck']).default('auto') }).strict(),
    result: TreeInfo,
  },
  'newvm.networkBoot': {
    args: z.object({ hostId: HostId, network: ObjectName }).strict(),
    result: z.object({ tftpRoot: z.string().nullable(), bootFile: z.string().nullable(), note: z.string().nullable() }),
  },
  'newvm.createPxeNetwork': { args: CreatePxeNetworkArgs, result: z.object({ uuid: ObjectUuid, name: z.string() }) },
} as const satisfies RequestTable;

export const netInstallEvents = {} as const satisfies EventTable;
