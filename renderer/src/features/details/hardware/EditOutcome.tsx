import type { AppErrorShape } from '../../../../../shared/errors';
import type { EditResult } from '../../../../../shared/model/details';
import { ErrorText } from '../../../components/ErrorText';
import { useT } from '../../../i18n/I18nProvider';
import { formatError } from '../../../lib/format-error';

/** What happened to an edit: saved, applied to the running VM too, or waiting for the next boot. */
export function EditOutcome({ result, error }: { result: EditResult | null; error: AppErrorShape | null }) {
  const t = useT();
  if (error) return <ErrorText testId="hw-error">{formatError(t, error)}</ErrorText>;
  if (!result) return null;
  return (
    <div className="edit-outcome" data-testid="hw-result" role="status">
      {result.liveApplied ? <p className="ok-text">{t('details.hw.appliedLive')}</p> : <p className="ok-text">{t('details.saved')}</p>}
      {result.needsRestart && <p className="note" data-testid="hw-next-boot">{t('details.hw.nextBoot')}</p>}
      {result.liveError && <ErrorText>{t('details.hw.liveFailed', { message: result.liveError })}</ErrorText>}
    </div>
  );
}
