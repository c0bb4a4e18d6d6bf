import { Client, type ConnectConfig } from 'ssh2';
import type { Duplex } from 'node:stream';
import { AppError } from '../../shared/errors';
import type { SshAuth } from '../../shared/model/host';
import { makeAuthHandler, type AuthAsk } from './ssh-auth';
import { KnownHostsFile, fingerprintSha256, keyTypeOf } from './ssh/known-hosts';

export interface SshEndpoint {
  host: string;
  port: number;
  user: string;
  auth: SshAuth;
  keyFiles: string[];
}

export interface SshAsk extends AuthAsk {
  /** Unknown host key: true when the person trusts it. */
  hostKey(host: string, port: number, keyType: string, fingerprint: string): Promise<boolean>;
}

export interface SshOpenOptions {
  target: SshEndpoint;
  jump?: SshEndpoint;
  knownHostsPath: string;
  homeDir: string;
  ask: SshAsk;
}

/** An open SSH connection (and the jump connection under it, if any). */
export interface SshLink {
  client: Client;
  close(): void;
}

const KEEPALIVE_MS = 15_000;

/** Opens the host's one SSH connection, through one ProxyJump hop when configured. */
export async function openSsh(opts: SshOpenOptions): Promise<SshLink> {
  if (!opts.jump) {
    const client = await connectClient(opts.target, opts);
    return { client, close: () => client.end() };
  }
  const jump = await connectClient(opts.jump, opts);
  try {
    const sock = await new Promise<Duplex>((resolve, reject) =>
      jump.forwardOut('127.0.0.1', 0, opts.target.host, opts.target.port, (err, stream) => (err ? reject(err) : resolve(stream))),
    );
    const client = await connectClient(opts.target, opts, sock);
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
    throw e instanceof AppError ? e : new AppError('disconnected', `ProxyJump via ${opts.jump.host} failed: ${(e as Error).message}`);
  }
}

function connectClient(ep: SshEndpoint, opts: SshOpenOptions, sock?: Duplex): Promise<Client> {
  const known = new KnownHostsFile(opts.knownHostsPath);
  const client = new Client();
  // The specific reason (changed key, refused key, auth cancelled) beats ssh2's generic text.
  let reason: AppError | undefined;
  const config: ConnectConfig = {
    host: ep.host,
    port: ep.port,
    username: ep.user,
    readyTimeout: 20_000,
    keepaliveInterval: KEEPALIVE_MS,
    keepaliveCountMax: 3,
    tryKeyboard: ep.auth === 'password',
    authHandler: makeAuthHandler({ user: ep.user, auth: ep.auth, keyFiles: ep.keyFiles, homeDir: opts.homeDir }, opts.ask, (e) => (reason = e)),
    hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
      verifyHostKey(known, ep, key, opts.ask).then(
        () => verify(true),
        (e: unknown) => {
          reason = AppError.from(e);
          verify(false);
        },
      );
    },
  };
  if (sock) config.sock = sock;
  return new Promise<Client>((resolve, reject) => {
    const onError = (err: Error & { level?: string }) => {
      client.removeListener('ready', onReady);
      client.end();
      reject(reason ?? sshError(err, ep));
    };
    const onReady = () => {
      client.removeListener('error', onError);
      client.on('error', () => {}); // later errors surface as 'close', handled by the owner
      resolve(client);
    };
    client.once('ready', onReady);
    client.once('error', onError);
    client.connect(config);
  });
}

async function verifyHostKey(known: KnownHostsFile, ep: SshEndpoint, key: Buffer, ask: SshAsk): Promise<void> {
  const keyType = keyTypeOf(key);
  const fingerprint = fingerprintSha256(key);
  const result = await known.check(ep.host, ep.port, key);
  switch (result.status) {
    case 'known':
      return;
    case 'changed':
      throw new AppError(
        'host_key_changed',
        `The host key of ${hostLabel(ep)} has CHANGED (now ${keyType} ${fingerprint}; known_hosts line ${result.line}). ` +
          'This could be an attack, or the host was reinstalled. Virtdeck refuses to connect; if the change is expected, remove the old key with `ssh-keygen -R` and connect again.',
      );
    case 'revoked':
      throw new AppError('host_key_changed', `The host key of ${hostLabel(ep)} (${fingerprint}) is marked @revoked in known_hosts.`);
    case 'unknown': {
      const ok = await ask.hostKey(ep.host, ep.port, keyType, fingerprint);
      if (!ok) throw new AppError('host_key_unknown_rejected', `The host key of ${hostLabel(ep)} (${fingerprint}) was not accepted.`);
      await known.append(ep.host, ep.port, key);
    }
  }
}

function hostLabel(ep: SshEndpoint): string {
  return ep.port === 22 ? ep.host : `[${ep.host}]:${ep.port}`;
}

function sshError(err: Error & { level?: string }, ep: SshEndpoint): AppError {
  if (err.level === 'client-authentication')
    return new AppError('ssh_auth', `Authentication to ${ep.user}@${hostLabel(ep)} failed (${err.message}).`);
  if (err.level === 'client-timeout') return new AppError('timeout', `${hostLabel(ep)} did not complete the SSH handshake in time.`);
  return new AppError('disconnected', `Cannot reach ${hostLabel(ep)}: ${err.message}`);
}
