import { AppError } from '../../shared/errors';
import type { ConnectionConfig, HostStatus } from '../../shared/model/host';
import { HostConnection } from '../hosts/host-connection';
import { loginLabel, type SshLogin } from '../hosts/ssh-auth';
import { resolveEndpoints } from '../hosts/ssh-endpoints';
import type { ActivityLog } from './activity-log';
import type { SecretStore } from './adapters';
import type { EventBus } from './event-bus';
import type { Prompter } from './prompter';
import { HostServices } from '../libvirt/host-services';
import type { SettingsStore } from './settings';
import type { ViewerPresence } from './viewers';
import { legacySshPasswordKey, migrateSshPassword } from './secret-keys';
import { SshPrompts } from './ssh-prompts';

/** The live HostConnection for each saved connection, and the prompts they need. */
export class HostRegistry {
  private readonly hosts = new Map<string, HostConnection>();
  private readonly services = new Map<string, HostServices>();
  private readonly prompts: SshPrompts;

  constructor(
    private readonly deps: {
      homeDir: string;
      instanceId: string;
      activity: ActivityLog;
      bus: EventBus;
      prompter: Prompter;
      secrets: SecretStore;
      settings: SettingsStore;
      viewers: ViewerPresence;
      /** See BackendOptions.allowUri. */
      allowUri?: (uri: string) => boolean;
    },
  ) {
    this.prompts = new SshPrompts({ prompter: deps.prompter, secrets: deps.secrets });
    const rearm = () => {
      for (const s of this.services.values()) s.stats.rearm();
    };
    deps.settings.onChange(rearm);
    deps.viewers.onChange(rearm);
  }

  /** The running services of a connected host. */
  servicesOf(id: string): HostServices {
    const s = this.services.get(id);
    if (!s) throw new AppError('disconnected', `${this.hosts.get(id)?.config.name ?? 'the host'} is not connected.`);
    return s;
  }

  status(id: string): HostStatus {
    return this.hosts.get(id)?.status ?? { state: 'disconnected' };
  }

  get(id: string): HostConnection {
    const h = this.hosts.get(id);
    if (!h) throw new AppError('not_found', 'no such connection');
    return h;
  }

  /** Registers (or replaces, after an edit) the connection object for a saved config. */
  put(config: ConnectionConfig): HostConnection {
    const old = this.hosts.get(config.id);
    if (old && JSON.stringify(old.config) === JSON.stringify(config)) return old;
    old?.disconnect();
    const host: HostConnection = new HostConnection(config, {
      homeDir: this.deps.homeDir,
      instanceId: this.deps.instanceId,
      activity: this.deps.activity,
      ask: this.prompts.forConnection(config.id),
      onStatus: (status) => {
        this.syncServices(host);
        this.deps.bus.emit('hosts.status', { hostId: config.id, status });
      },
      onDomainsChanged: (events, cause) => this.services.get(config.id)?.changed(cause, events),
      // Invalidation only: the storage and network views refetch.
      onObjectsChanged: (kind) => this.deps.bus.emit(kind === 'pool' ? 'storage.changed' : 'networks.changed', { hostId: config.id }),
    });
    this.hosts.set(config.id, host);
    return host;
  }

  /** Throws 'permission' for a URI this backend was told not to serve. */
  checkAllowed(uri: string): void {
    if (this.deps.allowUri && !this.deps.allowUri(uri)) throw new AppError('permission', `This server does not allow connections to ${uri}.`);
  }

  /** A refused password is forgotten by the SSH layer itself, for that one login only. */
  async connect(id: string): Promise<HostStatus> {
    const host = this.get(id);
    this.checkAllowed(host.config.uri);
    const [first] = this.loginsOf(host);
    if (first) await migrateSshPassword(this.deps.secrets, id, first);
    return host.connect();
  }

  /** The SSH logins a connection makes, in order: the ProxyJump hop first, then the target. */
  private loginsOf(host: HostConnection): SshLogin[] {
    if (!host.uri.remote) return [];
    try {
      const { target, jump } = resolveEndpoints(host.config, host.uri, this.deps.homeDir);
      return jump ? [jump, target] : [target];
    } catch {
      return []; // a bad ProxyJump spec: connect() reports it
    }
  }

  /** Services run exactly while the host is connected (they pause through a reconnect). */
  private syncServices(host: HostConnection): void {
    const running = this.services.get(host.id);
    if (host.status.state === 'connected') {
      if (running?.host === host) return;
      running?.stop();
      const s = new HostServices(host, this.deps.bus, this.deps.settings, this.deps.viewers);
      this.services.set(host.id, s);
      void s.start();
    } else if (running) {
      running.stop();
      this.services.delete(host.id);
    }
  }

  /** Also forgets the connection's passwords, except for logins another saved connection makes. */
  async remove(id: string): Promise<void> {
    const host = this.hosts.get(id);
    host?.disconnect();
    this.hosts.delete(id);
    await this.deps.secrets.delete(legacySshPasswordKey(id));
    if (!host) return;
    const inUse = new Set([...this.hosts.values()].flatMap((h) => this.loginsOf(h)).map(loginLabel));
    for (const l of this.loginsOf(host)) if (!inUse.has(loginLabel(l))) await this.prompts.forget(l);
  }

  disconnectAll(): void {
    for (const h of this.hosts.values()) h.disconnect();
  }
}
