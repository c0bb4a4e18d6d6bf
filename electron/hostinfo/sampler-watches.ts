import type { HostSample } from '../../shared/model/hostinfo';
import type { HostConnection } from '../hosts/host-connection';
import { HostSampler } from './sampler';

interface Entry {
  sampler: HostSampler;
  clients: Set<string>;
}

/**
 * Which UI clients watch which host's live figures. A host's sampler runs while at least one
 * client watches it: the first watch starts it, the last unwatch (or that client going away,
 * or the host disconnecting) stops it, so no program is left on the host for a closed page.
 */
export class SamplerWatches {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly deps: {
      host(hostId: string): HostConnection;
      intervalMs(): number;
      emit(sample: HostSample): void;
      onProblem(hostId: string, message: string | null): void;
    },
  ) {}

  watch(hostId: string, clientId: string): void {
    let e = this.entries.get(hostId);
    if (!e) {
      const sampler = new HostSampler(this.deps.host(hostId), this.deps.intervalMs(), this.deps.emit, (m) => this.deps.onProblem(hostId, m));
      e = { sampler, clients: new Set() };
      this.entries.set(hostId, e);
      sampler.start();
    }
    e.clients.add(clientId);
  }

  unwatch(hostId: string, clientId: string): void {
    const e = this.entries.get(hostId);
    if (!e) return;
    e.clients.delete(clientId);
    if (e.clients.size === 0) this.drop(hostId);
  }

  clientGone(clientId: string): void {
    for (const hostId of [...this.entries.keys()]) this.unwatch(hostId, clientId);
  }

  /** The host disconnected: its page re-watches once it is connected again. */
  hostDown(hostId: string): void {
    this.drop(hostId);
  }

  /** The sampler of a watched host (tests and the bench read its cost). */
  samplerOf(hostId: string): HostSampler | undefined {
    return this.entries.get(hostId)?.sampler;
  }

  stopAll(): void {
    for (const hostId of [...this.entries.keys()]) this.drop(hostId);
  }

  private drop(hostId: string): void {
    this.entries.get(hostId)?.sampler.stop();
    this.entries.delete(hostId);
    this.deps.onProblem(hostId, null);
  }
}
