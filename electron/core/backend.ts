import { randomBytes } from 'node:crypto';
import {
  isRequestName,
  requests,
  type Envelope,
  type ParsedArgs,
  type RequestName,
  type RequestResult,
} from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { ConnectionConfig, HostView } from '../../shared/model/host';
import { deleteDomain, deletePlan, restoreFromFile, runDomainAction, saveToFile } from '../libvirt/domains';
import { parseLibvirtUri } from '../hosts/ssh/libvirt-uri';
import { ActivityLog } from './activity-log';
import type { Platform } from './adapters';
import { ConnectionStore } from './connection-store';
import { EventBus, type EventListener } from './event-bus';
import { firstStartConnections, hasLocalVirsh } from './first-start';
import { HostRegistry } from './host-registry';
import { Prompter } from './prompter';
import { SettingsStore } from './settings';

type Handlers = { [K in RequestName]: (args: ParsedArgs<K>) => Promise<RequestResult<K>> };

/**
 * Everything behind the API, independent of Electron: the desktop IPC wiring and the
 * browser-mode WebSocket server both call `handle` and subscribe with `onEvent`.
 */
export class Backend {
  readonly bus = new EventBus();
  readonly activity = new ActivityLog((e) => this.bus.emit('activity.added', e));
  private readonly prompter = new Prompter(
    (p) => this.bus.emit('prompts.ask', p),
    (promptId) => this.bus.emit('prompts.closed', { promptId }),
  );
  private readonly store: ConnectionStore;
  readonly settings = new SettingsStore();
  readonly hosts: HostRegistry;
  private readonly handlers: Handlers;

  constructor(private readonly platform: Platform) {
    this.store = new ConnectionStore(platform.configDir);
    this.hosts = new HostRegistry({ homeDir: platform.homeDir, activity: this.activity, bus: this.bus, prompter: this.prompter, secrets: platform.secrets, settings: this.settings });
    this.handlers = this.makeHandlers();
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
  async handle(name: unknown, rawArgs: unknown): Promise<Envelope> {
    try {
      if (!isRequestName(name)) throw new AppError('invalid_args', `unknown request ${String(name).slice(0, 80)}`);
      const parsed = requests[name].args.safeParse(rawArgs ?? {});
      if (!parsed.success) throw new AppError('invalid_args', `invalid arguments for ${name}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
      const handler = this.handlers[name] as (a: unknown) => Promise<unknown>;
      return { ok: true, result: await handler(parsed.data) };
    } catch (e) {
      return { ok: false, error: AppError.from(e).toJSON() };
    }
  }

  shutdown(): void {
    this.prompter.cancelAll();
    this.hosts.disconnectAll();
  }

  /** Adds a connection by URI unless one exists, and connects it (browser mode's --connect). */
  async ensureConnection(uri: string): Promise<string> {
    const existing = this.store.list().find((c) => c.uri === uri);
    const view = existing ? undefined : await this.handlers['hosts.save']({ connection: { name: uri, uri, autoconnect: false } });
    const id = existing?.id ?? view!.config.id;
    await this.hosts.connect(id);
    return id;
  }

  private view(c: ConnectionConfig): HostView {
    return { config: c, status: this.hosts.status(c.id) };
  }

  private makeHandlers(): Handlers {
    return {
      'app.info': async () => ({
        version: this.platform.version,
        mode: this.platform.mode,
        platform: process.platform,
        localVirsh: await hasLocalVirsh(),
        canRememberSecrets: this.platform.secrets.persistent,
      }),
      'hosts.list': async () => this.store.list().map((c) => this.view(c)),
      'hosts.save': async ({ connection }) => {
        try {
          parseLibvirtUri(connection.uri);
        } catch (e) {
          throw new AppError('invalid_args', (e as Error).message);
        }
        const config: ConnectionConfig = { ...connection, id: connection.id ?? `h-${randomBytes(6).toString('hex')}` };
        if (connection.id && !this.store.get(connection.id)) throw new AppError('not_found', 'no such connection');
        await this.store.upsert(config);
        this.hosts.put(config);
        this.bus.emit('hosts.changed', {});
        return this.view(config);
      },
      'hosts.remove': async ({ hostId }) => {
        if (!this.store.get(hostId)) throw new AppError('not_found', 'no such connection');
        await this.hosts.remove(hostId);
        await this.store.remove(hostId);
        this.bus.emit('hosts.changed', {});
        return null;
      },
      'hosts.connect': async ({ hostId }) => this.hosts.connect(hostId),
      'hosts.disconnect': async ({ hostId }) => this.hosts.get(hostId).disconnect(),
      'prompts.answer': async (a) => {
        this.prompter.answer(a);
        return null;
      },
      'prompts.list': async () => this.prompter.list(),
      'domains.list': async ({ hostId }) => this.hosts.servicesOf(hostId).list(),
      'domains.action': async ({ hostId, uuids, action }) => {
        const services = this.hosts.servicesOf(hostId);
        try {
          const results = await runDomainAction(services.host, uuids, action);
          for (const r of results) {
            if (!r.ok || (action !== 'shutdown' && action !== 'reboot')) continue;
            const name = services.inventory.domains.find((d) => d.uuid === r.uuid)?.name ?? r.uuid;
            services.guests.watch(r.uuid, name, action);
          }
          return results;
        } finally {
          // Refetch after our own actions: test:/// hosts have no event stream to tell us.
          services.changed([], uuids);
        }
      },
      'domains.saveToFile': async ({ hostId, uuid, path }) => {
        const services = this.hosts.servicesOf(hostId);
        try {
          await saveToFile(services.host, uuid, path);
        } finally {
          services.changed([], [uuid]);
        }
        return null;
      },
      'domains.restoreFromFile': async ({ hostId, path }) => {
        const services = this.hosts.servicesOf(hostId);
        try {
          await restoreFromFile(services.host, path);
        } finally {
          services.changed([]);
        }
        return null;
      },
      'domains.deletePlan': async ({ hostId, uuid }) => deletePlan(this.hosts.servicesOf(hostId).host, uuid),
      'domains.delete': async ({ hostId, uuid, deleteSources }) => {
        const services = this.hosts.servicesOf(hostId);
        try {
          return await deleteDomain(services.host, uuid, deleteSources);
        } finally {
          services.changed([], [uuid]);
        }
      },
      'settings.get': async () => this.settings.value,
      'settings.update': async (patch) => this.settings.update(patch),
      'activity.list': async ({ afterSeq, hostId }) => this.activity.list(afterSeq, hostId),
    };
  }
}
