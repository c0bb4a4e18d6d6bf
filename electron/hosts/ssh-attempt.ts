import { Client, type ConnectConfig } from 'ssh2';
import type { Duplex } from 'node:stream';
import { AppError } from '../../shared/errors';
import type { SshAuth } from '../../shared/model/host';
import { ConnectAnswers, loginLabel, makeAuthHandler, type AskScope, type AuthAsk, type SshLogin } from './ssh-auth';
import { HandshakeClock } from './ssh/handshake-clock';
import { preferKnownHostKeys } from './ssh/host-key-algorithms';
import { KnownHostsFile, fingerprintSha256, hostPattern, keyTypeOf } from './ssh/known-hosts';

export interface SshEndpoint extends SshLogin {
  auth: SshAuth;
  keyFiles: string[];
}

export interface SshAsk extends AuthAsk {
  /** Unknown host key: true when the person trusts it; false on refusal, expiry or withdrawal. */
  hostKey(scope: AskScope, keyType: string, fingerprint: string): Promise<boolean>;
  /** The server refused the password used for this login: forget it wherever it was kept. */
  forgetPassword(login: SshLogin): Promise<void>;
}

export interface AttemptOptions {
  knownHostsPath: string;
  homeDir: string;
  ask: SshAsk;
  /** Aborted when the whole connect operation is called off (disconnect while connecting). */
  signal?: AbortSignal;
}

export type AttemptResult =
  | { ok: true; client: Client }
  /** `retry`: sshd dropped us while a person was answering; the answer is in ConnectAnswers. */
  | { ok: false; error: AppError; retry: boolean };

/** Time the server may take to complete the handshake, prompts not counted. */
const HANDSHAKE_MS = 20_000;
const KEEPALIVE_MS = 15_000;

/**
 * One try at opening one SSH connection. It owns the prompts it opens: they are withdrawn when
 * it ends, its handshake clock stops while they are open, and once it has failed it neither
 * writes known_hosts nor answers ssh2. Lifecycle: construct, `run()` once.
 */
export class SshAttempt {
  private readonly client = new Client();
  /** Aborts the prompts this attempt opened. */
  private readonly prompts = new AbortController();
  private readonly clock = new HandshakeClock(HANDSHAKE_MS, () =>
    this.end({ ok: false, retry: false, error: new AppError('timeout', `${hostLabel(this.ep)} did not complete the SSH handshake in time.`) }),
  );
  private openPrompts = 0;
  private promptsClosed: Array<() => void> = [];
  /** The specific reason (changed key, refused key, auth cancelled) beats ssh2's generic text. */
  private reason: AppError | undefined;
  private failed = false;
  private ended = false;
  private resolve!: (r: AttemptResult) => void;

  constructor(
    private readonly ep: SshEndpoint,
    private readonly opts: AttemptOptions,
    private readonly answers: ConnectAnswers,
    private readonly sock?: Duplex,
  ) {}

  async run(): Promise<AttemptResult> {
    const known = new KnownHostsFile(this.opts.knownHostsPath);
    const algorithms = preferKnownHostKeys(await known.keyTypes(this.ep.host, this.ep.port));
    const scope: AskScope = { user: this.ep.user, host: this.ep.host, port: this.ep.port, signal: this.prompts.signal };
    const ask: AuthAsk = { secret: (s, ...rest) => this.prompting(() => this.opts.ask.secret(s, ...rest)) };
    const auth = makeAuthHandler({ user: this.ep.user, auth: this.ep.auth, keyFiles: this.ep.keyFiles, homeDir: this.opts.homeDir }, { ask, scope, answers: this.answers }, (e) => (this.reason ??= e));
    const config: ConnectConfig = {
      host: this.ep.host,
      port: this.ep.port,
      username: this.ep.user,
      readyTimeout: 0, // off: the HandshakeClock replaces it
      keepaliveInterval: KEEPALIVE_MS,
      keepaliveCountMax: 3,
      tryKeyboard: this.ep.auth === 'password',
      ...(algorithms ? { algorithms: { serverHostKey: algorithms } } : {}),
      // A failed attempt's late answer goes nowhere: ssh2 is not asked to continue.
      authHandler: (left, partial, cb) => auth(left, partial, (m) => (this.live ? cb(m) : undefined)),
      hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
        this.verifyHostKey(known, key, scope).then(
          () => this.live && verify(true),
          (e: unknown) => {
            this.reason ??= AppError.from(e);
            if (this.live) verify(false);
          },
        );
      },
    };
    if (this.sock) config.sock = this.sock;
    return new Promise<AttemptResult>((resolve) => {
      this.resolve = resolve;
      if (this.opts.signal?.aborted) return this.end({ ok: false, retry: false, error: cancelledError(this.ep) });
      this.opts.signal?.addEventListener('abort', this.onAbort, { once: true });
      // Listeners stay for the client's life: ssh2 may emit more than one error or close.
      this.client.on('error', (err: Error & { level?: string }) => this.onFailure(sshError(err, this.ep)));
      this.client.on('close', () => this.onFailure(new AppError('disconnected', `${hostLabel(this.ep)} closed the connection during the SSH handshake.`)));
      this.client.once('ready', () => this.end({ ok: true, client: this.client }));
      this.clock.start();
      this.client.connect(config);
    });
  }

  private get live(): boolean {
    return !this.failed && !this.ended;
  }

  private readonly onAbort = () => this.end({ ok: false, retry: false, error: cancelledError(this.ep) });

  private onFailure(fallback: AppError): void {
    if (!this.live) return;
    this.failed = true;
    this.clock.stop();
    if (this.openPrompts === 0 || this.reason) return this.end({ ok: false, retry: false, error: this.reason ?? fallback });
    // sshd gave up (LoginGraceTime) while a person is still answering: keep the question, and
    // once answered try again with the answer instead of asking twice.
    this.promptsClosed.push(() => this.end({ ok: false, retry: !this.reason, error: this.reason ?? fallback }));
  }

  private end(r: AttemptResult): void {
    if (this.ended) return;
    this.ended = true;
    this.clock.stop();
    this.opts.signal?.removeEventListener('abort', this.onAbort);
    this.prompts.abort();
    // After success the listeners from run() stay as no-ops: later errors surface as 'close',
    // which the owner handles.
    if (!r.ok) this.client.end();
    this.resolve(r);
  }

  /** Runs one question to a person; the handshake clock stands still meanwhile. */
  private async prompting<T>(question: () => Promise<T>): Promise<T> {
    this.openPrompts++;
    this.clock.pause();
    try {
      return await question();
    } finally {
      this.openPrompts--;
      this.clock.resume();
      // After the asker's own continuation has run (it records the answer, or the refusal as
      // this.reason), unless another question followed at once.
      if (this.openPrompts === 0)
        setImmediate(() => {
          if (this.openPrompts === 0) for (const f of this.promptsClosed.splice(0)) f();
        });
    }
  }

  private async verifyHostKey(known: KnownHostsFile, key: Buffer, scope: AskScope): Promise<void> {
    const ep = this.ep;
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
            `This could be an attack, or the host was reinstalled. Virtdeck refuses to connect; if the change is expected, remove the old key with \`ssh-keygen -R '${hostPattern(ep.host, ep.port)}'\` and connect again.`,
        );
      case 'revoked':
        throw new AppError('host_key_changed', `The host key of ${hostLabel(ep)} (${fingerprint}) is marked @revoked in known_hosts.`);
      case 'unknown': {
        // Known under another key type, yet that type was not offered although we asked for it
        // first: OpenSSH treats this as a changed key, and so do we.
        if (result.otherTypes.length > 0)
          throw new AppError(
            'host_key_changed',
            `${hostLabel(ep)} is known by its ${result.otherTypes.join(', ')} host key, but now offers only a ${keyType} key (${fingerprint}) that known_hosts does not have. ` +
              `Virtdeck does not trust a new key type for a known host on sight. If the host's keys were deliberately replaced, remove its old entries with \`ssh-keygen -R '${hostPattern(ep.host, ep.port)}'\` and connect again to be asked about the new key.`,
          );
        if (!this.answers.hostKeyAccepted(ep.host, ep.port, key)) {
          const ok = await this.prompting(() => this.opts.ask.hostKey(scope, keyType, fingerprint));
          if (!ok) throw new AppError('host_key_unknown_rejected', `The host key of ${hostLabel(ep)} (${fingerprint}) was not accepted.`);
          this.answers.acceptHostKey(ep.host, ep.port, key);
        }
        // A failed attempt records nothing; a repeated attempt of this operation will.
        if (this.live) await known.append(ep.host, ep.port, key);
      }
    }
  }
}

export function hostLabel(ep: SshEndpoint): string {
  return ep.port === 22 ? ep.host : `[${ep.host}]:${ep.port}`;
}

function cancelledError(ep: SshEndpoint): AppError {
  return new AppError('cancelled', `Connecting to ${loginLabel(ep)} was called off.`);
}

function sshError(err: Error & { level?: string }, ep: SshEndpoint): AppError {
  if (err.level === 'client-authentication') return new AppError('ssh_auth', `Authentication to ${loginLabel(ep)} failed (${err.message}).`);
  if (err.level === 'client-timeout') return new AppError('timeout', `${hostLabel(ep)} did not complete the SSH handshake in time.`);
  return new AppError('disconnected', `Cannot reach ${hostLabel(ep)}: ${err.message}`);
}
