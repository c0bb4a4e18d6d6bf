import { randomUUID } from 'node:crypto';
import { AppError } from '../../shared/errors';
import type { Prompt, PromptAnswer } from '../../shared/model/prompt';

type Ask = Prompt extends infer P ? (P extends Prompt ? Omit<P, 'promptId'> : never) : never;

const PROMPT_TIMEOUT_MS = 5 * 60_000;

/**
 * Questions that need a person (host keys, passwords) go to whichever UI is attached as an
 * event; the answer comes back as a request. Unanswered questions expire as a refusal, and a
 * question whose `signal` aborts (the connection attempt that asked has ended) is withdrawn.
 */
export class Prompter {
  private readonly open = new Map<string, { prompt: Prompt; resolve(a: PromptAnswer): void; timer: NodeJS.Timeout; unlisten(): void }>();

  constructor(
    private readonly emitAsk: (p: Prompt) => void,
    private readonly emitClosed: (promptId: string) => void,
  ) {}

  /** Resolves with the person's answer, or a refusal on expiry, withdrawal or shutdown; never rejects. */
  ask(question: Ask, signal?: AbortSignal): Promise<PromptAnswer> {
    const promptId = randomUUID();
    if (signal?.aborted) return Promise.resolve({ promptId, accept: false });
    return new Promise<PromptAnswer>((resolve) => {
      const timer = setTimeout(() => this.answer({ promptId, accept: false }), PROMPT_TIMEOUT_MS);
      const withdraw = () => this.open.has(promptId) && this.answer({ promptId, accept: false });
      signal?.addEventListener('abort', withdraw, { once: true });
      const prompt = { ...question, promptId } as Prompt;
      this.open.set(promptId, { prompt, resolve, timer, unlisten: () => signal?.removeEventListener('abort', withdraw) });
      this.emitAsk(prompt);
    });
  }

  list(): Prompt[] {
    return [...this.open.values()].map((e) => e.prompt);
  }

  answer(a: PromptAnswer): void {
    const entry = this.open.get(a.promptId);
    if (!entry) throw new AppError('not_found', 'this question is no longer open');
    this.open.delete(a.promptId);
    clearTimeout(entry.timer);
    entry.unlisten();
    entry.resolve(a);
    this.emitClosed(a.promptId);
  }

  /** Answers every open question with a refusal (shutdown). */
  cancelAll(): void {
    for (const promptId of [...this.open.keys()]) this.answer({ promptId, accept: false });
  }
}
