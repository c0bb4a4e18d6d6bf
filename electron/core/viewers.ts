/**
 * Who is looking: each UI client (a browser tab, a desktop window) says whether its page is
 * visible. Stats are polled while at least one is, so a hidden tab never freezes the graphs
 * of a visible one. Before any client has said anything (tests, tools on the Backend) polling
 * runs; once clients have come, and all are hidden or gone, it pauses.
 */
export class ViewerPresence {
  private readonly visible = new Map<string, boolean>();
  private seen = false;
  private readonly listeners = new Set<() => void>();
  private readonly clientListeners = new Set<(clientId: string) => void>();

  get anyoneLooking(): boolean {
    if (!this.seen) return true;
    for (const v of this.visible.values()) if (v) return true;
    return false;
  }

  /** Whether this client's page is visible; one that never said is taken as looking (tests, tools). */
  isVisible(clientId: string): boolean {
    return this.visible.get(clientId) ?? true;
  }

  report(clientId: string, visible: boolean): void {
    const before = this.anyoneLooking;
    this.seen = true;
    const was = this.visible.get(clientId);
    this.visible.set(clientId, visible);
    if (before !== this.anyoneLooking) this.notify();
    if (was !== visible) for (const fn of this.clientListeners) fn(clientId);
  }

  /** The client disconnected (tab closed, window destroyed). */
  gone(clientId: string): void {
    const before = this.anyoneLooking;
    this.visible.delete(clientId);
    if (before !== this.anyoneLooking) this.notify();
  }

  /** One client's page was hidden or shown (host pages pause their sampler meanwhile). */
  onClientChange(fn: (clientId: string) => void): () => void {
    this.clientListeners.add(fn);
    return () => this.clientListeners.delete(fn);
  }

  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private notify(): void {
    for (const fn of this.listeners) fn();
  }
}
