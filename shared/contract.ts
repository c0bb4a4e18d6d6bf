/**
 * The one place where request and event names exist. Main registers handlers from `requests`,
 * the preload exposes exactly these keys, and the browser-mode WebSocket client speaks the same.
 * Types are inferred from the zod schemas, so validation and typing cannot drift apart.
 */
import { z } from 'zod';
import { AppErrorShape } from './errors';
import { appEvents, appRequests } from './api/app';
import { consoleEvents, consoleRequests } from './api/consoles';
import { detailsEvents, detailsRequests } from './api/details';
import { domainEvents, domainRequests } from './api/domains';
import { hostEvents, hostRequests } from './api/hosts';
import { commandEvents, commandRequests } from './api/commands';
import { networkEvents, networkRequests } from './api/networks';
import { snapshotEvents, snapshotRequests } from './api/snapshots';
import { clonesEvents, clonesRequests } from './api/clones';
import { backupEvents, backupRequests } from './api/backups';
import { storageEvents, storageRequests } from './api/storage';
import { newVmEvents, newVmRequests } from './api/newvm';
import { hostPageEvents, hostPageRequests } from './api/hostpage';
import { tuningMemoryEvents, tuningMemoryRequests } from './api/tuning-memory';
import { tuningCpuEvents, tuningCpuRequests } from './api/tuning-cpu';
import { migrationEvents, migrationRequests } from './api/migration';
import { netInstallEvents, netInstallRequests } from './api/netinstall';

export { AppInfo } from './api/app';

/** Every request, one table per area (shared/api/*), merged here. */
export const requests = {
  ...appRequests,
  ...hostRequests,
  ...domainRequests,
  ...detailsRequests,
  ...storageRequests,
  ...networkRequests,
  ...commandRequests,
  ...consoleRequests,
  ...newVmRequests,
  ...hostPageRequests,
  ...snapshotRequests,
  ...tuningMemoryRequests,
  ...tuningCpuRequests,
  ...clonesRequests,
  ...migrationRequests,
  ...backupRequests,
  ...netInstallRequests,
} as const;

export const events = {
  ...appEvents,
  ...hostEvents,
  ...domainEvents,
  ...detailsEvents,
  ...storageEvents,
  ...networkEvents,
  ...commandEvents,
  ...consoleEvents,
  ...newVmEvents,
  ...hostPageEvents,
  ...snapshotEvents,
  ...tuningMemoryEvents,
  ...tuningCpuEvents,
  ...clonesEvents,
  ...migrationEvents,
  ...backupEvents,
  ...netInstallEvents,
} as const;

export type RequestName = keyof typeof requests;
export type EventName = keyof typeof events;
export type RequestArgs<K extends RequestName> = z.input<(typeof requests)[K]['args']>;
export type ParsedArgs<K extends RequestName> = z.output<(typeof requests)[K]['args']>;
export type RequestResult<K extends RequestName> = z.output<(typeof requests)[K]['result']>;
export type EventPayload<K extends EventName> = z.output<(typeof events)[K]>;

export const requestNames = Object.keys(requests) as RequestName[];
export const eventNames = Object.keys(events) as EventName[];
export const isRequestName = (n: unknown): n is RequestName => typeof n === 'string' && Object.hasOwn(requests, n);
export const isEventName = (n: unknown): n is EventName => typeof n === 'string' && Object.hasOwn(events, n);

/** The API both the preload bridge and the WebSocket client implement. */
export interface Api {
  request<K extends RequestName>(name: K, args: RequestArgs<K>): Promise<RequestResult<K>>;
  on<K extends EventName>(name: K, fn: (payload: EventPayload<K>) => void): () => void;
}

/** Transport-level names: the only channel strings in the codebase. */
export const IPC = {
  request: 'virtdeck:request',
  event: 'virtdeck:event',
} as const;

/** Browser-mode wire frames (JSON text frames on the authenticated WebSocket). */
export const WireFromClient = z.object({
  t: z.literal('req'),
  id: z.number().int(),
  name: z.string(),
  args: z.unknown(),
});
export type WireFromClient = z.infer<typeof WireFromClient>;
export type WireFromServer =
  | { t: 'res'; id: number; ok: true; result: unknown }
  | { t: 'res'; id: number; ok: false; error: AppErrorShape }
  | { t: 'evt'; name: EventName; payload: unknown };

/** IPC responses are wrapped so AppError codes survive Electron's error serialisation. */
export type Envelope = { ok: true; result: unknown } | { ok: false; error: AppErrorShape };
