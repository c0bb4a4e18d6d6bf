import { z } from 'zod';
import { HostDevices, HostOverview, HostSample, Readiness } from '../model/hostinfo';
import { onHost, type EventTable, type RequestTable } from './common';

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
} as const satisfies RequestTable;

export const hostPageEvents = {
  'hostpage.sample': HostSample,
  /** The sampler failed (message) or works again (null). */
  'hostpage.problem': z.object({ hostId: z.string(), message: z.string().nullable() }),
} as const satisfies EventTable;
