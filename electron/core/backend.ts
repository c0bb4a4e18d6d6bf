import { isRequestName, requests, type Envelope } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { ActivityEntry } from '../../shared/model/activity';
import { ActivityLog } from './activity-log';
import { Batcher } from './batch';
import type { Platform } from './adapters';
import { ClientTransfers } from './client-transfers';
import { ConnectionStore } from './connection-store';
import { EventBus, type EventListener } from './event-bus';
import { firstStartConnections } from './first-start';
import { join } from 'node:path';
import { ConsoleManager } from '../consoles/console-manager';
import { GraphicsHistory } from '../consoles/graphics-switch';
import { appHandlers } from './handlers/app';
import { consoleHandlers } from './handlers/consoles';
import type { HandlerContext, HandlersFor } from './handlers/context';
import { detailsHandlers } from './handlers/details';
import { domainHandlers } from './handlers/domains';
import { commandHandlers } from './handlers/commands';
import { networkHandlers } from './handlers/networks';
import { snapshotHandlers } from './handlers/snapshots';
import { cloneHandlers } from './handlers/clones';
import { migrationHandlers } from './handlers/migration';
import { backupHandlers } from './handlers/backups';
import { storageHandlers } from './handlers/storage';
import { hostHandlers } from './handlers/hosts';
import { newVmHandlers } from './handlers/newvm';
import { netInstallHandlers } from './handlers/netinstall';
import { hostPageHandlers } from './handlers/hostpage';
import { tuningMemoryHandlers } from './handlers/tuning-memory';
import { tuningCpuHandlers } from './handlers/tuning-cpu';
import { SamplerWatches } from '../hostinfo/sampler-watches';
import { HostRegistry } from './host-registry';
import { loadInstanceId } from './instance-id';
import { LocalFileGrants } from './local-files';
import { Prompter } from './prompter';
import { SettingsStore } from './settings';
import { ViewerPresence } from './viewers';
import type { RequestClient } from './handlers/context';
import type { EventPayload, RequestName } from '../../shared/contract';

/** Requests made inside this process (tests, tools), not by a UI client. */
const IN_PROCESS_CLIENT: RequestClient = { id: 'in-process' };

/** Every request has exactly one handler: a missing area is a compile error here. */
type Handlers = HandlersFor<RequestName>;

/** How a backend may be narrowed beyond its Platform (browser mode's flags, tests). */
export interface BackendOptions {
  /**
   * Only libvirt URIs this accepts can be saved or connected (others: 'permission'). The
   * contract fuzz runs with test:///default only, so no payload reaches a real hypervisor.
   */
  allowUri?: (uri: string) => boolean;
  /** How long console, upload and download tickets stay claimable (tests shorten it). */
  ticketTtlMs?: number;
}

/**
 * Everything behind the API, independent of Electron: the desktop IPC wiring and the
 * browser-mode WebSocket server both call `handle` and subscribe with `onEvent`.
 */
export class Backend {
  readonly bus = new EventBus();
  /** Finished commands go out ~10 times a second as one event each, not one event per command. */
  private readonly activityBatch = new Batcher<ActivityEntry>((entries) => this.bus.emit('activity.added', { entries }), 100);
  readonly activity = new ActivityLog((e) => this.activityBatch.push(e));
  private readonly prompter = new Prompter(
    (p) => this.bus.emit('prompts.ask', p),
    (promptId) => this.bus.emit('prompts.closed', { promptId }),
  );
  private readonly store: ConnectionStore;
  readonly settings = new SettingsStore();
  readonly viewers = new ViewerPresence();
  readonly hosts: HostRegistry;
  /** Open consoles; transport adapters claim their byte channels here with one-time tickets. */
  readonly consoles: ConsoleManager;
  /** Browser mode's uploads from and downloads to the browser, claimed by one-time tickets. */
  readonly clientTransfers: ClientTransfers;
  private readonly handlers: Handlers;
  /** Host pages' live figures: one sampler per watched host. */
  readonly samplers: SamplerWatches;

  constructor(
    private readonly platform: Platform,
    opts: BackendOptions = {},
  ) {
    this.store = new ConnectionStore(platform.configDir);
    this.clientTransfers = new ClientTransfers(opts.ticketTtlMs);
    this.hosts = new HostRegistry({
      homeDir: platform.homeDir,
      instanceId: loadInstanceId(platform.configDir),
      activity: this.activity,
      bus: this.bus,
      prompter: this.prompter,
      secrets: platform.secrets,
      settings: this.settings,
      viewers: this.viewers,
      ...(opts.allowUri ? { allowUri: opts.allowUri } : {}),
    });
    const ctx: HandlerContext = {
      platform,
      store: this.store,
      hosts: this.hosts,
      prompter: this.prompter,
      activity: this.activity,
      settings: this.settings,
      bus: this.bus,
      clientTransfers: this.clientTransfers,
      viewers: this.viewers,
      // Only the desktop app has this computer's dialogs; browser mode never resolves a local file.
      localFiles: new LocalFileGrants(platform.mode === 'desktop' && platform.fileDialogs !== undefined),
    };
    this.consoles = new ConsoleManager({
      host: (id) => this.hosts.get(id),
      bus: this.bus,
      history: new GraphicsHistory(join(platform.dataDir, 'console-history')),
      secrets: platform.secrets,
      ...(opts.ticketTtlMs !== undefined ? { ticketTtlMs: opts.ticketTtlMs } : {}),
    });
    this.samplers = new SamplerWatches({
      host: (id) => this.hosts.get(id),
      intervalMs: () => this.settings.value.statsIntervalMs,
      emit: (sample) => this.bus.emit('hostpage.sample', sample),
      onProblem: (hostId, message) => this.bus.emit('hostpage.problem', { hostId, message }),
      visible: (clientId) => this.viewers.isVisible(clientId),
    });
    this.viewers.onClientChange((clientId) => this.samplers.visibilityChanged(clientId));
    this.bus.on((name, payload) => {
      if (name === 'hosts.status' && (payload as EventPayload<'hosts.status'>).status.state !== 'connected') this.samplers.hostDown((payload as EventPayload<'hosts.status'>).hostId);
    });
    this.handlers = { ...hostPageHandlers(ctx, this.samplers), ...appHandlers(ctx), ...hostHandlers(ctx), ...domainHandlers(ctx), ...detailsHandlers(ctx), ...storageHandlers(ctx), ...networkHandlers(ctx), ...commandHandlers(ctx), ...consoleHandlers(ctx, this.consoles), ...newVmHandlers(ctx), ...snapshotHandlers(ctx), ...tuningMemoryHandlers(ctx), ...tuningCpuHandlers(ctx), ...cloneHandlers(ctx), ...migrationHandlers(ctx), ...backupHandlers(ctx), ...netInstallHandlers(ctx) };
  }

  /** Loads saved connections (or offers the first-start ones) and opens the autoconnect ones. */
  async init(): Promise<void> {
    let saved = await this.store.load();
    if (saved === undefined) {
      saved = await firstStartConnections();
      await this.store.save(saved);
    }
    for (const c of saved) this.hosts.put(c);
    for (const c of saved) if (c.autoconnect) this.hosts.connect(c.id).catch(() => {}); // status event carries the error
  }

  onEvent(fn: EventListener): () => void {
    return this.bus.on(fn);
  }

  /** Validates and runs one request; never throws — errors travel as {code, message}. */
  async handle(name: unknown, rawArgs: unknown, client: RequestClient = IN_PROCESS_CLIENT): Promise<Envelope> {
    try {
      if (!isRequestName(name)) throw new AppError('invalid_args', `unknown request ${String(name).slice(0, 80)}`);
      const parsed = requests[name].args.safeParse(rawArgs ?? {});
      if (!parsed.success) throw new AppError('invalid_args', `invalid arguments for ${name}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
      const handler = this.handlers[name] as (a: unknown, c: RequestClient) => Promise<unknown>;
      return { ok: true, result: await handler(parsed.data, client) };
    } catch (e) {
      return { ok: false, error: AppError.from(e).toJSON() };
    }
  }

  /** A UI client went away (socket closed, window destroyed). */
  clientGone(client: RequestClient): void {
    this.viewers.gone(client.id);
    this.samplers.clientGone(client.id);
  }

  shutdown(): void {
    this.activityBatch.flush();
    this.consoles.shutdown();
    this.samplers.stopAll();
    this.prompter.cancelAll();
    this.hosts.disconnectAll();
  }

  /** Adds a connection by URI unless one exists, and connects it (browser mode's --connect). */
  async ensureConnection(uri: string): Promise<string> {
    const existing = this.store.list().find((c) => c.uri === uri);
    const view = existing ? undefined : await this.handlers['hosts.save']({ connection: { name: uri, uri, autoconnect: false } }, IN_PROCESS_CLIENT);
    const id = existing?.id ?? view!.config.id;
    await this.hosts.connect(id);
    return id;
  }
}
