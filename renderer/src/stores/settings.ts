import { create } from 'zustand';
import type { Settings } from '../../../shared/model/stats';
import type { AppErrorShape } from '../../../shared/errors';

export interface SettingsState {
  settings: Settings | null;
  /** The last failed settings request (e.g. a backend without settings support). */
  error: AppErrorShape | null;
}

export const useSettingsStore = create<SettingsState>()(() => ({ settings: null, error: null }));

/** Stats intervals offered in the header popover. */
export const statsIntervals = [500, 1000, 2000, 5000] as const;
