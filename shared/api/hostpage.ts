import { z } from 'zod';
import { HostDevices, HostOverview, HostSample, Readiness } from '../model/hostinfo';
import { HostId } from '../model/host';
import { onHost, type EventTable, type RequestTable } from './common';

/** `virsh nodedev-detach` / `nodedev-reattach` / `nodedev-reset` (https://libvirt.org/manpages/virsh.html#nodedev-detach). */
export const NodedevAction = z.enum(['detach', 'reattach', 'reset']);
export type NodedevAction = z.infer<typeof NodedevAction>;

export const hostPageRequests = {
  'hostpage.overview': { args: onHost, result: HostOverview },
  /**
   * This client looks at the host's live figures: the sampler runs while at least one client
   * watches; unwatch (or the client going away) ends it.
   */
  'hostpage.watch': { args: onHost, result: z.object({ intervalMs: z.number() }) },
  'hostpage.unwatch': { args: onHost, result: z.null() },
  'hostpage.readiness': { args: onHost, result: Readiness },
  /** PCI devices by IOMMU group, SR-IOV functions, USB devices, and the VMs assigned each. */
  'hostpage.devices': { args: onHost, result: HostDevices },
  /** A PCI device's network interfaces, and the one (if any) that carries Virtdeck's connection to the host. */
  'hostpage.deviceRoute': {
    args: z.object({ hostId: HostId, address: z.string().regex(/^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/) }).strict(),
    result: z.object({ interfaces: z.array(z.string()), carries: z.string().nullable() }),
  },
  /** Detach a PCI device from its host driver (to vfio-pci), give it back, or reset it. */
  'hostpage.nodedevAction': {
    args: z.object({ hostId: HostId, name: z.string().min(1).max(256), action: NodedevAction }).strict(),
    result: z.null(),
  },
} as const satisfies RequestTable;

export const hostPageEvents = {
  'hostpage.sample': HostSample,
  /** The sampler failed (message) or works again (null). */
  'hostpage.problem': z.object({ hostId: z.string(), message: z.string().nullable() }),
} as const satisfies EventTable;
