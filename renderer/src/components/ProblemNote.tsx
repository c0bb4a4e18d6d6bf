import { useT } from '../i18n/I18nProvider';

/**
 * The note on a row Virtdeck could only partly read (the object's `problems`): the row shows
 * what is known, this says what is missing and why. Nothing when there are no problems.
 */
export function ProblemNote({ problems, testId }: { problems: readonly string[] | undefined; testId?: string }) {
  const t = useT();
  if (!problems || problems.length === 0) return null;
  return (
    <span className="problem-note" role="note" data-testid={testId} title={problems.join('\n')}>
      {' ⚠ '}
      {t('common.partlyRead', { what: problems.join('; ') })}
    </span>
  );
}
