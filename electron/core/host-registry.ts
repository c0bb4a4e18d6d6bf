import { AppError } from '../../shared/errors';
import type { ConnectionConfig, HostStatus } from '../../shared/model/host';
import { HostConnection } from '../hosts/host-connection';
import type { SshAsk } from '../hosts/ssh-connect';
import type { ActivityLog } from './activity-log';
import type { SecretStore } from './adapters';
import type { EventBus } from './event-bus';
import type { Prompter } from './prompter';
import { HostServices } from '../libvirt/host-services';
import type { SettingsStore } from './settings';
import type { ViewerPresence } from './viewers';

/** The live HostConnection for each saved connection, and the prompts they need. */
export class HostRegistry {
  private readonly hosts = new Map<string, HostConnection>();
  private readonly services = new Map<string, HostServices>();
  /** Passwords typed this session, so a reconnect after a drop needs nobody at the keyboard. */
  private readonly typed = new Map<string, string>();

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
      ask: this.askFor(config.id),
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

  async connect(id: string): Promise<HostStatus> {
    this.checkAllowed(this.get(id).config.uri);
    try {
      return await this.get(id).connect();
    } catch (e) {
      const err = AppError.from(e);
      if (err.code === 'ssh_auth') {
        // A remembered or typed password that failed must not be tried again silently.
        this.typed.delete(id);
        await this.deps.secrets.delete(secretKey(id, 'password'));
      }
      throw err;
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

  async remove(id: string): Promise<void> {
    this.hosts.get(id)?.disconnect();
    this.hosts.delete(id);
    this.typed.delete(id);
    await this.deps.secrets.delete(secretKey(id, 'password'));
  }

  disconnectAll(): void {
    for (const h of this.hosts.values()) h.disconnect();
  }

  private askFor(hostId: string): SshAsk {
    const { prompter, secrets } = this.deps;
    return {
      hostKey: async (host, port, keyType, fingerprint) =>
        (await prompter.ask({ kind: 'hostKey', hostId, host, port, keyType, fingerprint })).accept,
      secret: async (purpose, message, echo = false) => {
        if (purpose === 'password') {
          const known = this.typed.get(hostId) ?? (await secrets.get(secretKey(hostId, 'password')));
          if (known !== undefined) return known;
        }
        const a = await prompter.ask({ kind: 'secret', hostId, purpose, message, echo, canRemember: secrets.persistent && purpose === 'password' });
        if (!a.accept || a.value === undefined) throw new AppError('ssh_auth', 'Authentication was cancelled.');
        if (purpose === 'password') {
          this.typed.set(hostId, a.value);
          if (a.remember && secrets.persistent) await secrets.set(secretKey(hostId, 'password'), a.value);
        }
        return a.value;
      },
    };
  }
}

function secretKey(hostId: string, what: 'password'): string {
  return `ssh:${hostId}:${what}`;
}
