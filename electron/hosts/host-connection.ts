import { connect as netConnect, createServer } from 'node:net';
import type { Duplex } from 'node:stream';
import type { AcceptConnection, RejectConnection, UNIXConnectionDetails } from 'ssh2';
import { join } from 'node:path';
import { AppError } from '../../shared/errors';
import type { ConnectionConfig, HostStatus } from '../../shared/model/host';
import type { ActivityLog } from '../core/activity-log';
import { parseObjectEventLine, type ObjectEvent, type VirshEvent } from '../virsh/parse';
import { libvirtUnreachable } from '../virsh/virsh-error';
import { CommandRunner, type CommandOptions, type CommandResult } from './command-runner';
import { EventStream } from './event-stream';
import { LocalTransport } from './transport/local-transport';
import { connectionTag, leftoverCleanupArgv } from './transport/connection-bound';
import { SshTransport } from './transport/ssh-transport';
import type { ProcessHandle, PtyOptions, Transport } from './transport/transport';
import { openSsh, type SshAsk, type SshLink } from './ssh-connect';
import { resolveEndpoints } from './ssh-endpoints';
import { parseLibvirtUri } from './ssh/libvirt-uri';

export { virshArgv } from './command-runner';
export type { CommandOptions, CommandResult } from './command-runner';

export interface HostDeps {
  homeDir: string;
  /** This app instance (persisted in its config dir): tags what its connections start on a host. */
  instanceId: string;
  activity: ActivityLog;
  ask: SshAsk;
  onStatus(status: HostStatus): void;
  /** Something changed on the host: `events` from the event stream, or [] for "refetch everything". */
  onDomainsChanged(events: VirshEvent[], cause: 'event' | 'resync'): void;
  /** Pools or networks changed: events from `pool-event`/`net-event`, or [] for "refetch everything". */
  onObjectsChanged?(kind: ObjectEvent['kind'], events: ObjectEvent[]): void;
}

/**
 * The host's event watchers, each a `virsh … --loop` on its own process/channel of the same SSH
 * connection. pool-event and net-event take one --event type each (no --all): lifecycle covers
 * define/start/stop/build/delete/undefine. Pool 'refresh' events (pool-refresh, finished uploads)
 * are left out to spare a channel: Virtdeck's own refreshes and uploads invalidate already.
 */
const OBJECT_WATCHERS: ReadonlyArray<{ kind: ObjectEvent['kind']; argv: string[] }> = [
  { kind: 'pool', argv: ['pool-event', '--event', 'lifecycle', '--loop'] },
  { kind: 'network', argv: ['net-event', '--event', 'lifecycle', '--loop'] },
];

/**
 * Waits between reconnect attempts after a drop. Capped at 3 s so that a host is connected again
 * within ~5 s of coming back, however long it was away (a refused or timed-out TCP connect costs
 * the host next to nothing; an unreachable one spaces the attempts by its connect timeout anyway).
 */
const BACKOFF_MS = [1000, 2000, 3000];
/**
 * How often a host whose libvirtd stopped answering (restarted, stopped) is asked again: one
 * `virsh hostname` on the connection's own session (which reconnects to libvirtd by itself), so
 * a restarted daemon shows as connected within about this time.
 */
const LIBVIRT_PROBE_MS = 1000;

/** One connect attempt's generation: a newer attempt or a disconnect makes it stale. */
class StaleAttempt extends AppError {
  constructor() {
    super('cancelled', 'the connection attempt was superseded (disconnected or reconnected meanwhile)');
  }
}

/**
 * One host: its transport (child processes or one SSH connection), its command runner (with the
 * long-lived virsh session), its event watchers, and reconnection after a drop. Commands in
 * flight when the connection drops fail with 'disconnected'; the host then reconnects by itself.
 *
 * Each attempt (connect or reconnect) has a generation. A disconnect, or a newer attempt, makes
 * an attempt in flight stale: whatever it opened is closed as soon as it notices, and it never
 * installs itself or changes the status.
 */
export class HostConnection {
  status: HostStatus = { state: 'disconnected' };
  readonly uri: ReturnType<typeof parseLibvirtUri>;
  private transport?: Transport;
  private link?: SshLink;
  private runner?: CommandRunner;
  private events: Array<EventStream<unknown>> = [];
  private wanted = false;
  private retry?: NodeJS.Timeout;
  private connecting?: Promise<HostStatus>;
  private generation = 0;
  /** Calls off the SSH connect in progress (and withdraws its prompts) on disconnect. */
  private connectAbort?: AbortController;
  /** Spawns waiting for a free SSH channel right now. */
  private channelWaits = 0;

  constructor(
    readonly config: ConnectionConfig,
    private readonly deps: HostDeps,
  ) {
    this.uri = parseLibvirtUri(config.uri);
  }

  get id(): string {
    return this.config.id;
  }

  /**
   * Where this host's SSH connection goes (after ~/.ssh/config) and the known_hosts file whose
   * key for it Virtdeck verified; undefined for a local host or one reached through a jump host.
   */
  sshTarget(): { host: string; port: number; user: string; knownHostsPath: string } | undefined {
    if (!this.uri.remote) return undefined;
    const { target, jump } = resolveEndpoints(this.config, this.uri, this.deps.homeDir);
    if (jump) return undefined;
    return { host: target.host, port: target.port, user: target.user, knownHostsPath: join(this.deps.homeDir, '.ssh', 'known_hosts') };
  }

  /** The URI virsh is given on the machine where it runs. */
  get virshUri(): string {
    return this.uri.localUri;
  }

  connect(): Promise<HostStatus> {
    if (this.status.state === 'connected') return Promise.resolve(this.status);
    this.wanted = true;
    if (!this.connecting) {
      clearTimeout(this.retry);
      const attempt = this.establish(true).then(
        () => this.setStatus(this.connectedStatus()),
        (e: unknown) => {
          const err = AppError.from(e);
          // A disconnect (or a newer attempt) ended this one: the status is theirs to say.
          if (e instanceof StaleAttempt) throw err;
          this.wanted = false;
          this.setStatus({ state: 'error', message: err.message });
          throw err;
        },
      );
      this.connecting = attempt;
      void attempt.catch(() => {}).finally(() => {
        if (this.connecting === attempt) this.connecting = undefined;
      });
      this.setStatus({ state: 'connecting' });
    }
    return this.connecting;
  }

  disconnect(): HostStatus {
    this.wanted = false;
    clearTimeout(this.retry);
    this.generation++; // an attempt in flight is now stale
    this.connectAbort?.abort();
    this.connecting = undefined;
    this.teardown();
    return this.setStatus({ state: 'disconnected' });
  }

  /**
   * The one door for commands: `run(['virsh', 'list', '--all'])`, `run(['qemu-img', 'info', …])`.
   * The runner picks the session, an exec channel or a stream (see command-runner.ts).
   */
  run(argv: readonly string[], opts: CommandOptions = {}): Promise<CommandResult> {
    const runner = this.runner;
    if (!runner || this.status.state !== 'connected') return Promise.reject(this.notConnected());
    return runner.run(argv, opts).catch((e: unknown) => {
      if (libvirtUnreachable(e)) this.onLibvirtGone(runner, e.message);
      throw e;
    });
  }

  /** A long-lived program on the host (an interactive `virsh console` in a pty, a watcher). */
  open(argv: readonly string[], opts: { pty?: PtyOptions } = {}): Promise<ProcessHandle> {
    const runner = this.runner;
    if (!runner || this.status.state !== 'connected') return Promise.reject(this.notConnected());
    return runner.open(argv, opts);
  }

  /**
   * A byte stream to a TCP port as seen from the host (a VM's VNC display): a direct-tcpip
   * channel on the host's existing SSH connection, or a plain socket locally. No port is
   * opened anywhere. (sshd's MaxSessions does not count these channels.)
   */
  openTcpTunnel(host: string, port: number): Promise<Duplex> {
    return this.openTunnel(
      () => netConnect({ host, port }),
      (client, cb) => client.forwardOut('127.0.0.1', 0, host, port, cb),
      `${host}:${port}`,
    );
  }

  /** Same for a unix socket on the host (`<listen type='socket'/>`); needs sshd's AllowStreamLocalForwarding. */
  openUnixTunnel(path: string): Promise<Duplex> {
    return this.openTunnel(
      () => netConnect({ path }),
      (client, cb) => client.openssh_forwardOutStreamLocal(path, cb),
      path,
    );
  }

  /**
   * A unix socket that listens ON THE HOST and hands each connection to `onConnection`: sshd's
   * streamlocal forwarding on the host's SSH connection (`openssh_forwardInStreamLocal`, needs
   * AllowStreamLocalForwarding), or a socket this process listens on for a local host. The path
   * must not exist (sshd's StreamLocalBindUnlink is off by default). Resolves with `stop`, which
   * stops listening (unforwards); removing the file is the caller's (sshd leaves it behind).
   */
  async listenUnix(path: string, onConnection: (stream: Duplex) => void): Promise<() => Promise<void>> {
    if (this.status.state !== 'connected') throw this.notConnected();
    if (!this.uri.remote) {
      const server = createServer((sock) => onConnection(sock));
      await new Promise<void>((resolve, reject) => {
        server.once('error', (e) => reject(new AppError('internal', `cannot listen on ${path}: ${e.message}`)));
        server.listen(path, resolve);
      });
      return () => new Promise<void>((resolve) => server.close(() => resolve()));
    }
    const link = this.link;
    if (!link) throw this.notConnected();
    const client = link.client;
    const onUnix = (info: UNIXConnectionDetails, accept: AcceptConnection, reject: RejectConnection) => {
      if (info.socketPath !== path) return; // another forwarding's connection (ssh2 emits them all here)
      try {
        onConnection(accept());
      } catch {
        reject();
      }
    };
    client.on('unix connection', onUnix);
    try {
      await new Promise<void>((resolve, reject) =>
        client.openssh_forwardInStreamLocal(path, (err) => (err ? reject(new AppError('unsupported', `${this.config.name} refused to forward ${path}: ${err.message}`)) : resolve())),
      );
    } catch (e) {
      client.off('unix connection', onUnix);
      throw e;
    }
    return () =>
      new Promise<void>((resolve) => {
        client.off('unix connection', onUnix);
        if (this.link !== link) return resolve(); // the connection is gone, and its forwarding with it
        client.openssh_unforwardInStreamLocal(path, () => resolve());
      });
  }

  private async openTunnel(
    local: () => import('node:net').Socket,
    remote: (client: SshLink['client'], cb: (err: Error | undefined, stream: Duplex) => void) => void,
    what: string,
  ): Promise<Duplex> {
    if (this.status.state !== 'connected') throw this.notConnected();
    const link = this.link;
    if (!this.uri.remote) {
      const sock = local();
      await new Promise<void>((resolve, reject) => {
        sock.once('connect', resolve);
        sock.once('error', (e) => reject(new AppError('not_found', `cannot connect to ${what} on this computer: ${e.message}`)));
      });
      sock.setNoDelay(true); // keystrokes and small RFB updates should not wait for Nagle
      return sock;
    }
    if (!link) throw this.notConnected();
    return new Promise<Duplex>((resolve, reject) =>
      remote(link.client, (err, stream) =>
        err ? reject(new AppError('not_found', `${this.config.name} could not open a tunnel to ${what}: ${err.message}`)) : resolve(stream),
      ),
    );
  }

  private notConnected(): AppError {
    return this.status.state === 'reconnecting'
      ? new AppError('disconnected', `${this.config.name} is reconnecting; try again in a moment.`)
      : new AppError('disconnected', `${this.config.name} is not connected.`);
  }

  private connectedStatus(): HostStatus {
    return {
      state: 'connected',
      ...(this.status.hostname ? { hostname: this.status.hostname } : {}),
      ...(this.channelWaits > 0 && this.status.message ? { message: this.status.message } : {}),
    };
  }

  /** Shown on the host while commands queue for an SSH channel, cleared when none waits. */
  private onChannelWait(gen: number, waiting: boolean, message: string): void {
    if (gen !== this.generation) return;
    this.channelWaits += waiting ? 1 : -1;
    if (this.status.state !== 'connected') return;
    const { message: _old, ...rest } = this.status;
    this.setStatus(this.channelWaits > 0 ? { ...rest, message } : rest);
  }

  /**
   * Builds everything of one attempt in locals; installs it only if the attempt is still the
   * current one, and closes it all when it fails or went stale on the way.
   */
  private async establish(interactive: boolean): Promise<void> {
    const gen = ++this.generation;
    this.teardown();
    this.channelWaits = 0;
    const made: { link?: SshLink; transport?: Transport; runner?: CommandRunner; events: Array<EventStream<unknown>> } = { events: [] };
    const check = () => {
      if (gen !== this.generation) throw new StaleAttempt();
    };
    try {
      if (this.uri.remote) {
        const { target, jump } = resolveEndpoints(this.config, this.uri, this.deps.homeDir);
        const ask: SshAsk = interactive
          ? this.deps.ask
          : { ...this.deps.ask, hostKey: async () => false }; // a reconnect never asks to trust a new key
        this.connectAbort?.abort();
        const abort = (this.connectAbort = new AbortController());
        const link = await openSsh({ target, ...(jump ? { jump } : {}), knownHostsPath: join(this.deps.homeDir, '.ssh', 'known_hosts'), homeDir: this.deps.homeDir, ask, signal: abort.signal });
        made.link = link;
        check();
        // ssh2 leaves Nagle on: small writes (keystrokes, VNC update requests) would wait for the
        // peer's delayed ACK (~40 ms) behind earlier data. OpenSSH sets TCP_NODELAY too.
        link.client.setNoDelay(true);
        link.client.once('close', () => this.onDrop(link));
        made.transport = new SshTransport(link.client);
      } else {
        made.transport = new LocalTransport();
      }
      const tag = connectionTag(this.deps.instanceId, this.id);
      const runner = new CommandRunner({
        transport: made.transport,
        hostId: this.id,
        virshUri: this.virshUri,
        testDriver: this.uri.driver === 'test',
        activity: this.deps.activity,
        tag,
        onChannelWait: (waiting, message) => this.onChannelWait(gen, waiting, message),
      });
      made.runner = runner;
      // The first command proves virsh exists and libvirt accepts us (permission errors surface here).
      const name = await runner.run(['virsh', 'hostname'], { timeoutMs: 30_000 });
      check();
      // The test driver's event process would watch its own private copy of the fake host.
      if (this.uri.driver !== 'test') {
        // Watchers an earlier run of this app left on the host (it was killed before it could
        // close their channels) end now; ours start after.
        await runner.run(leftoverCleanupArgv(tag), { allowFailure: true, timeoutMs: 15_000 }).catch(() => undefined);
        check();
        // A watcher exits when its libvirtd goes away: one command tells whether it did (and,
        // through run(), puts the host in 'reconnecting' until the daemon answers again).
        const checkHost = () => void this.run(['virsh', 'hostname'], { timeoutMs: 10_000 }).catch(() => undefined);
        const domains = new EventStream(
          () => runner.open(['virsh', '-q', 'event', '--all', '--loop']),
          (evs) => this.deps.onDomainsChanged(evs, evs.length > 0 ? 'event' : 'resync'),
          undefined,
          checkHost,
        );
        const objects = OBJECT_WATCHERS.map(
          ({ kind, argv }) =>
            new EventStream<ObjectEvent>(() => runner.open(['virsh', '-q', ...argv]), (evs) => this.deps.onObjectsChanged?.(kind, evs), parseObjectEventLine),
        );
        made.events = [domains, ...objects] as Array<EventStream<unknown>>;
        for (const s of made.events) s.start();
      }
      check();
      this.link = made.link;
      this.transport = made.transport;
      this.runner = made.runner;
      this.events = made.events;
      this.status = { ...this.status, hostname: name.stdout.trim() };
    } catch (e) {
      closeAll(made);
      // Whatever failed after a disconnect or a newer attempt (an SSH connect called off…) is stale.
      throw gen !== this.generation ? new StaleAttempt() : e;
    }
  }

  /**
   * A command found no libvirtd behind the session (restarted or stopped; the SSH link, if any,
   * is fine). The host shows 'reconnecting' (its services pause, nothing shows stale states as
   * current) and is probed until libvirtd answers; then it is connected again, its watchers
   * start at once and everything is refetched.
   */
  private onLibvirtGone(runner: CommandRunner, why: string): void {
    if (this.runner !== runner || this.status.state !== 'connected' || !this.wanted) return;
    const { hostname } = this.status;
    const status = (attempt: number, message: string): HostStatus => ({ state: 'reconnecting', message, attempt, ...(hostname ? { hostname } : {}) });
    this.setStatus(status(1, why));
    const probe = (attempt: number) => {
      clearTimeout(this.retry);
      this.retry = setTimeout(() => {
        if (this.runner !== runner || !this.wanted) return; // dropped, disconnected or reconnected meanwhile
        runner.run(['virsh', 'hostname'], { timeoutMs: 10_000 }).then(
          () => {
            if (this.runner !== runner || this.status.state !== 'reconnecting') return;
            for (const s of this.events) s.kick();
            this.setStatus(this.connectedStatus());
            this.deps.onDomainsChanged([], 'resync');
            this.deps.onObjectsChanged?.('pool', []);
            this.deps.onObjectsChanged?.('network', []);
          },
          (e: unknown) => {
            if (this.runner !== runner || this.status.state !== 'reconnecting') return;
            this.setStatus(status(attempt + 1, AppError.from(e).message));
            probe(attempt + 1);
          },
        );
      }, LIBVIRT_PROBE_MS);
    };
    probe(1);
  }

  private onDrop(link: SshLink): void {
    if (this.link !== link || !this.wanted) return;
    this.teardown();
    this.scheduleReconnect(0, 'The SSH connection dropped');
  }

  private scheduleReconnect(attempt: number, why: string): void {
    this.setStatus({ state: 'reconnecting', message: why, attempt: attempt + 1 });
    const delay = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)]!;
    clearTimeout(this.retry);
    this.retry = setTimeout(() => {
      if (!this.wanted) return;
      this.establish(false).then(
        () => {
          this.setStatus(this.connectedStatus());
          // Anything may have changed while we were away.
          this.deps.onDomainsChanged([], 'resync');
          this.deps.onObjectsChanged?.('pool', []);
          this.deps.onObjectsChanged?.('network', []);
        },
        (e: unknown) => {
          if (e instanceof StaleAttempt) return;
          const err = AppError.from(e);
          // A changed host key or failed auth will not fix itself: stop and say so.
          if (err.code === 'host_key_changed' || err.code === 'ssh_auth' || err.code === 'host_key_unknown_rejected' || err.code === 'cancelled') {
            this.wanted = false;
            this.setStatus({ state: 'error', message: err.message });
          } else if (this.wanted) this.scheduleReconnect(attempt + 1, err.message);
        },
      );
    }, delay);
  }

  private teardown(): void {
    closeAll({ events: this.events, runner: this.runner, transport: this.transport, link: this.link });
    this.events = [];
    this.runner = undefined;
    this.transport = undefined;
    this.link = undefined;
  }

  private setStatus(s: HostStatus): HostStatus {
    this.status = s;
    this.deps.onStatus(s);
    return s;
  }
}

function closeAll(r: { link?: SshLink | undefined; transport?: Transport | undefined; runner?: CommandRunner | undefined; events: Array<EventStream<unknown>> }): void {
  for (const s of r.events) s.stop();
  r.runner?.close();
  r.transport?.close();
  r.link?.close();
}
