/**
 * The one place where request and event names exist. Main registers handlers from `requests`,
 * the preload exposes exactly these keys, and the browser-mode WebSocket client speaks the same.
 * Types are inferred from the zod schemas, so validation and typing cannot drift apart.
 */
import { z } from 'zod';
import { AppErrorShape } from './errors';
import { ConnectionInput, HostId, HostStatus, HostView } from './model/host';
import { ActionResult, DeletePlan, DeleteResult, Domain, DomainAction, DomainNotice, DomainUuid } from './model/domain';
import { DomainAddresses, Settings, StatsTick } from './model/stats';
import { ActivityEntry } from './model/activity';
import { Prompt, PromptAnswer } from './model/prompt';

const none = z.object({}).strict();
const host = z.object({ hostId: HostId }).strict();
/** A path on the host (never interpreted by a shell; virsh gets it as one quoted argument). */
const HostPath = z.string().min(1).max(4096).refine((p) => !p.includes('\0'), 'a path cannot contain NUL');

export const AppInfo = z.object({
  version: z.string(),
  mode: z.enum(['desktop', 'web']),
  platform: z.string(),
  /** virsh is installed on this computer, so local URIs can work. */
  localVirsh: z.boolean(),
  /** Secrets can be remembered (desktop with an encrypted store); browser mode never persists them. */
  canRememberSecrets: z.boolean(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const requests = {
  'app.info': { args: none, result: AppInfo },

  'hosts.list': { args: none, result: z.array(HostView) },
  'hosts.save': { args: z.object({ connection: ConnectionInput }).strict(), result: HostView },
  'hosts.remove': { args: host, result: z.null() },
  'hosts.connect': { args: host, result: HostStatus },
  'hosts.disconnect': { args: host, result: HostStatus },

  'prompts.answer': { args: PromptAnswer.strict(), result: z.null() },
  /** Questions still open: a UI that (re)attaches mid-connect shows them again. */
  'prompts.list': { args: none, result: z.array(Prompt) },

  'domains.list': { args: host, result: z.array(Domain) },
  'domains.action': {
    args: z.object({ hostId: HostId, uuids: z.array(DomainUuid).min(1).max(1000), action: DomainAction }).strict(),
    result: z.array(ActionResult),
  },

  /** Long jobs on their own channel: `virsh save` / `virsh restore` with a path on the host. */
  'domains.saveToFile': { args: z.object({ hostId: HostId, uuid: DomainUuid, path: HostPath }).strict(), result: z.null() },
  'domains.restoreFromFile': { args: z.object({ hostId: HostId, path: HostPath }).strict(), result: z.null() },
  'domains.deletePlan': { args: z.object({ hostId: HostId, uuid: DomainUuid }).strict(), result: DeletePlan },
  /** Force-off if running, undefine with managed save, snapshot/checkpoint metadata and NVRAM, then delete the chosen volumes. */
  'domains.delete': {
    args: z.object({ hostId: HostId, uuid: DomainUuid, deleteSources: z.array(HostPath).max(64) }).strict(),
    result: DeleteResult,
  },

  'settings.get': { args: none, result: Settings },
  'settings.update': { args: Settings.partial().strict(), result: Settings },

  'activity.list': {
    args: z.object({ afterSeq: z.number().int().optional(), hostId: HostId.optional() }).strict(),
    result: z.array(ActivityEntry),
  },
} as const satisfies Record<string, { args: z.ZodType; result: z.ZodType }>;

export const events = {
  /** The saved connection list changed (added, edited, removed). */
  'hosts.changed': z.object({}),
  'hosts.status': z.object({ hostId: HostId, status: HostStatus }),
  /** Invalidation only: the renderer refetches; nothing is patched from event data. */
  'domains.changed': z.object({ hostId: HostId }),
  'prompts.ask': Prompt,
  /** A prompt was answered or withdrawn (e.g. the connection attempt ended). */
  'prompts.closed': z.object({ promptId: z.string() }),
  'activity.added': ActivityEntry,
  'stats.tick': StatsTick,
  'domains.addresses': DomainAddresses,
  'domains.notice': DomainNotice,
} as const satisfies Record<string, z.ZodType>;

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
