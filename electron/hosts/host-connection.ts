import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect as netConnect } from 'node:net';
import type { Duplex } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../shared/errors';
import type { ConnectionConfig, HostStatus } from '../../shared/model/host';
import type { ActivityLog } from '../core/activity-log';
import { VirshSession, type VirshOutput } from '../virsh/session';
import { virshFailure } from '../virsh/virsh-error';
import { parseObjectEventLine, type ObjectEvent, type VirshEvent } from '../virsh/parse';
import { EventStream } from './event-stream';
import { LocalTransport } from './transport/local-transport';
import { runToEnd, type RunResult } from './transport/run-to-end';
import { runStreaming, withLocalPipes, type StreamOptions } from './stream-exec';
import { SshTransport } from './transport/ssh-transport';
import type { ProcessHandle, PtyOptions, Transport } from './transport/transport';
import { openSsh, type SshAsk, type SshLink } from './ssh-connect';
import { resolveEndpoints } from './ssh-endpoints';
import { parseLibvirtUri } from './ssh/libvirt-uri';


/** How long a command may take on a test:/// host, whose fake VMs answer at once. */
const TEST_DRIVER_TIMEOUT_MS = 15_000;
export interface HostDeps {
  homeDir: string;
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

const BACKOFF_MS = [1000, 2000, 4000, 8000, 15000, 30000];

/**
 * How virsh is started on the host: untranslated messages (the parsers read them) and no user
 * readline bindings (they would change how the session's input lines are read).
 */
export function virshArgv(uri: string, ...rest: string[]): string[] {
  return ['env', 'LC_ALL=C.UTF-8', 'INPUTRC=/dev/null', 'virsh', '-c', uri, ...rest];
}

/**
 * One host: its transport (child processes or one SSH connection), its long-lived virsh
 * session, its event stream, and reconnection after a drop. Commands in flight when the
 * connection drops fail with 'disconnected'; the host then reconnects by itself.
 */
export class HostConnection {
  status: HostStatus = { state: 'disconnected' };
  readonly uri: ReturnType<typeof parseLibvirtUri>;
  private transport?: Transport;
  private link?: SshLink;
  private session?: VirshSession;
  private events: Array<{ stop(): void }> = [];
  private wanted = false;
  private retry?: NodeJS.Timeout;
  private connecting?: Promise<HostStatus>;
  /** Calls off the SSH connect in progress (and withdraws its prompts) on disconnect. */
  private connectAbort?: AbortController;

  constructor(
    readonly config: ConnectionConfig,
    private readonly deps: HostDeps,
  ) {
    this.uri = parseLibvirtUri(config.uri);
  }

  get id(): string {
    return this.config.id;
  }

  /** The URI virsh is given on the machine where it runs. */
  get virshUri(): string {
    return this.uri.localUri;
  }

  connect(): Promise<HostStatus> {
    if (this.status.state === 'connected') return Promise.resolve(this.status);
    this.wanted = true;
    this.connecting ??= this.establish(true)
      .then(
        () => this.setStatus({ state: 'connected', ...(this.status.hostname ? { hostname: this.status.hostname } : {}) }),
        (e: unknown) => {
          this.wanted = false;
          const err = AppError.from(e);
          // Called off by disconnect(), which has set the status already.
          if (err.code !== 'cancelled' || this.status.state !== 'disconnected') this.setStatus({ state: 'error', message: err.message });
          throw err;
        },
      )
      .finally(() => (this.connecting = undefined));
    this.setStatus({ state: 'connecting' });
    return this.connecting;
  }

  disconnect(): HostStatus {
    this.wanted = false;
    clearTimeout(this.retry);
    this.connectAbort?.abort();
    this.teardown();
    return this.setStatus({ state: 'disconnected' });
  }

  /** A command on the shared long-lived virsh session; recorded in the activity log. */
  async virsh(argv: readonly string[], opts: { timeoutMs?: number } = {}): Promise<VirshOutput> {
    const session = this.session;
    if (!session || this.status.state !== 'connected') throw this.notConnected();
    const done = this.deps.activity.start(this.id, ['virsh', '-c', this.virshUri, ...argv]);
    try {
      const out = await session.run(argv, opts);
      done();
      return out;
    } catch (e) {
      done(e);
      throw e;
    }
  }

  /**
   * A command that carries data (XML on stdin) or runs long, on its own process/channel so it
   * never blocks the shared session's queue: `virsh -c URI define /dev/stdin --validate`.
   */
  async virshExec(argv: readonly string[], opts: { stdin?: string; timeoutMs?: number; signal?: AbortSignal } = {}): Promise<string> {
    const transport = this.transport;
    if (!transport || this.status.state !== 'connected') throw this.notConnected();
    // The test driver keeps its fake host per process: another virsh would see another host.
    if (this.uri.driver === 'test') return this.virshInSession(argv, opts);
    const full = ['virsh', '-c', this.virshUri, ...argv];
    const done = this.deps.activity.start(this.id, full, opts.stdin);
    try {
      // Locally /dev/stdin must be a pipe for virsh to open it (see stream-exec.ts).
      const run = virshArgv(this.virshUri, ...argv);
      const res = await runToEnd(transport, opts.stdin !== undefined && transport.kind === 'local' ? withLocalPipes(run, { stdin: true }) : run, {
        timeoutMs: opts.timeoutMs ?? 120_000,
        ...opts,
      });
      const failure = res.code !== 0 ? (virshFailure(res.stderr) ?? new AppError('virsh', res.stderr.trim() || `virsh exited with ${res.code}`)) : undefined;
      if (failure) throw failure;
      done();
      return res.stdout;
    } catch (e) {
      done(e);
      throw e;
    }
  }

  /** virshExec for test:/// hosts (always local): stdin goes through a private temp file. */
  private async virshInSession(argv: readonly string[], given: { stdin?: string; timeoutMs?: number }): Promise<string> {
    // The fake host answers at once, so a long job timeout (a real save may take an hour) only
    // means a hang here: virsh 9's job watcher (save, managedsave) can miss a job that ends
    // before it starts waiting, and then never returns. Cap it and say what happened.
    const opts = { ...given, timeoutMs: Math.min(given.timeoutMs ?? TEST_DRIVER_TIMEOUT_MS, TEST_DRIVER_TIMEOUT_MS) };
    try {
      return await this.virshInSessionRun(argv, opts);
    } catch (e) {
      if (e instanceof AppError && e.code === 'timeout')
        throw new AppError(
          'timeout',
          `virsh ${argv[0] ?? ''} did not return on the test driver (virsh's job watcher can miss a job that finishes at once). virsh was restarted, which resets the test driver's fake host.`,
        );
      throw e;
    }
  }

  private async virshInSessionRun(argv: readonly string[], opts: { stdin?: string; timeoutMs?: number }): Promise<string> {
    if (opts.stdin === undefined) return (await this.virsh(argv, opts)).stdout;
    const dir = await mkdtemp(join(tmpdir(), 'virtdeck-'));
    const file = join(dir, 'stdin');
    try {
      await writeFile(file, opts.stdin, { mode: 0o600 });
      return (await this.virsh(argv.map((a) => (a === '/dev/stdin' ? file : a)), opts)).stdout;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
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

  /** An interactive program in a pty on the host (`virsh console` needs a controlling TTY). */
  async spawnPty(argv: readonly string[], pty: PtyOptions): Promise<ProcessHandle> {
    const transport = this.transport;
    if (!transport || this.status.state !== 'connected') throw this.notConnected();
    return transport.spawn(argv, { pty });
  }

  /**
   * A program other than virsh on the host (qemu-img, ip), argv only, on its own process or
   * channel, recorded in the activity log. A non-zero exit is not thrown: callers read
   * code/stdout/stderr (127 = not installed there).
   */
  async exec(argv: readonly string[], opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<RunResult> {
    const transport = this.transport;
    if (!transport || this.status.state !== 'connected') throw this.notConnected();
    const done = this.deps.activity.start(this.id, argv);
    try {
      const res = await runToEnd(transport, ['env', 'LC_ALL=C.UTF-8', ...argv], { timeoutMs: opts.timeoutMs ?? 60_000, ...opts });
      done(res.code === 0 ? undefined : new Error(res.stderr.trim() || `exited with ${res.code}`));
      return res;
    } catch (e) {
      done(e);
      throw e;
    }
  }

  /**
   * virsh with stdin and/or stdout streamed on its own process or channel, for
   * `vol-upload --file /dev/stdin` and `vol-download --file /dev/stdout`. Abort the signal to
   * cancel (the channel is closed). Throws virsh's own error on failure.
   */
  async virshStream(argv: readonly string[], opts: StreamOptions): Promise<void> {
    const transport = this.transport;
    if (!transport || this.status.state !== 'connected') throw this.notConnected();
    // The test driver's storage lives inside the session's virsh process: another process would see another host.
    if (this.uri.driver === 'test') throw new AppError('unsupported', "libvirt's test driver cannot stream volume data; use a real host");
    const done = this.deps.activity.start(this.id, ['virsh', '-c', this.virshUri, ...argv]);
    try {
      const res = await runStreaming(transport, virshArgv(this.virshUri, ...argv), opts);
      if (res.code !== 0) throw virshFailure(res.stderr) ?? new AppError('virsh', res.stderr.trim() || `virsh exited with ${res.code}`);
      done();
    } catch (e) {
      done(e);
      throw e;
    }
  }

  private notConnected(): AppError {
    return this.status.state === 'reconnecting'
      ? new AppError('disconnected', `${this.config.name} is reconnecting; try again in a moment.`)
      : new AppError('disconnected', `${this.config.name} is not connected.`);
  }

  private async establish(interactive: boolean): Promise<void> {
    this.teardown();
    let transport: Transport;
    if (this.uri.remote) {
      const { target, jump } = resolveEndpoints(this.config, this.uri, this.deps.homeDir);
      const ask: SshAsk = interactive
        ? this.deps.ask
        : { ...this.deps.ask, hostKey: async () => false }; // a reconnect never asks to trust a new key
      this.connectAbort?.abort();
      const abort = (this.connectAbort = new AbortController());
      const link = await openSsh({ target, ...(jump ? { jump } : {}), knownHostsPath: join(this.deps.homeDir, '.ssh', 'known_hosts'), homeDir: this.deps.homeDir, ask, signal: abort.signal });
      this.link = link;
      // ssh2 leaves Nagle on: small writes (keystrokes, VNC update requests) would wait for the
      // peer's delayed ACK (~40 ms) behind earlier data. OpenSSH sets TCP_NODELAY too.
      link.client.setNoDelay(true);
      link.client.once('close', () => this.onDrop(link));
      transport = new SshTransport(link.client);
    } else {
      transport = new LocalTransport();
    }
    this.transport = transport;
    const uri = this.virshUri;
    this.session = new VirshSession(() => transport.spawn(virshArgv(uri, '-q')));
    // The first command proves virsh exists and libvirt accepts us (permission errors surface here).
    const name = await this.virshUnchecked(['hostname']);
    this.status = { ...this.status, hostname: name.stdout.trim() };
    // The test driver's event process would watch its own private copy of the fake host.
    if (this.uri.driver !== 'test') {
      const domains = new EventStream(() => transport.spawn(virshArgv(uri, '-q', 'event', '--all', '--loop')), (evs) => this.deps.onDomainsChanged(evs, evs.length > 0 ? 'event' : 'resync'));
      const objects = OBJECT_WATCHERS.map(
        ({ kind, argv }) =>
          new EventStream<ObjectEvent>(() => transport.spawn(virshArgv(uri, '-q', ...argv)), (evs) => this.deps.onObjectsChanged?.(kind, evs), parseObjectEventLine),
      );
      this.events = [domains, ...objects];
      for (const s of [domains, ...objects]) s.start();
    }
  }

  private async virshUnchecked(argv: string[]): Promise<VirshOutput> {
    const done = this.deps.activity.start(this.id, ['virsh', '-c', this.virshUri, ...argv]);
    try {
      const out = await this.session!.run(argv, { timeoutMs: 30_000 });
      done();
      return out;
    } catch (e) {
      done(e);
      throw e;
    }
  }

  private onDrop(link: SshLink): void {
    if (this.link !== link || !this.wanted) return;
    this.teardown();
    this.scheduleReconnect(0, 'The SSH connection dropped');
  }

  private scheduleReconnect(attempt: number, why: string): void {
    this.setStatus({ state: 'reconnecting', message: why, attempt: attempt + 1 });
    const delay = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)]!;
    this.retry = setTimeout(() => {
      if (!this.wanted) return;
      this.establish(false).then(
        () => {
          this.setStatus({ state: 'connected', ...(this.status.hostname ? { hostname: this.status.hostname } : {}) });
          // Anything may have changed while we were away.
          this.deps.onDomainsChanged([], 'resync');
          this.deps.onObjectsChanged?.('pool', []);
          this.deps.onObjectsChanged?.('network', []);
        },
        (e: unknown) => {
          if (!this.wanted) return; // disconnected meanwhile (which calls the attempt off): stay so
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
    for (const s of this.events) s.stop();
    this.events = [];
    this.session?.close();
    this.session = undefined;
    this.transport?.close();
    this.transport = undefined;
    const link = this.link;
    this.link = undefined;
    link?.close();
  }

  private setStatus(s: HostStatus): HostStatus {
    this.status = s;
    this.deps.onStatus(s);
    return s;
  }
}
