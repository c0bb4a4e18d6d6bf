import { useEffect, useState } from 'react';
import type { Finding } from '../../../../../shared/api/tuning-cpu';
import type { AppErrorShape } from '../../../../../shared/errors';
import { useApi } from '../../../api/ApiProvider';
import { DiffView } from '../../../components/DiffView';
import { ErrorText } from '../../../components/ErrorText';
import { useT } from '../../../i18n/I18nProvider';
import { formatError, toErrorShape } from '../../../lib/format-error';
import { ActionDialog } from '../../activity/ActionDialog';
import { useHostData } from '../../storage/use-host-data';

interface Applied {
  finding: Finding;
  uuid: string | null;
  undoEntryId: string | null;
  undone: boolean;
}

/** The definition before and after an XML fix, as the XML editor shows a change. */
function FixDiff({ hostId, findingId }: { hostId: string; findingId: string }) {
  const t = useT();
  const api = useApi();
  const [diff, setDiff] = useState<{ before: string; after: string } | null>(null);
  const [error, setError] = useState<AppErrorShape | null>(null);
  useEffect(() => {
    let current = true;
    api.request('tuning.fixDiff', { hostId, findingId }).then(
      (d) => current && setDiff(d),
      (e: unknown) => current && setError(toErrorShape(e)),
    );
    return () => {
      current = false;
    };
  }, [api, hostId, findingId]);
  if (error) return <ErrorText>{formatError(t, error)}</ErrorText>;
  return diff ? <DiffView before={diff.before} after={diff.after} testId="fix-diff" emptyText={t('details.xml.noChanges')} /> : null;
}

function FindingItem({ f, onApply }: { f: Finding; onApply: () => void }) {
  const t = useT();
  return (
    <li className={`finding finding-${f.severity}`} data-testid="finding" data-rule={f.rule} data-vm={f.vm?.name ?? ''}>
      <div className="finding-head">
        <strong>{f.title}</strong> <span className="muted">— {f.vm?.name ?? t('tuning.advisor.host')}</span>
      </div>
      <div className="finding-body">
        <span className="muted">{t('tuning.advisor.evidence')}:</span>
        <ul data-testid="finding-evidence">
          {f.evidence.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
        <div>
          <span className="muted">{t('tuning.advisor.source')}:</span> {f.source.url ? <a href={f.source.url} target="_blank" rel="noreferrer">{f.source.text}</a> : <em>{f.source.text}</em>}
        </div>
        {f.fix && (
          <div data-testid="finding-fix">
            <span className="muted">{t('tuning.advisor.fix')}:</span> {f.fix.summary}
            {f.fix.warnings.map((w) => (
              <p key={w} className="warn-text">
                {w}
              </p>
            ))}
            {f.fix.available ? (
              <button type="button" data-testid="finding-apply" onClick={onApply}>
                {t('tuning.advisor.apply')}
              </button>
            ) : (
              <p className="muted" data-testid="finding-fix-off">
                {f.fix.reason}
              </p>
            )}
          </div>
        )}
      </div>
    </li>
  );
}

/** The advisor's report for this host; each fix previewed as its commands, XML fixes undoable. */
export function AdvisorSection({ hostId }: { hostId: string }) {
  const t = useT();
  const api = useApi();
  const r = useHostData(hostId, (a) => a.request('tuning.advisor', { hostId }), ['domains.changed']);
  const [applying, setApplying] = useState<Finding | null>(null);
  const [applied, setApplied] = useState<Applied | null>(null);
  const [error, setError] = useState<AppErrorShape | null>(null);
  const undo = async (a: Applied) => {
    setError(null);
    try {
      const { etag } = await api.request('details.xml', { hostId, uuid: a.uuid! });
      await api.request('details.restore', { hostId, uuid: a.uuid!, entryId: a.undoEntryId!, etag });
      setApplied({ ...a, undone: true });
    } catch (e) {
      setError(toErrorShape(e));
    } finally {
      r.reload();
    }
  };
  const report = r.data;
  return (
    <section className="tuning-section" data-testid="advisor">
      <h3>{t('tuning.advisor.title')}</h3>
      <p className="muted">
        {t('tuning.advisor.intro')}{' '}
        <button type="button" className="link" data-testid="advisor-run" onClick={r.reload} disabled={r.loading}>
          {t('tuning.advisor.run')}
        </button>
      </p>
      {r.error && <ErrorText>{formatError(t, r.error)}</ErrorText>}
      {error && <ErrorText>{formatError(t, error)}</ErrorText>}
      {applied && (
        <p className="notice" data-testid="advisor-notice">
          {applied.undone
            ? t('tuning.advisor.undone', { vm: applied.finding.vm?.name ?? '' })
            : applied.undoEntryId
              ? t('tuning.advisor.applied', { title: applied.finding.title, vm: applied.finding.vm?.name ?? '' })
              : t('tuning.advisor.appliedHost', { title: applied.finding.title })}{' '}
          {!applied.undone && applied.undoEntryId && applied.uuid && (
            <button type="button" className="link" data-testid="advisor-undo" onClick={() => void undo(applied)}>
              {t('tuning.advisor.undo')}
            </button>
          )}
        </p>
      )}
      {report && (
        <>
          <p className="muted" data-testid="advisor-checked">
            {t('tuning.advisor.checked', { n: report.checkedVms })}
          </p>
          {report.notes.map((n) => (
            <p key={n} className="muted">
              {n}
            </p>
          ))}
          {report.findings.length === 0 ? (
            <p data-testid="advisor-none">{t('tuning.advisor.none')}</p>
          ) : (
            <ul className="findings">
              {report.findings.map((f) => (
                <FindingItem key={f.id} f={f} onApply={() => setApplying(f)} />
              ))}
            </ul>
          )}
        </>
      )}
      {applying && (
        <ActionDialog
          title={t('tuning.advisor.applyTitle', { title: applying.title })}
          request="tuning.applyFix"
          args={{ hostId, findingId: applying.id }}
          confirmLabel={t('tuning.advisor.apply')}
          testId="fix-dialog"
          onRun={async (a) => {
            try {
              const res = await api.request('tuning.applyFix', a);
              setApplied({ finding: applying, uuid: res.uuid, undoEntryId: res.undoEntryId, undone: false });
            } finally {
              r.reload();
            }
          }}
          onClose={() => setApplying(null)}
        >
          <p>{applying.fix?.summary}</p>
          {applying.fix?.warnings.map((w) => (
            <p key={w} className="warn-text">
              {w}
            </p>
          ))}
          {applying.fix?.kind === 'xml' && (
            <>
              <p className="muted">{t('tuning.advisor.xmlFix')}</p>
              <FixDiff hostId={hostId} findingId={applying.id} />
            </>
          )}
        </ActionDialog>
      )}
    </section>
  );
}
