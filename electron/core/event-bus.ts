import type { EventName, EventPayload } from '../../shared/contract';

export type EventListener = <K extends EventName>(name: K, payload: EventPayload<K>) => void;

/** Fans backend events out to every attached UI (the Electron window, browser tabs). */
export class EventBus {
  private readonly listeners = new Set<EventListener>();

  on(fn: EventListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  emit<K extends EventName>(name: K, payload: EventPayload<K>): void {
    for (const fn of this.listeners) {
      try {
        fn(name, payload);
      } catch {
        // one broken listener (a closed socket) must not starve the others
      }
    }
  }
}
