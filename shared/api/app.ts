import { z } from 'zod';
import { HostId } from '../model/host';
import { ActivityEntry } from '../model/activity';
import { Prompt, PromptAnswer } from '../model/prompt';
import { Settings } from '../model/stats';
import { none, type EventTable, type RequestTable } from './common';

export const AppInfo = z.object({
  version: z.string(),
  mode: z.enum(['desktop', 'web']),
  platform: z.string(),
  /** virsh is installed on this computer, so local URIs can work. */
  localVirsh: z.boolean(),
  /** Secrets can be remembered (desktop with an encrypted store); browser mode never persists them. */
  canRememberSecrets: z.boolean(),
  /** Native file dialogs of this computer exist (desktop); browser mode uses the browser's file input and downloads. */
  nativeFileDialogs: z.boolean(),
});
export type AppInfo = z.infer<typeof AppInfo>;

/** App-wide requests: info, prompts, settings, the activity log. */
export const appRequests = {
  'app.info': { args: none, result: AppInfo },
  'prompts.answer': { args: PromptAnswer.strict(), result: z.null() },
  /** Questions still open: a UI that (re)attaches mid-connect shows them again. */
  'prompts.list': { args: none, result: z.array(Prompt) },
  'settings.get': { args: none, result: Settings },
  'settings.update': { args: Settings.partial().strict(), result: Settings },
  /** This client's page became visible or hidden. Stats are polled while any client is visible. */
  'app.visibility': { args: z.object({ visible: z.boolean() }).strict(), result: z.null() },
  /** A native Open / Save-as dialog of this computer (desktop only; browser mode answers 'unsupported'). null: cancelled. */
  'app.chooseFile': {
    args: z.object({ mode: z.enum(['open', 'save']), title: z.string().max(200), defaultPath: z.string().max(4096).optional() }).strict(),
    result: z.object({ path: z.string().nullable() }),
  },
  'activity.list': {
    args: z.object({ afterSeq: z.number().int().optional(), hostId: HostId.optional() }).strict(),
    result: z.array(ActivityEntry),
  },
} as const satisfies RequestTable;

export const appEvents = {
  'prompts.ask': Prompt,
  /** A prompt was answered or withdrawn (e.g. the connection attempt ended). */
  'prompts.closed': z.object({ promptId: z.string() }),
  /** Commands that finished, batched (~100 ms): one event per command flooded the renderer. */
  'activity.added': z.object({ entries: z.array(ActivityEntry) }),
} as const satisfies EventTable;
