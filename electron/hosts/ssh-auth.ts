import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { utils, type AnyAuthMethod, type AuthHandlerMiddleware } from 'ssh2';
import { AppError } from '../../shared/errors';
import type { SshAuth } from '../../shared/model/host';

/** How the auth layer reaches a person (prompt) and the secret store. */
export interface AuthAsk {
  /** Returns undefined when the person cancels. */
  secret(purpose: 'password' | 'passphrase' | 'keyboard-interactive', message: string, echo?: boolean): Promise<string | undefined>;
}

export interface AuthPlan {
  user: string;
  auth: SshAuth;
  /** Explicit key file from the dialog, then IdentityFile entries from ~/.ssh/config. */
  keyFiles: string[];
  homeDir: string;
}

const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

/**
 * Builds ssh2's authHandler: agent, then key files (asking for a passphrase when a key is
 * encrypted), or password and keyboard-interactive — in the order OpenSSH users expect.
 * Methods are produced lazily so nobody is asked for a passphrase the agent made unneeded.
 */
export function makeAuthHandler(plan: AuthPlan, ask: AuthAsk, onError: (e: AppError) => void): AuthHandlerMiddleware {
  const steps = planSteps(plan);
  let i = 0;
  let password: string | undefined;
  const next: AuthHandlerMiddleware = (_left, _partial, cb) => {
    const step = steps[i++];
    if (!step) return cb(false as never);
    step(plan.user, ask, {
      get: () => password,
      set: (p) => (password = p),
    }).then(
      (method) => (method ? cb(method) : next(_left, _partial, cb)),
      (e: unknown) => {
        onError(AppError.from(e));
        cb(false as never);
      },
    );
  };
  return next;
}

type Step = (user: string, ask: AuthAsk, pw: { get(): string | undefined; set(p: string): void }) => Promise<AnyAuthMethod | undefined>;

function planSteps(plan: AuthPlan): Step[] {
  if (plan.auth === 'password') return [passwordStep, keyboardStep];
  const files = plan.keyFiles.length > 0 ? plan.keyFiles : DEFAULT_KEYS.map((k) => join(plan.homeDir, '.ssh', k)).filter((f) => existsSync(f));
  const keySteps = files.map((f) => keyStep(f, plan.auth === 'key'));
  if (plan.auth === 'key') {
    if (files.length === 0) return [async () => Promise.reject(new AppError('ssh_auth', 'No private key file is set for this connection and none of ~/.ssh/id_* exist.'))];
    return keySteps;
  }
  return [agentStep, ...keySteps];
}

const agentStep: Step = async (user) => {
  const agent = process.platform === 'win32' ? 'pageant' : process.env.SSH_AUTH_SOCK;
  return agent ? { type: 'agent', username: user, agent } : undefined;
};

function keyStep(file: string, required: boolean): Step {
  return async (user, ask) => {
    let data: Buffer;
    try {
      data = await readFile(file);
    } catch (e) {
      if (!required) return undefined;
      throw new AppError('ssh_auth', `Cannot read the private key ${file}: ${(e as Error).message}`);
    }
    const plain = utils.parseKey(data);
    if (!(plain instanceof Error)) return { type: 'publickey', username: user, key: data };
    if (!/passphrase/i.test(plain.message)) {
      if (!required) return undefined;
      throw new AppError('ssh_auth', `${file} is not a usable private key: ${plain.message}`);
    }
    for (let attempt = 0; attempt < 3; attempt++) {
      const pass = await ask.secret('passphrase', attempt === 0 ? `Passphrase for ${file}` : `Wrong passphrase. Passphrase for ${file}`);
      if (pass === undefined) return undefined;
      if (!(utils.parseKey(data, pass) instanceof Error)) return { type: 'publickey', username: user, key: data, passphrase: pass };
    }
    throw new AppError('ssh_auth', `Wrong passphrase for ${file} (3 attempts).`);
  };
}

const passwordStep: Step = async (user, ask, pw) => {
  const value = pw.get() ?? (await ask.secret('password', `Password for ${user}`));
  if (value === undefined) return undefined;
  pw.set(value);
  return { type: 'password', username: user, password: value };
};

/** sshd set to KbdInteractiveAuthentication answers password prompts this way. */
const keyboardStep: Step = async (user, ask, pw) => ({
  type: 'keyboard-interactive',
  username: user,
  prompt: (_name, _instructions, _lang, prompts, finish) => {
    void (async () => {
      const answers: string[] = [];
      for (const p of prompts) {
        const known = /password/i.test(p.prompt) ? pw.get() : undefined;
        answers.push(known ?? (await ask.secret('keyboard-interactive', p.prompt.trim(), p.echo)) ?? '');
      }
      finish(answers);
    })();
  },
});
