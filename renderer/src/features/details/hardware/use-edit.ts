import { useState } from 'react';
import type { RequestArgs } from '../../../../../shared/contract';
import type { AppErrorShape } from '../../../../../shared/errors';
import type { DomainDetails, EditResult, HardwareEdit } from '../../../../../shared/model/details';
import { useApi } from '../../../api/ApiProvider';
import { toErrorShape } from '../../../lib/format-error';

export interface Outcome {
  result: EditResult | null;
  error: AppErrorShape | null;
}

export interface FormProps {
  hostId: string;
  details: DomainDetails;
  onChanged: () => void;
  /** Where an edit's result or error is shown (the Hardware tab, which outlives the form). */
  onOutcome: (o: Outcome) => void;
}

/**
 * A hardware change in flight. Its outcome goes to the Hardware tab, not the form's own state:
 * a successful edit changes the definition's etag, which remounts the form with fresh values.
 */
export function useEdit({ onChanged, onOutcome }: { onChanged: () => void; onOutcome: (o: Outcome) => void }) {
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<EditResult>) => {
    setBusy(true);
    onOutcome({ result: null, error: null });
    try {
      onOutcome({ result: await fn(), error: null });
      onChanged();
    } catch (e) {
      onOutcome({ result: null, error: toErrorShape(e) });
    } finally {
      setBusy(false);
    }
  };
  return { busy, run };
}

/**
 * A form's `details.edit`: the arguments it builds (shown by "Show command" and sent by Apply,
 * so both are the same request) and sending them. No edits = nothing to apply (null).
 */
export function useFormEdit(props: FormProps) {
  const api = useApi();
  const { busy, run } = useEdit(props);
  const { hostId, details } = props;
  const argsOf = (edits: HardwareEdit[], live = false): RequestArgs<'details.edit'> | null =>
    edits.length === 0 ? null : { hostId, uuid: details.uuid, etag: details.etag, live: live && details.live !== null, edit: edits.length === 1 ? edits[0]! : edits };
  const apply = (args: RequestArgs<'details.edit'> | null) => (args === null ? Promise.resolve() : run(() => api.request('details.edit', args)));
  return { busy, argsOf, apply, run };
}

/** A device edit that changes something: more than its kind and id. */
export const changes = (e: HardwareEdit) => Object.keys(e).filter((k) => k !== 'kind' && k !== 'id').length > 0;
