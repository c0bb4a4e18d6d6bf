import type { Domain } from '../../shared/model/domain';
import type { StatsTick } from '../../shared/model/stats';
import type { HostConnection } from '../hosts/host-connection';
import type { EventBus } from '../core/event-bus';
import type { SettingsStore } from '../core/settings';
import type { ViewerPresence } from '../core/viewers';
import type { VirshEvent } from '../virsh/parse';
import type { EventPayload } from '../../shared/contract';

type DomainsChangedCause = EventPayload<'domains.changed'>['cause'];
import { AddressWatcher } from './addresses';
import { DomainInventory } from './domain-inventory';
import { GuestWatch } from './guest-watch';
import { StatsPoller } from './stats-poller';

/** What runs for a connected host: its VM inventory, stats ticks, IP addresses, guest watches. */
export class HostServices {
  readonly inventory: DomainInventory;
  readonly stats: StatsPoller;
  readonly addresses: AddressWatcher;
  readonly guests: GuestWatch;
  private addressesStarted = false;
  private stopped = false;

  constructor(
    readonly host: HostConnection,
    private readonly bus: EventBus,
    settings: SettingsStore,
    viewers: ViewerPresence,
  ) {
    this.inventory = new DomainInventory(host, () => bus.emit('domains.changed', { hostId: host.id, cause: 'sizes' }));
    this.stats = new StatsPoller(host, this.inventory, () => settings.value, (t) => this.onTick(t), (uuids) => this.changed('resync', [], uuids),
      () => viewers.anyoneLooking,
      (message) => bus.emit('stats.problem', { hostId: host.id, message }),
    );
    this.addresses = new AddressWatcher(host, this.inventory, (a) => bus.emit('domains.addresses', a));
    this.guests = new GuestWatch(host, () => settings.value.guestActionTimeoutMs, (n) => bus.emit('domains.notice', n));
  }

  /** Starts once; a stop (the host went away) is final: a new connection gets new services. */
  async start(): Promise<void> {
    await this.inventory.refresh().catch(() => {});
    // The host may have disconnected while the first list was fetched.
    if (this.stopped) return;
    this.stats.start();
  }

  /**
   * Addresses (one domifaddr per running VM) start after the first tick went out: on a
   * 1,000-VM host they would otherwise sit ahead of the list and the first numbers.
   */
  private onTick(t: StatsTick): void {
    this.bus.emit('stats.tick', t);
    if (!this.addressesStarted && !this.stopped) {
      this.addressesStarted = true;
      this.addresses.start();
    }
  }

  stop(): void {
    this.stopped = true;
    this.stats.stop();
    // A problem of this connection's ticks is not the next connection's.
    this.bus.emit('stats.problem', { hostId: this.host.id, message: null });
    this.addresses.stop();
    this.guests.stop();
  }

  /** The UI's list request: fresh states, then addresses for VMs that may have just started. */
  async list(): Promise<Domain[]> {
    const list = await this.inventory.refresh();
    void this.addresses.refresh();
    return list;
  }

  /** Events (or none and no UUIDs for "anything may have changed") invalidate; the UI then refetches. */
  changed(cause: DomainsChangedCause, events: readonly VirshEvent[], uuids?: readonly string[]): void {
    if (events.length === 0 && !uuids) this.inventory.invalidate();
    else this.inventory.invalidate(events.map((e) => e.domain), uuids);
    this.guests.onEvents(events);
    this.bus.emit('domains.changed', { hostId: this.host.id, cause });
  }
}
