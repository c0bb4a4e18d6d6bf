import { z } from 'zod';
import { HostId } from '../model/host';
import { HostInterfaces, NetworkList, NetworkSpec } from '../model/network';
import { ObjectUuid } from '../model/storage';
import { onHost, type EventTable, type RequestTable } from './common';

export const NetworkAction = z.enum(['start', 'stop', 'autostart', 'noautostart', 'undefine']);
export type NetworkAction = z.infer<typeof NetworkAction>;

export const networkRequests = {
  'networks.list': { args: onHost, result: NetworkList },
  /** net-define of the XML generated from the form (--validate), then optionally start/autostart. */
  'networks.define': {
    args: z
      .object({ hostId: HostId, uuid: ObjectUuid.optional(), spec: NetworkSpec, start: z.boolean().default(true), autostart: z.boolean().default(false) })
      .strict(),
    result: z.object({ uuid: ObjectUuid }),
  },
  'networks.action': { args: z.object({ hostId: HostId, uuid: ObjectUuid, action: NetworkAction }).strict(), result: z.null() },
  'networks.xml': { args: z.object({ hostId: HostId, uuid: ObjectUuid }).strict(), result: z.object({ xml: z.string() }) },
  'networks.defineXml': {
    args: z.object({ hostId: HostId, uuid: ObjectUuid, xml: z.string().min(1).max(1_000_000) }).strict(),
    result: z.null(),
  },
  /** Host interfaces, read-only (to pick a bridge). */
  'networks.interfaces': { args: onHost, result: HostInterfaces },
} as const satisfies RequestTable;

export const networkEvents = {
  'networks.changed': z.object({ hostId: HostId }),
} as const satisfies EventTable;
