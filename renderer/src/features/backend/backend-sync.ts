import { useEffect } from 'react';
import type { Transport } from '../../api/client';
import { useApi } from '../../api/ApiProvider';
import { selectBackendReady, useBackendStore } from '../../stores/backend';

/** Mirrors the transport's connection state into the store; call once at startup. */
export function bindTransport(transport: Transport): () => void {
  useBackendStore.setState({ mode: transport.mode, hasToken: transport.hasToken });
  return transport.watch((connection) => useBackendStore.setState({ connection }));
}

/** Loads app.info whenever the backend (re)connects; a restarted backend may differ. */
export function useAppInfoSync() {
  const api = useApi();
  const ready = useBackendStore(selectBackendReady);
  useEffect(() => {
    if (!ready) return;
    let current = true;
    api.request('app.info', {}).then(
      (info) => {
        if (current) useBackendStore.setState({ info });
      },
      (e: unknown) => console.warn('app.info failed', e),
    );
    return () => {
      current = false;
    };
  }, [api, ready]);
}
