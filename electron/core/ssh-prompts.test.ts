import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Prompt } from '../../shared/model/prompt';
import { MemorySecretStore } from './adapters';
import { Prompter } from './prompter';
import { SshPrompts } from './ssh-prompts';

function setup() {
  const asked: Prompt[] = [];
  const closed: string[] = [];
  const prompter = new Prompter(
    (p) => asked.push(p),
    (id) => closed.push(id),
  );
  const ask = new SshPrompts({ prompter, secrets: new MemorySecretStore() }).forConnection('c1');
  /** The n-th question (1-based), once it is out: a password is first looked up in the store. */
  const question = async (n: number) => {
    await vi.waitFor(() => expect(asked.length).toBeGreaterThanOrEqual(n));
    return asked[n - 1]!.promptId;
  };
  return { asked, closed, prompter, ask, question };
}
const login = (host: string, signal = new AbortController().signal) => ({ user: 'me', host, port: 22, signal });

describe('SSH prompts (AuthAsk contract: a question nobody answers is undefined, never a throw)', () => {
  afterEach(() => vi.useRealTimers());

  it('a cancelled password question resolves undefined', async () => {
    const { prompter, ask, question } = setup();
    const answer = ask.secret(login('a'), 'password', 'Password for me@a:22');
    prompter.answer({ promptId: await question(1), accept: false });
    await expect(answer).resolves.toBeUndefined();
  });

  it('an expired question resolves undefined', async () => {
    vi.useFakeTimers();
    const { ask } = setup();
    const answer = ask.secret(login('a'), 'keyboard-interactive', 'me@a:22 asks: Code:');
    vi.advanceTimersByTime(5 * 60_000);
    await expect(answer).resolves.toBeUndefined();
  });

  it('a question whose attempt ended is withdrawn: closed for the UI, and undefined', async () => {
    const { closed, prompter, ask, question } = setup();
    const attempt = new AbortController();
    const answer = ask.secret(login('a', attempt.signal), 'password', 'Password for me@a:22');
    const id = await question(1);
    attempt.abort();
    await expect(answer).resolves.toBeUndefined();
    expect(closed).toEqual([id]);
    expect(prompter.list()).toEqual([]);
  });

  it('a password typed for one login is reused for that login only', async () => {
    const { prompter, ask, question } = setup();
    const first = ask.secret(login('hop'), 'password', 'Password for me@hop:22');
    prompter.answer({ promptId: await question(1), accept: true, value: 'hop-pw' });
    expect(await first).toBe('hop-pw');
    expect(await ask.secret(login('hop'), 'password', 'again')).toBe('hop-pw');
    const target = ask.secret(login('target'), 'password', 'Password for me@target:22');
    prompter.answer({ promptId: await question(2), accept: true, value: 'target-pw' });
    expect(await target).toBe('target-pw');
  });
});
