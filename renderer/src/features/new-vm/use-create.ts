/**
 * Create: one request (the backend validates again, creates, and undoes its own steps in
 * reverse on failure). The wizard stays open with everything typed when it fails, and shows
 * virsh's message and what was undone. On success: customizing → the details editor on the
 * defined VM; installing or done → the console the user asked for.
 */
import { useState } from 'react';
import type { AppErrorShape } from '../../../../shared/errors';
import type { NewVmSpecInput } from '../../../../shared/model/newvm';
import { useApi } from '../../api/ApiProvider';
import { toErrorShape } from '../../lib/format-error';
import { openConsole } from '../consoles/console-store';
import { openDetails } from '../details';
import type { ConsoleChoice, Draft } from './draft';
import { setPhase } from './phase-store';
import { closeNewVm, rememberAfterInstall } from './wizard-store';

export function openChosenConsole(hostId: string, uuid: string, name: string, choice: ConsoleChoice): void {
  if (choice !== 'none') openConsole(hostId, uuid, choice, name);
}

export function useCreate(draft: Draft) {
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppErrorShape | null>(null);
  const create = async (spec: NewVmSpecInput) => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.request('newvm.create', { hostId: draft.hostId, spec });
      setPhase(draft.hostId, r.uuid, r.phase);
      closeNewVm();
      if (r.phase === 'customizing') {
        rememberAfterInstall(r.uuid, draft.openConsole);
        openDetails({ hostId: draft.hostId, uuid: r.uuid });
      } else {
        openChosenConsole(draft.hostId, r.uuid, r.name, draft.openConsole);
      }
    } catch (e) {
      setError(toErrorShape(e));
      setBusy(false);
    }
  };
  return { busy, error, create, dismiss: () => setError(null) };
}
