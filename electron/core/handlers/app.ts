import type { appRequests } from '../../../shared/api/app';
import { AppError } from '../../../shared/errors';
import { hasLocalVirsh } from '../first-start';
import type { HandlerContext, HandlersFor } from './context';

export function appHandlers(ctx: HandlerContext): HandlersFor<keyof typeof appRequests> {
  return {
    'app.info': async () => ({
      version: ctx.platform.version,
      mode: ctx.platform.mode,
      platform: process.platform,
      localVirsh: await hasLocalVirsh(),
      canRememberSecrets: ctx.platform.secrets.persistent,
      nativeFileDialogs: ctx.platform.fileDialogs !== undefined,
    }),
    'app.chooseFile': async ({ mode, title, defaultPath }) => {
      const dialogs = ctx.platform.fileDialogs;
      if (!dialogs) throw new AppError('unsupported', 'This computer has no native file dialogs here (browser mode): use the browser’s file picker.');
      const opts = { title, ...(defaultPath !== undefined ? { defaultPath } : {}) };
      const path = mode === 'open' ? await dialogs.openFile(opts) : await dialogs.saveFile(opts);
      // The page gets a handle for what the user chose, not a path it could later swap for another.
      return { file: path === null ? null : { handle: ctx.localFiles.grant(path, mode === 'open' ? 'read' : 'write'), path } };
    },
    'prompts.answer': async (a) => {
      ctx.prompter.answer(a);
      return null;
    },
    'prompts.list': async () => ctx.prompter.list(),
    'settings.get': async () => ctx.settings.value,
    'settings.update': async (patch) => ctx.settings.update(patch),
    'app.visibility': async ({ visible }, client) => {
      ctx.viewers.report(client.id, visible);
      return null;
    },
    'activity.list': async ({ afterSeq, hostId }) => ctx.activity.list(afterSeq, hostId),
  };
}
