import { create } from 'zustand';
import type { Prompt } from '../../../shared/model/prompt';

/** Questions from the backend, oldest first; the first one is on screen. */
export interface PromptsState {
  queue: Prompt[];
}

export const usePromptsStore = create<PromptsState>()(() => ({ queue: [] }));

export function enqueuePrompt(prompt: Prompt) {
  usePromptsStore.setState((s) =>
    s.queue.some((p) => p.promptId === prompt.promptId) ? s : { queue: [...s.queue, prompt] },
  );
}

export function removePrompt(promptId: string) {
  usePromptsStore.setState((s) => ({ queue: s.queue.filter((p) => p.promptId !== promptId) }));
}
