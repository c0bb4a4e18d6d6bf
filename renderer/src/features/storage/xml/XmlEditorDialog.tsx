import { useEffect, useMemo, useState } from 'react';
import type { XmlKind, XmlVersion } from '../../../../../shared/api/commands';
import type { AppErrorShape } from '../../../../../shared/errors';
import { useApi } from '../../../api/ApiProvider';
import { ErrorText } from '../../../components/ErrorText';
import { Modal } from '../../../components/Modal';
import { useI18n } from '../../../i18n/I18nProvider';
import { formatError, toErrorShape } from '../../../lib/format-error';
import { CommandPreview } from '../../activity/CommandPreview';
import { CodeEditor } from '../../../components/CodeEditor';
import { DiffView } from '../../../components/DiffView';
import { diffLines, hasChanges } from '../../../lib/line-diff';

/** A parse error of the browser's own XML parser, or null when well-formed. */
function wellFormedError(xml: string): string | null {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  const err = doc.getElementsByTagName('parsererror')[0];
  return err ? (err.textContent ?? 'parse error').trim() : null;
}

/**
 * The safe XML editor for a pool or network: edit → review (diff against the current
 * definition, the command that will run) → save (libvirt validates against its schema; the
 * replaced version is kept in the history, from which any version can be loaded again).
 */
export function XmlEditorDialog({ hostId, kind, uuid, name, onClose }: { hostId: string; kind: XmlKind; uuid: string; name: string; onClose: () => void }) {
  const { t, lang } = useI18n();
  const api = useApi();
  const [original, setOriginal] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [reviewing, setReviewing] = useState(false);
  const [history, setHistory] = useState<XmlVersion[]>([]);
  const [error, setError] = useState<AppErrorShape | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let current = true;
    const load = kind === 'pool' ? api.request('storage.pools.xml', { hostId, uuid }) : api.request('networks.xml', { hostId, uuid });
    load.then(
      ({ xml }) => {
        if (!current) return;
        setOriginal(xml);
        setText(xml);
      },
      (e: unknown) => current && setError(toErrorShape(e)),
    );
    api.request('xml.history', { hostId, kind, uuid }).then(
      (h) => current && setHistory(h),
      () => {},
    );
    return () => {
      current = false;
    };
  }, [api, hostId, kind, uuid]);

  const diff = useMemo(() => (original === null ? [] : diffLines(original, text)), [original, text]);
  const parseError = useMemo(() => (reviewing ? wellFormedError(text) : null), [reviewing, text]);
  const changed = hasChanges(diff);
  const dateFmt = useMemo(() => new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'medium' }), [lang]);

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      if (kind === 'pool') await api.request('storage.pools.defineXml', { hostId, uuid, xml: text });
      else await api.request('networks.defineXml', { hostId, uuid, xml: text });
      onClose();
    } catch (e) {
      setError(toErrorShape(e));
      setBusy(false);
    }
  };

  return (
    <Modal title={t('xml.title', { name })} onCancel={onClose} testId="xml-dialog" className="xml-dialog">
      <div className="form xml-editor">
        {original === null && !error && <p className="muted">{t('common.loading')}</p>}
        {!reviewing ? (
          <>
            {/* The same CodeMirror editor as the VM's XML tab (highlighting, folding, search). */}
            <CodeEditor ariaLabel={t('xml.editorLabel')} testId="xml-text" value={text} onChange={setText} readOnly={original === null} />
            <p className="hint">{t('xml.hint')}</p>
            {history.length > 0 && (
              <details>
                <summary>{t('xml.history', { count: history.length })}</summary>
                <ul className="history-list" data-testid="xml-history">
                  {history.map((v) => (
                    <li key={v.at}>
                      <span>
                        {dateFmt.format(v.at)} — {v.name}
                      </span>
                      <button type="button" className="link" onClick={() => setText(v.xml)}>
                        {t('xml.useVersion')}
                      </button>
                    </li>
                  ))}
                </ul>
              </details>
            )}
          </>
        ) : (
          <>
            {parseError ? <ErrorText testId="xml-parse-error">{t('xml.notWellFormed', { message: parseError })}</ErrorText> : null}
            <div aria-label={t('xml.changes')}>
              <DiffView before={original ?? ''} after={text} testId="xml-diff" emptyText={t('xml.noChanges')} />
            </div>
            {kind === 'pool' ? (
              <CommandPreview request="storage.pools.defineXml" args={{ hostId, uuid, xml: text }} />
            ) : (
              <CommandPreview request="networks.defineXml" args={{ hostId, uuid, xml: text }} />
            )}
            <p className="hint">{t('xml.appliesNextStart')}</p>
          </>
        )}
        {error && <ErrorText testId="xml-error">{formatError(t, error)}</ErrorText>}
        <div className="modal-buttons">
          <button type="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          {reviewing ? (
            <>
              <button type="button" onClick={() => setReviewing(false)}>
                {t('xml.backToEdit')}
              </button>
              <button type="button" className="primary" data-testid="xml-save" disabled={busy || !changed || parseError !== null} onClick={() => void save()}>
                {busy ? t('common.saving') : t('common.save')}
              </button>
            </>
          ) : (
            <button type="button" className="primary" data-testid="xml-review" disabled={original === null || !changed} onClick={() => setReviewing(true)}>
              {t('xml.review')}
            </button>
          )}
        </div>
      </div>
    </Modal>
  );
}
