import type { Settings } from '../../shared/model/stats';

export const DEFAULT_SETTINGS: Settings = { statsIntervalMs: 1000, guestActionTimeoutMs: 60_000 };

/** Backend-wide settings; listeners re-arm pollers when they change. */
export class SettingsStore {
  private current: Settings = { ...DEFAULT_SETTINGS };
  private readonly listeners = new Set<(s: Settings) => void>();

  get value(): Settings {
    return this.current;
  }

  update(patch: Partial<Settings>): Settings {
    this.current = { ...this.current, ...patch };
    for (const fn of this.listeners) fn(this.current);
    return this.current;
  }

  onChange(fn: (s: Settings) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}
