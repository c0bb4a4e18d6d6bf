import type { DomainNotice } from '../../shared/model/domain';
import type { HostConnection } from '../hosts/host-connection';
import { parseDomstateReason, type VirshEvent } from '../virsh/parse';

interface Watch {
  uuid: string;
  name: string;
  kind: 'shutdown' | 'reboot';
  timer: NodeJS.Timeout;
}

/**
 * ACPI shutdown and reboot are requests a guest may ignore (no acpid, a hung OS). After the
 * timeout Virtdeck says so, and the UI offers force off, as virt-manager users expect.
 */
export class GuestWatch {
  private readonly watches = new Set<Watch>();

  constructor(
    private readonly host: HostConnection,
    private readonly timeoutMs: () => number,
    private readonly emit: (n: DomainNotice) => void,
  ) {}

  watch(uuid: string, name: string, kind: 'shutdown' | 'reboot'): void {
    for (const w of this.watches) if (w.uuid === uuid) this.drop(w); // a newer request replaces it
    const w: Watch = { uuid, name, kind, timer: setTimeout(() => void this.expire(w), this.timeoutMs()) };
    this.watches.add(w);
  }

  /** A reboot event proves the guest acted on the reboot request. */
  onEvents(events: readonly VirshEvent[]): void {
    for (const ev of events)
      for (const w of this.watches) if (w.name === ev.domain && w.kind === 'reboot' && ev.event === 'reboot') this.drop(w);
  }

  stop(): void {
    for (const w of this.watches) this.drop(w);
  }

  private drop(w: Watch): void {
    clearTimeout(w.timer);
    this.watches.delete(w);
  }

  private async expire(w: Watch): Promise<void> {
    this.watches.delete(w);
    let ignored: boolean;
    if (w.kind === 'shutdown') {
      try {
        const st = parseDomstateReason((await this.host.run(['virsh', 'domstate', '--domain', w.uuid, '--reason'])).stdout).state;
        ignored = st === 'running' || st === 'blocked';
      } catch {
        return; // gone or disconnected: nothing to offer
      }
    } else {
      // Without an event stream (test driver) a reboot cannot be observed: say nothing.
      ignored = this.host.uri.driver !== 'test';
    }
    if (ignored) this.emit({ hostId: this.host.id, uuid: w.uuid, name: w.name, kind: w.kind === 'shutdown' ? 'shutdown-ignored' : 'reboot-ignored' });
  }
}
