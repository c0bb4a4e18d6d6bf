import { create } from 'zustand';
import type { AppInfo } from '../../../shared/contract';
import type { WsConnectionState } from '../api/ws-client';

/** How this window reaches the backend, and what the backend said about itself. */
export interface BackendState {
  mode: 'desktop' | 'web';
  hasToken: boolean;
  connection: WsConnectionState;
  info: AppInfo | null;
}

export const useBackendStore = create<BackendState>()(() => ({
  mode: 'desktop',
  hasToken: true,
  connection: { phase: 'connecting', attempt: 1 },
  info: null,
}));

export const selectBackendReady = (s: BackendState) => s.connection.phase === 'open';
