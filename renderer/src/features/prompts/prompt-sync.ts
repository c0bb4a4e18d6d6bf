import { useEffect } from 'react';
import type { Api } from '../../../../shared/contract';
import type { PromptAnswer } from '../../../../shared/model/prompt';
import { useApi } from '../../api/ApiProvider';
import { AppError } from '../../../../shared/errors';
import { selectBackendReady, useBackendStore } from '../../stores/backend';
import { enqueuePrompt, removePrompt, usePromptsStore } from '../../stores/prompts';

export function usePromptsSync() {
  const api = useApi();
  const ready = useBackendStore(selectBackendReady);
  useEffect(() => {
    const offAsk = api.on('prompts.ask', enqueuePrompt);
    const offClosed = api.on('prompts.closed', ({ promptId }) => removePrompt(promptId));
    return () => {
      offAsk();
      offClosed();
    };
  }, [api]);
  // Questions asked while this page was away (reload, dropped socket) are fetched again.
  useEffect(() => {
    if (!ready) return;
    api.request('prompts.list', {}).then(
      (open) => usePromptsStore.setState({ queue: open }),
      (e: unknown) => console.warn('prompts.list failed', e),
    );
  }, [api, ready]);
}

/**
 * Sends the answer and drops the prompt. A not_found reply means the backend already withdrew it
 * (the connection attempt ended), which is not worth an error. Other failures are rethrown so the
 * dialog can show them and let the user try again.
 */
export async function answerPrompt(api: Api, answer: PromptAnswer): Promise<void> {
  try {
    await api.request('prompts.answer', answer);
  } catch (e) {
    if (AppError.from(e).code !== 'not_found') throw e;
  }
  removePrompt(answer.promptId);
}
