/** Keeps the phase store in step with the backend: the `newvm.phase` event says when a VM's install phase moved on. */
import { useEffect } from 'react';
import { useApi } from '../../api/ApiProvider';
import { setPhase } from './phase-store';

export function useInstallPhasesSync(): void {
  const api = useApi();
  useEffect(() => api.on('newvm.phase', (e) => setPhase(e.hostId, e.uuid, e.phase)), [api]);
}
