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

/**
 * A file of this computer the user chose in a native dialog, as the renderer may hold it: an
 * opaque handle the backend maps to the path (electron/core/local-files.ts). Requests name the
 * handle, never a path; browser mode has none.
 */
export const LocalFileHandle = z.string().regex(/^[A-Za-z0-9_-]{24}$/, 'must be a file handle from app.chooseFile');
export type LocalFileHandle = z.infer<typeof LocalFileHandle>;

export const LocalFileChoice = z.object({
  handle: LocalFileHandle,
  /** For display only: requests never take it back. */
  path: z.string(),
});
export type LocalFileChoice = z.infer<typeof LocalFileChoice>;

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
  /**
   * A native Open / Save-as dialog of this computer (desktop only; browser mode answers
   * 'unsupported'). The choice comes back as a handle (readable for 'open', writable for
   * 'save') that storage.volumes.upload / download take. null: cancelled.
   */
  'app.chooseFile': {
    args: z.object({ mode: z.enum(['open', 'save']), title: z.string().max(200), defaultPath: z.string().max(4096).optional() }).strict(),
    result: z.object({ file: LocalFileChoice.nullable() }),
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
