import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { utils, type AnyAuthMethod, type AuthHandlerMiddleware } from 'ssh2';
import { AppError } from '../../shared/errors';
import type { SshAuth } from '../../shared/model/host';

/** One SSH login: the account on one server. Secrets and answers are kept per login. */
export interface SshLogin {
  user: string;
  host: string;
  port: number;
}

/** `user@host:port` (IPv6 in brackets): how every prompt and message names a login. */
export function loginLabel(l: SshLogin): string {
  const host = l.host.includes(':') && !l.host.startsWith('[') ? `[${l.host}]` : l.host;
  return `${l.user}@${host}:${l.port}`;
}

/** Who a question is about, and the connection attempt that asks it. */
export interface AskScope extends SshLogin {
  /** Aborted when the attempt that asked has ended: the question is withdrawn. */
  signal: AbortSignal;
}

/** How the auth layer reaches a person (prompt) and the secret store. */
export interface AuthAsk {
  /**
   * The answer, or undefined when the person cancels, the question expires or it is withdrawn
   * (scope.signal). Those are answers, not failures: this does not reject for them.
   */
  secret(scope: AskScope, purpose: 'password' | 'passphrase' | 'keyboard-interactive', message: string, echo?: boolean): Promise<string | undefined>;
}

/**
 * What a person answered during one connect operation (memory only, dropped when it ends), so
 * an attempt repeated because sshd gave up waiting (LoginGraceTime) asks nobody again.
 */
export class ConnectAnswers {
  private readonly passwords = new Map<string, string>();
  private readonly passphrases = new Map<string, string>();
  private readonly hostKeys = new Set<string>();

  password(l: SshLogin): string | undefined {
    return this.passwords.get(loginLabel(l));
  }
  setPassword(l: SshLogin, value: string): void {
    this.passwords.set(loginLabel(l), value);
  }
  forgetPassword(l: SshLogin): void {
    this.passwords.delete(loginLabel(l));
  }
  passphrase(file: string): string | undefined {
    return this.passphrases.get(file);
  }
  setPassphrase(file: string, value: string): void {
    this.passphrases.set(file, value);
  }
  /** A host key the person accepted for host:port during this operation. */
  hostKeyAccepted(host: string, port: number, key: Buffer): boolean {
    return this.hostKeys.has(`${host}|${port}|${key.toString('base64')}`);
  }
  acceptHostKey(host: string, port: number, key: Buffer): void {
    this.hostKeys.add(`${host}|${port}|${key.toString('base64')}`);
  }
}

export interface AuthPlan {
  user: string;
  auth: SshAuth;
  /** Explicit key file from the dialog, then IdentityFile entries from ~/.ssh/config. */
  keyFiles: string[];
  homeDir: string;
}

const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

interface StepContext {
  ask: AuthAsk;
  scope: AskScope;
  answers: ConnectAnswers;
}

/**
 * Builds ssh2's authHandler: agent, then key files (asking for a passphrase when a key is
 * encrypted), or password and keyboard-interactive — in the order OpenSSH users expect.
 * Methods are produced lazily so nobody is asked for a passphrase the agent made unneeded.
 * A cancelled prompt or a failing step ends authentication with that reason (`onError`).
 */
export function makeAuthHandler(plan: AuthPlan, ctx: StepContext, onError: (e: AppError) => void): AuthHandlerMiddleware {
  const steps = planSteps(plan);
  let i = 0;
  let stopped = false;
  const stop = (e: unknown) => {
    stopped = true;
    onError(AppError.from(e));
  };
  const next: AuthHandlerMiddleware = (_left, _partial, cb) => {
    const step = steps[i++];
    if (!step || stopped) return cb(false as never);
    step(plan.user, ctx, stop).then(
      (method) => (method ? cb(method) : next(_left, _partial, cb)),
      (e: unknown) => {
        stop(e);
        cb(false as never);
      },
    );
  };
  return next;
}

type Step = (user: string, ctx: StepContext, stop: (e: unknown) => void) => Promise<AnyAuthMethod | undefined>;

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
  return async (user, { ask, scope, answers }) => {
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
    const earlier = answers.passphrase(file);
    if (earlier !== undefined) return { type: 'publickey', username: user, key: data, passphrase: earlier };
    for (let attempt = 0; attempt < 3; attempt++) {
      const what = `passphrase for ${file} (to log in to ${loginLabel(scope)})`;
      const pass = await ask.secret(scope, 'passphrase', attempt === 0 ? `The ${what}` : `Wrong passphrase. The ${what}`);
      // Like ssh: a key whose passphrase nobody gives is skipped, and the next method tried.
      if (pass === undefined) return undefined;
      if (!(utils.parseKey(data, pass) instanceof Error)) {
        answers.setPassphrase(file, pass);
        return { type: 'publickey', username: user, key: data, passphrase: pass };
      }
    }
    throw new AppError('ssh_auth', `Wrong passphrase for ${file} (3 attempts).`);
  };
}

const passwordStep: Step = async (user, { ask, scope, answers }) => {
  const value = answers.password(scope) ?? (await ask.secret(scope, 'password', `Password for ${loginLabel(scope)}`));
  if (value === undefined) throw cancelled(scope);
  answers.setPassword(scope, value);
  return { type: 'password', username: user, password: value };
};

/** sshd set to KbdInteractiveAuthentication answers password prompts this way. */
const keyboardStep: Step = async (user, { ask, scope, answers }, stop) => ({
  type: 'keyboard-interactive',
  username: user,
  prompt: (_name, _instructions, _lang, prompts, finish) => {
    const collect = async () => {
      const out: string[] = [];
      for (const p of prompts) {
        const isPassword = /password/i.test(p.prompt);
        const value = (isPassword ? answers.password(scope) : undefined) ?? (await ask.secret(scope, 'keyboard-interactive', `${loginLabel(scope)} asks: ${p.prompt.trim()}`, p.echo));
        if (value === undefined) throw cancelled(scope);
        if (isPassword) answers.setPassword(scope, value);
        out.push(value);
      }
      return out;
    };
    // ssh2 waits for `finish` forever: it is called on every path, with empty answers after a
    // failure (and authentication then ends with that failure as its reason).
    collect()
      .catch((e: unknown) => {
        stop(e);
        return prompts.map(() => '');
      })
      .then(finish)
      .catch((e: unknown) => stop(e));
  },
});

function cancelled(scope: SshLogin): AppError {
  return new AppError('cancelled', `Logging in to ${loginLabel(scope)} was cancelled.`);
}
