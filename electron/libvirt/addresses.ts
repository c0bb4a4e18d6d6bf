import type { DomainAddresses } from '../../shared/model/stats';
import type { HostConnection } from '../hosts/host-connection';
import { parseDomifaddr } from '../virsh/parse';
import type { DomainInventory } from './domain-inventory';
import { forEachLimited } from './limit';

const EVERY_MS = 30_000;
/**
 * domifaddr calls in flight: they share the host's one virsh session with the list and the
 * stats ticks, which must not queue behind hundreds of them.
 */
const IN_FLIGHT = 4;

/**
 * Guest IP addresses from `domifaddr`, per running VM, on domain events and every 30 s —
 * never per stats tick. DHCP leases first; the guest agent when the VM has an agent channel.
 * Nothing runs before start(), which HostServices calls after the first list and stats tick.
 */
export class AddressWatcher {
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private readonly hasAgent = new Map<string, boolean>();
  private inFlight?: Promise<void>;
  private started = false;

  constructor(
    private readonly host: HostConnection,
    private readonly inventory: DomainInventory,
    private readonly emit: (a: DomainAddresses) => void,
  ) {}

  start(): void {
    this.stopped = false;
    this.started = true;
    void this.refresh();
  }

  stop(): void {
    this.stopped = true;
    this.started = false;
    clearTimeout(this.timer);
  }

  /** Called after the inventory refreshed (events, own actions); a no-op until started. */
  refresh(): Promise<void> {
    if (!this.started) return Promise.resolve();
    this.inFlight ??= this.fetch().finally(() => {
      this.inFlight = undefined;
      clearTimeout(this.timer);
      if (!this.stopped) this.timer = setTimeout(() => void this.refresh(), EVERY_MS);
    });
    return this.inFlight;
  }

  private async fetch(): Promise<void> {
    const running = this.inventory.domains.filter((d) => d.state === 'running');
    const addresses: DomainAddresses['addresses'] = [];
    await forEachLimited(running, IN_FLIGHT, async (d) => {
      if (this.stopped) return;
      const a = await this.addressesOf(d.uuid);
      if (a) addresses.push(a);
    });
    if (this.stopped) return;
    this.emit({ hostId: this.host.id, addresses });
  }

  private async addressesOf(uuid: string): Promise<DomainAddresses['addresses'][number] | undefined> {
    try {
      const lease = parseDomifaddr((await this.host.run(['virsh', 'domifaddr', '--domain', uuid])).stdout).map((a) => a.address);
      if (lease.length > 0 || !(await this.agentChannel(uuid))) return { uuid, ips: lease, source: 'lease' };
      const agent = parseDomifaddr((await this.host.run(['virsh', 'domifaddr', '--domain', uuid, '--source', 'agent'])).stdout)
        .filter((a) => a.name !== 'lo')
        .map((a) => a.address);
      return { uuid, ips: agent, source: 'agent' };
    } catch {
      return undefined; // stopped meanwhile, or the agent is not answering
    }
  }

  private async agentChannel(uuid: string): Promise<boolean> {
    let known = this.hasAgent.get(uuid);
    if (known === undefined) {
      known = (await this.host.run(['virsh', 'dumpxml', '--domain', uuid])).stdout.includes('org.qemu.guest_agent.0');
      this.hasAgent.set(uuid, known);
    }
    return known;
  }
}
