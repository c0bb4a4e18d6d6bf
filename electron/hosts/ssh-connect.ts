import type { Client } from 'ssh2';
import type { Duplex } from 'node:stream';
import { AppError } from '../../shared/errors';
import { ConnectAnswers } from './ssh-auth';
import { SshAttempt, type AttemptOptions, type SshEndpoint } from './ssh-attempt';

export type { SshAsk, SshEndpoint } from './ssh-attempt';

export interface SshOpenOptions extends AttemptOptions {
  target: SshEndpoint;
  jump?: SshEndpoint;
}

/** An open SSH connection (and the jump connection under it, if any). */
export interface SshLink {
  client: Client;
  close(): void;
}

/** Attempts per endpoint when sshd keeps dropping us while a person answers (each answer is reused). */
const MAX_ATTEMPTS = 3;

/**
 * Opens the host's one SSH connection, through one ProxyJump hop when configured. Everything a
 * person answers is kept for this one call only (ConnectAnswers), so a repeated attempt asks
 * nobody again.
 */
export async function openSsh(opts: SshOpenOptions): Promise<SshLink> {
  const answers = new ConnectAnswers();
  if (!opts.jump) {
    const client = await connectEndpoint(opts.target, opts, answers);
    return { client, close: () => client.end() };
  }
  const jumpEp = opts.jump;
  const jump = await connectEndpoint(jumpEp, opts, answers);
  try {
    const forward = () =>
      new Promise<Duplex>((resolve, reject) =>
        jump.forwardOut('127.0.0.1', 0, opts.target.host, opts.target.port, (err, stream) =>
          err ? reject(new AppError('disconnected', `ProxyJump via ${jumpEp.host} failed: ${err.message}`)) : resolve(stream),
        ),
      );
    const client = await connectEndpoint(opts.target, opts, answers, forward);
    client.once('close', () => jump.end());
    jump.once('close', () => client.end());
    return {
      client,
      close: () => {
        client.end();
        jump.end();
      },
    };
  } catch (e) {
    jump.end();
    throw e instanceof AppError ? e : new AppError('disconnected', `ProxyJump via ${jumpEp.host} failed: ${(e as Error).message}`);
  }
}

async function connectEndpoint(ep: SshEndpoint, opts: AttemptOptions, answers: ConnectAnswers, sock?: () => Promise<Duplex>): Promise<Client> {
  for (let n = 1; ; n++) {
    const result = await new SshAttempt(ep, opts, answers, sock ? await sock() : undefined).run();
    if (result.ok) return result.client;
    if (result.retry && n < MAX_ATTEMPTS && !opts.signal?.aborted) continue;
    if (result.error.code === 'ssh_auth' && answers.password(ep) !== undefined) {
      // A password the server refused must not be offered again silently, here or later.
      answers.forgetPassword(ep);
      await opts.ask.forgetPassword(ep);
    }
    throw result.error;
  }
}
