import { useState } from 'react';
import type { AppErrorShape } from '../../../../../shared/errors';
import type { EditResult } from '../../../../../shared/model/details';
import { toErrorShape } from '../../../lib/format-error';

export interface Outcome {
  result: EditResult | null;
  error: AppErrorShape | null;
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
