import { z } from 'zod';
import { ConnectionInput, HostId, HostStatus, HostView } from '../model/host';
import { none, onHost, type EventTable, type RequestTable } from './common';

export const hostRequests = {
  'hosts.list': { args: none, result: z.array(HostView) },
  'hosts.save': { args: z.object({ connection: ConnectionInput }).strict(), result: HostView },
  'hosts.remove': { args: onHost, result: z.null() },
  'hosts.connect': { args: onHost, result: HostStatus },
  'hosts.disconnect': { args: onHost, result: HostStatus },
} as const satisfies RequestTable;

export const hostEvents = {
  /** The saved connection list changed (added, edited, removed). */
  'hosts.changed': z.object({}),
  'hosts.status': z.object({ hostId: HostId, status: HostStatus }),
} as const satisfies EventTable;
