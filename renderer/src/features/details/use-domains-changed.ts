import { useEffect } from 'react';
import type { Api } from '../../../../shared/contract';

/**
 * Calls `reload` whenever the host's domains change (`domains.changed` only invalidates): a
 * burst of events within 150 ms costs one refetch. Used by every details view of one VM.
 */
export function useReloadOnDomainsChanged(api: Api, hostId: string, reload: () => Promise<void>): void {
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = api.on('domains.changed', (e) => {
      if (e.hostId !== hostId) return;
      clearTimeout(timer);
      timer = setTimeout(() => void reload(), 150);
    });
    return () => {
      off();
      clearTimeout(timer);
    };
  }, [api, hostId, reload]);
}
