/** A real Backend (no Electron) in a throwaway home, with helpers to answer its prompts. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { EventName, EventPayload, RequestArgs, RequestName, RequestResult } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { Prompt } from '../../shared/model/prompt';
import { MemorySecretStore, type FileDialogs, type SecretStore } from '../../electron/core/adapters';
import { Backend, type BackendOptions } from '../../electron/core/backend';
import { sshUri, tempHome, type TestHost } from './test-host';

const execFileAsync = promisify(execFile);

export interface Harness {
  backend: Backend;
  home: string;
  call<K extends RequestName>(name: K, args: RequestArgs<K>): Promise<RequestResult<K>>;
  /** Resolves with the next event of that name that satisfies `match`. */
  next<K extends EventName>(name: K, match?: (p: EventPayload<K>) => boolean, timeoutMs?: number): Promise<EventPayload<K>>;
  /** Answers every prompt with this function from now on. */
  answerPrompts(fn: (p: Prompt) => { accept: boolean; value?: string }): void;
  prompts: Prompt[];
  /**
   * Desktop harness only: the user picks `path` in the native Open / Save dialog; resolves with
   * the handle the backend gives the page for it (what upload / download then take).
   */
  chooseFile(mode: 'open' | 'save', path: string): Promise<string>;
  close(): void;
}

/**
 * `secrets`: e.g. a persistent store, to test what the desktop app remembers. `mode` 'desktop'
 * gives the backend native file dialogs that answer with the path `chooseFile` names.
 * `backend`: e.g. a short ticket TTL.
 */
export async function startHarness(opts: { secrets?: SecretStore; mode?: 'web' | 'desktop'; backend?: BackendOptions } = {}): Promise<Harness> {
  const home = tempHome();
  let chosen: string | null = null;
  const dialogs: FileDialogs = { openFile: async () => chosen, saveFile: async () => chosen };
  const backend = new Backend(
    {
      mode: opts.mode ?? 'web',
      version: 'test',
      homeDir: home.dir,
      configDir: join(home.dir, 'config'),
      dataDir: join(home.dir, 'data'),
      secrets: opts.secrets ?? new MemorySecretStore(),
      ...(opts.mode === 'desktop' ? { fileDialogs: dialogs } : {}),
    },
    opts.backend,
  );
  await backend.init();
  const prompts: Prompt[] = [];
  let answer: ((p: Prompt) => { accept: boolean; value?: string }) | undefined;
  backend.onEvent((name, payload) => {
    if (name !== 'prompts.ask') return;
    const p = payload as Prompt;
    prompts.push(p);
    if (answer) {
      const a = answer(p);
      void backend.handle('prompts.answer', { promptId: p.promptId, ...a });
    }
  });
  const call = async <K extends RequestName>(name: K, args: RequestArgs<K>): Promise<RequestResult<K>> => {
    const env = await backend.handle(name, args);
    if (!env.ok) throw new AppError(env.error.code, env.error.message, env.error.detail);
    return env.result as RequestResult<K>;
  };
  const next = <K extends EventName>(name: K, match: (p: EventPayload<K>) => boolean = () => true, timeoutMs = 30_000) =>
    new Promise<EventPayload<K>>((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`no ${name} event within ${timeoutMs} ms`));
      }, timeoutMs);
      const off = backend.onEvent((n, p) => {
        if ((n as string) === name && match(p as unknown as EventPayload<K>)) {
          clearTimeout(timer);
          off();
          resolve(p as unknown as EventPayload<K>);
        }
      });
    });
  return {
    backend,
    home: home.dir,
    call,
    next,
    prompts,
    answerPrompts: (fn) => (answer = fn),
    chooseFile: async (mode, path) => {
      chosen = path;
      const { file } = await call('app.chooseFile', { mode, title: 'test' });
      if (!file) throw new Error('the file dialog was cancelled');
      return file.handle;
    },
    close: () => {
      backend.shutdown();
      home.cleanup();
    },
  };
}

type ChangeCause = EventPayload<'domains.changed'>['cause'];

/**
 * Runs `virsh ARGS` outside the backend (asynchronously: a blocking call would hold back the
 * event loop that receives the event) and says how many ms after it finished the host's
 * domains.changed arrived (it may arrive before: then ≤ 0) and why. With `only: 'event'` just
 * one from libvirt's event stream counts; otherwise a tick's resync does too, and when that came
 * first the test's output says so.
 */
export async function outsideChange(h: Harness, hostId: string, args: string[], opts: { only?: 'event' } = {}): Promise<{ ms: number; cause: ChangeCause }> {
  let eventAt = 0;
  const evt = h
    .next('domains.changed', (p) => p.hostId === hostId && (!opts.only || p.cause === opts.only), 30_000)
    .then((p) => ((eventAt = Date.now()), p.cause));
  await execFileAsync('virsh', ['-c', 'qemu:///system', ...args]);
  const doneAt = Date.now();
  const cause = await evt;
  if (cause !== 'event') console.log(`virsh ${args.join(' ')}: the change arrived by ${cause}, not by libvirt's event stream`);
  return { ms: eventAt - doneAt, cause };
}

/** Saves the loopback SSH connection (key auth) and connects it; prompts are the caller's. */
export async function connectOverSsh(h: Harness, th: TestHost): Promise<string> {
  const id = (await h.call('hosts.save', { connection: { name: 'ssh', uri: sshUri(th), ssh: { auth: 'key', keyFile: th.SSH_KEY } } })).config.id;
  await h.call('hosts.connect', { hostId: id });
  return id;
}
