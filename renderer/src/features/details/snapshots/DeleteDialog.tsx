import { useEffect, useState } from 'react';
import type { AppErrorShape } from '../../../../../shared/errors';
import type { DeleteImpact, DeleteScope, Snapshot } from '../../../../../shared/model/snapshot';
import { useApi } from '../../../api/ApiProvider';
import { ErrorText } from '../../../components/ErrorText';
import { useT } from '../../../i18n/I18nProvider';
import { formatError, toErrorShape } from '../../../lib/format-error';
import { ActionDialog } from '../../activity/ActionDialog';

interface Props {
  hostId: string;
  uuid: string;
  snap: Snapshot;
  hasChildren: boolean;
  onDone: (impact: DeleteImpact) => void;
  onClose: () => void;
}

const SCOPES: Array<[DeleteScope, 'snapshots.delete.one' | 'snapshots.delete.children' | 'snapshots.delete.childrenOnly' | 'snapshots.delete.metadata']> = [
  ['one', 'snapshots.delete.one'],
  ['children', 'snapshots.delete.children'],
  ['children-only', 'snapshots.delete.childrenOnly'],
  ['metadata', 'snapshots.delete.metadata'],
];

/** The scope, then which snapshots and files go and which files stay (asked from the backend). */
export function DeleteDialog({ hostId, uuid, snap, hasChildren, onDone, onClose }: Props) {
  const t = useT();
  const api = useApi();
  const [scope, setScope] = useState<DeleteScope>('one');
  const [impact, setImpact] = useState<DeleteImpact | null>(null);
  const [error, setError] = useState<AppErrorShape | null>(null);
  useEffect(() => {
    let live = true;
    setImpact(null);
    api.request('snapshots.deleteImpact', { hostId, uuid, name: snap.name, scope }).then(
      (i) => live && (setImpact(i), setError(null)),
      (e: unknown) => live && setError(toErrorShape(e)),
    );
    return () => {
      live = false;
    };
  }, [api, hostId, uuid, snap.name, scope]);
  return (
    <ActionDialog
      title={t('snapshots.delete.title', { name: snap.name })}
      request="snapshots.delete"
      args={impact && impact.refusal === undefined ? { hostId, uuid, name: snap.name, scope } : null}
      danger
      confirmLabel={t('snapshots.delete.run')}
      testId="snapshot-delete-dialog"
      onRun={async (a) => onDone(await api.request('snapshots.delete', a))}
      onClose={onClose}
    >
      <fieldset>
        <legend>{t('snapshots.delete.scope')}</legend>
        {SCOPES.filter(([s]) => hasChildren || (s !== 'children' && s !== 'children-only')).map(([s, key]) => (
          <label key={s} className="checkbox">
            <input type="radio" name="snapshot-delete-scope" checked={scope === s} onChange={() => setScope(s)} data-testid={`snapshot-delete-${s}`} />
            {t(key)}
          </label>
        ))}
      </fieldset>
      {error && <ErrorText>{formatError(t, error)}</ErrorText>}
      {impact && (
        <div className="snapshot-impact" data-testid="snapshot-impact">
          <p>{t('snapshots.delete.snapshots', { names: impact.snapshots.join(', ') })}</p>
          {impact.refusal !== undefined && (
            <p className="note" data-testid="snapshot-delete-refused">
              {t('snapshots.delete.refused', { reason: impact.refusal })}
            </p>
          )}
          {impact.goes.length > 0 && (
            <>
              <h4>{t('snapshots.delete.goes')}</h4>
              <ul data-testid="snapshot-goes">
                {impact.goes.map((f, i) => (
                  <li key={i}>
                    <span className="mono">{f.path}</span> — {t(`snapshots.how.${f.how}`)}
                  </li>
                ))}
              </ul>
            </>
          )}
          {impact.stays.length > 0 && (
            <>
              <h4>{t('snapshots.delete.stays')}</h4>
              <ul data-testid="snapshot-stays">
                {impact.stays.map((f, i) => (
                  <li key={i}>
                    <span className="mono">{f.path}</span> — {t(`snapshots.why.${f.why}`)}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </ActionDialog>
  );
}
