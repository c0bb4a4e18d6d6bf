/**
 * The XML tab: the persistent definition in a real editor; "Review" validates it (on the host,
 * without defining anything) and shows the diff against the current definition; "Apply" is
 * `virsh define --validate`. The replaced definition goes to the history below, from where any
 * earlier one is restored with one click.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppErrorShape } from '../../../../../shared/errors';
import type { XmlValidation } from '../../../../../shared/model/details';
import { useApi } from '../../../api/ApiProvider';
import { ErrorText } from '../../../components/ErrorText';
import { useT } from '../../../i18n/I18nProvider';
import { formatError, toErrorShape } from '../../../lib/format-error';
import { CodeEditor, type CodeEditorHandle } from '../../../components/CodeEditor';
import { DiffView } from '../../../components/DiffView';
import { HistoryList } from './HistoryList';
import { hasChanges, diffLines } from '../../../lib/line-diff';

interface Props {
  hostId: string;
  uuid: string;
  /** The definition's etag from the details: a change elsewhere reloads the editor. */
  etag: string;
  running: boolean;
  onApplied: () => void;
}

export function XmlTab({ hostId, uuid, etag, running, onApplied }: Props) {
  const t = useT();
  const api = useApi();
  const editor = useRef<CodeEditorHandle>(null);
  const [current, setCurrent] = useState<{ xml: string; etag: string } | null>(null);
  const [text, setText] = useState('');
  const [live, setLive] = useState<string | null>(null);
  const [showLive, setShowLive] = useState(false);
  const [review, setReview] = useState<XmlValidation | null>(null);
  const [error, setError] = useState<AppErrorShape | null>(null);
  const [busy, setBusy] = useState(false);
  const [applied, setApplied] = useState(false);
  const [historyVersion, setHistoryVersion] = useState(0);

  const load = useCallback(async () => {
    try {
      const res = await api.request('details.xml', { hostId, uuid, live: false });
      setCurrent(res);
      setText(res.xml);
      setReview(null);
    } catch (e) {
      setError(toErrorShape(e));
    }
  }, [api, hostId, uuid]);

  // A new definition (this tab's apply, a hardware form, another tool) replaces the editor's text.
  useEffect(() => {
    void load();
  }, [load, etag]);

  useEffect(() => {
    if (!showLive) return;
    api.request('details.xml', { hostId, uuid, live: true }).then((r) => setLive(r.xml), (e: unknown) => setError(toErrorShape(e)));
  }, [api, hostId, uuid, showLive, etag]);

  const dirty = current !== null && text !== current.xml;

  const validate = async () => {
    setBusy(true);
    setError(null);
    setApplied(false);
    try {
      setReview(await api.request('details.validateXml', { hostId, uuid, xml: text }));
    } catch (e) {
      setError(toErrorShape(e));
    } finally {
      setBusy(false);
    }
  };

  const apply = async () => {
    if (!current) return;
    setBusy(true);
    setError(null);
    try {
      await api.request('details.applyXml', { hostId, uuid, xml: text, etag: current.etag });
      setApplied(true);
      setReview(null);
      setHistoryVersion((v) => v + 1);
      onApplied();
      await load();
    } catch (e) {
      setError(toErrorShape(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="xml-tab" data-testid="xml-tab">
      <div className="xml-toolbar">
        {running && (
          <label className="checkbox">
            <input type="checkbox" checked={showLive} onChange={(e) => setShowLive(e.target.checked)} data-testid="xml-show-live" />
            {t('details.xml.showLive')}
          </label>
        )}
        <span className="spacer" />
        <button type="button" disabled={!dirty || busy} onClick={() => current && setText(current.xml)} data-testid="xml-revert">
          {t('details.xml.revert')}
        </button>
        <button type="button" className="primary" disabled={!dirty || busy || showLive} onClick={() => void validate()} data-testid="xml-review">
          {t('details.xml.review')}
        </button>
      </div>
      {running && !showLive && <p className="note" data-testid="xml-running-note">{t('details.xml.runningNote')}</p>}
      {error && <ErrorText testId="xml-error">{formatError(t, error)}</ErrorText>}
      {applied && <p className="ok-text" data-testid="xml-applied">{running ? t('details.xml.appliedNextBoot') : t('details.xml.applied')}</p>}
      <div className="xml-editor-box">
        {showLive ? (
          <CodeEditor key="live" value={live ?? ''} readOnly ariaLabel={t('details.xml.liveLabel')} testId="xml-live" />
        ) : current === null ? (
          <p className="muted">{t('common.loading')}</p>
        ) : (
          <CodeEditor ref={editor} value={text} onChange={(v) => (setText(v), setReview(null))} ariaLabel={t('details.xml.editorLabel')} testId="xml-editor" />
        )}
      </div>
      {review && current && (
        <section className="xml-review" data-testid="xml-review-panel">
          {review.schemaUnavailable && <p className="note">{review.schemaUnavailable}</p>}
          {review.ok ? (
            <>
              <h3>{t('details.xml.changes')}</h3>
              <DiffView before={current.xml} after={text} testId="xml-diff" emptyText={t('details.xml.noChanges')} />
              <div className="form-buttons">
                <button type="button" onClick={() => setReview(null)}>
                  {t('common.cancel')}
                </button>
                <button type="button" className="primary" disabled={busy || !hasChanges(diffLines(current.xml, text))} onClick={() => void apply()} data-testid="xml-apply">
                  {t('details.xml.apply')}
                </button>
              </div>
            </>
          ) : (
            <ul className="xml-problems" data-testid="xml-problems">
              {review.problems.map((p, i) => (
                <li key={i}>
                  {p.line !== undefined ? (
                    <button type="button" className="link" onClick={() => editor.current?.goToLine(p.line!)} data-testid="xml-problem-line">
                      {t('details.xml.line', { line: p.line })}
                    </button>
                  ) : null}{' '}
                  <span className="mono">{p.message}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      {current && (
        <HistoryList
          hostId={hostId}
          uuid={uuid}
          currentXml={current.xml}
          etag={current.etag}
          version={historyVersion}
          onRestored={() => {
            setHistoryVersion((v) => v + 1);
            onApplied();
          }}
        />
      )}
    </div>
  );
}
