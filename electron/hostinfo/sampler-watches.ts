import type { HostSample } from '../../shared/model/hostinfo';
import type { HostConnection } from '../hosts/host-connection';
import { HostSampler } from './sampler';

interface Entry {
  sampler?: HostSampler;
  clients: Set<string>;
}

/**
 * Which UI clients watch which host's live figures. A host's sampler runs while at least one
 * client whose page is visible watches it: the first such watch starts it; the last unwatch,
 * that client going away or hiding its page, or the host disconnecting stops it, so no program
 * is left on the host for a closed page (and none runs for a hidden one).
 */
export class SamplerWatches {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly deps: {
      host(hostId: string): HostConnection;
      intervalMs(): number;
      emit(sample: HostSample): void;
      onProblem(hostId: string, message: string | null): void;
      /** Whether the client's page is visible (ViewerPresence). */
      visible(clientId: string): boolean;
    },
  ) {}

  watch(hostId: string, clientId: string): void {
    const e = this.entries.get(hostId) ?? { clients: new Set<string>() };
    this.entries.set(hostId, e);
    e.clients.add(clientId);
    this.reconcile(hostId);
  }

  unwatch(hostId: string, clientId: string): void {
    const e = this.entries.get(hostId);
    if (!e) return;
    e.clients.delete(clientId);
    this.reconcile(hostId);
  }

  clientGone(clientId: string): void {
    for (const hostId of [...this.entries.keys()]) this.unwatch(hostId, clientId);
  }

  /** A client's page was hidden or shown. */
  visibilityChanged(clientId: string): void {
    for (const [hostId, e] of [...this.entries]) if (e.clients.has(clientId)) this.reconcile(hostId);
  }

  /** The host disconnected: its page re-watches once it is connected again. */
  hostDown(hostId: string): void {
    this.entries.get(hostId)?.clients.clear();
    this.reconcile(hostId);
  }

  /** The running sampler of a watched host (tests and the bench read its cost). */
  samplerOf(hostId: string): HostSampler | undefined {
    return this.entries.get(hostId)?.sampler;
  }

  stopAll(): void {
    for (const hostId of [...this.entries.keys()]) this.hostDown(hostId);
  }

  private reconcile(hostId: string): void {
    const e = this.entries.get(hostId);
    if (!e) return;
    const wanted = [...e.clients].some((c) => this.deps.visible(c));
    if (wanted && !e.sampler) {
      e.sampler = new HostSampler(this.deps.host(hostId), this.deps.intervalMs(), this.deps.emit, (m) => this.deps.onProblem(hostId, m));
      e.sampler.start();
    } else if (!wanted && e.sampler) {
      e.sampler.stop();
      e.sampler = undefined;
      this.deps.onProblem(hostId, null);
    }
    if (e.clients.size === 0) this.entries.delete(hostId);
  }
}
