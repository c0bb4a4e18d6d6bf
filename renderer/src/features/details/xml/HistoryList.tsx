import { useEffect, useMemo, useState } from 'react';
import type { AppErrorShape } from '../../../../../shared/errors';
import type { HistoryEntry } from '../../../../../shared/model/details';
import { useApi } from '../../../api/ApiProvider';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { ErrorText } from '../../../components/ErrorText';
import { useI18n } from '../../../i18n/I18nProvider';
import { formatError, toErrorShape } from '../../../lib/format-error';
import { DiffView } from '../../../components/DiffView';

interface Props {
  hostId: string;
  uuid: string;
  currentXml: string;
  etag: string;
  /** Bumped by the parent after something was recorded, to reload the list. */
  version: number;
  onRestored: () => void;
}

/** Earlier definitions (newest first), each with its diff to the current one and a restore button. */
export function HistoryList({ hostId, uuid, currentXml, etag, version, onRestored }: Props) {
  const { t, lang } = useI18n();
  const api = useApi();
  const [entries, setEntries] = useState<HistoryEntry[]>([]);
  const [open, setOpen] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<HistoryEntry | null>(null);
  const [error, setError] = useState<AppErrorShape | null>(null);
  const fmt = useMemo(() => new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'medium' }), [lang]);

  useEffect(() => {
    let live = true;
    api.request('details.history', { hostId, uuid }).then((h) => live && setEntries(h), (e: unknown) => live && setError(toErrorShape(e)));
    return () => {
      live = false;
    };
  }, [api, hostId, uuid, version, etag]);

  const restore = async (entry: HistoryEntry) => {
    setConfirm(null);
    setError(null);
    try {
      await api.request('details.restore', { hostId, uuid, entryId: entry.id, etag });
      onRestored();
    } catch (e) {
      setError(toErrorShape(e));
    }
  };

  return (
    <section className="xml-history" data-testid="xml-history">
      <h3>{t('details.history.title')}</h3>
      {error && <ErrorText>{formatError(t, error)}</ErrorText>}
      {entries.length === 0 ? (
        <p className="muted">{t('details.history.empty')}</p>
      ) : (
        <ul>
          {entries.map((e) => (
            <li key={e.id} data-testid="xml-history-entry">
              <div className="history-row">
                <span>{fmt.format(e.at)}</span>
                <span className="muted">{t(`details.history.cause.${e.cause}`)}</span>
                <span className="muted mono">{e.summary}</span>
                <span className="spacer" />
                <button type="button" className="link" onClick={() => setOpen(open === e.id ? null : e.id)}>
                  {open === e.id ? t('details.history.hideDiff') : t('details.history.showDiff')}
                </button>
                <button type="button" onClick={() => setConfirm(e)} data-testid="xml-history-restore">
                  {t('details.history.restore')}
                </button>
              </div>
              {open === e.id && <DiffView before={currentXml} after={e.xml} emptyText={t('details.xml.noChanges')} />}
            </li>
          ))}
        </ul>
      )}
      {confirm && (
        <ConfirmDialog
          title={t('details.history.restoreTitle')}
          message={t('details.history.restoreConfirm', { when: fmt.format(confirm.at) })}
          confirmLabel={t('details.history.restore')}
          onConfirm={() => void restore(confirm)}
          onCancel={() => setConfirm(null)}
        />
      )}
    </section>
  );
}
