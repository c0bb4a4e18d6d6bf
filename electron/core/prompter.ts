import { randomUUID } from 'node:crypto';
import { AppError } from '../../shared/errors';
import type { Prompt, PromptAnswer } from '../../shared/model/prompt';

type Ask = Prompt extends infer P ? (P extends Prompt ? Omit<P, 'promptId'> : never) : never;

const PROMPT_TIMEOUT_MS = 5 * 60_000;

/**
 * Questions that need a person (host keys, passwords) go to whichever UI is attached as an
 * event; the answer comes back as a request. Unanswered questions expire as a refusal.
 */
export class Prompter {
  private readonly open = new Map<string, { prompt: Prompt; resolve(a: PromptAnswer): void; timer: NodeJS.Timeout }>();

  constructor(
    private readonly emitAsk: (p: Prompt) => void,
    private readonly emitClosed: (promptId: string) => void,
  ) {}

  ask(question: Ask): Promise<PromptAnswer> {
    const promptId = randomUUID();
    return new Promise<PromptAnswer>((resolve) => {
      const timer = setTimeout(() => this.answer({ promptId, accept: false }), PROMPT_TIMEOUT_MS);
      const prompt = { ...question, promptId } as Prompt;
      this.open.set(promptId, { prompt, resolve, timer });
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
    entry.resolve(a);
    this.emitClosed(a.promptId);
  }

  /** Answers every open question for a host with a refusal (the connection attempt ended). */
  cancelAll(): void {
    for (const promptId of [...this.open.keys()]) this.answer({ promptId, accept: false });
  }
}
