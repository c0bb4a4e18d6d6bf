import { useEffect, useState } from 'react';
import type { Transfer } from '../../../../shared/model/storage';
import { useApi } from '../../api/ApiProvider';
import { ErrorText } from '../../components/ErrorText';
import { useT } from '../../i18n/I18nProvider';
import { selectBackendReady, useBackendStore } from '../../stores/backend';
import { formatBytes } from './size';

/** Keeps the backend's transfers (it owns them; this view only attaches) and adds ones just started. */
export function useTransfers(): [Transfer[], (t: Transfer) => void] {
  const api = useApi();
  const ready = useBackendStore(selectBackendReady);
  const [byId, setById] = useState<Record<string, Transfer>>({});
  const put = (t: Transfer) =>
    setById((cur) => {
      const old = cur[t.transferId];
      // Progress events may overtake the request's reply: never go back from a final state or in bytes.
      if (old && (old.state !== 'running' || old.bytesDone > t.bytesDone) && t.state === 'running') return cur;
      return { ...cur, [t.transferId]: t };
    });
  useEffect(() => api.on('storage.transfer', put), [api]);
  useEffect(() => {
    if (!ready) return;
    let current = true;
    api.request('storage.transfers.list', {}).then(
      (list) => current && list.forEach(put),
      () => {},
    );
    return () => {
      current = false;
    };
  }, [api, ready]);
  return [Object.values(byId).sort((a, b) => b.startedAt - a.startedAt), put];
}

/** Uploads and downloads of this host: progress, cancel, and how each ended. */
export function TransferList({ hostId, transfers }: { hostId: string; transfers: readonly Transfer[] }) {
  const t = useT();
  const api = useApi();
  const [hiddenBefore, setHiddenBefore] = useState(0);
  const mine = transfers.filter((x) => x.hostId === hostId && (x.state === 'running' || (x.finishedAt ?? 0) > hiddenBefore));
  if (mine.length === 0) return null;
  return (
    <section className="panel-section" aria-label={t('storage.transfers')} data-testid="transfers">
      <div className="panel-head">
        <h3>{t('storage.transfers')}</h3>
        <button type="button" className="link" onClick={() => setHiddenBefore(Date.now())}>
          {t('storage.clearFinished')}
        </button>
      </div>
      {mine.map((x) => {
        const pct = x.bytesTotal ? Math.min(100, Math.round((x.bytesDone / x.bytesTotal) * 100)) : null;
        return (
          <div key={x.transferId} className="transfer" data-testid={`transfer-${x.transferId}`} data-state={x.state}>
            <div>
              <div>
                {t(x.direction === 'upload' ? 'storage.uploading' : 'storage.downloading', { volume: x.volume, path: x.localPath })}
              </div>
              <progress max={100} value={x.state === 'done' ? 100 : (pct ?? undefined)} aria-label={t('storage.progress')} />
              <div className="hint">
                {t(`storage.transferState.${x.state}`)} · {formatBytes(x.bytesDone)}
                {x.bytesTotal !== null ? ` / ${formatBytes(x.bytesTotal)}` : ''}
                {pct !== null && x.state === 'running' ? ` (${pct}%)` : ''}
              </div>
              {x.error && <ErrorText testId="transfer-error">{x.error.noSpace ? t('storage.noSpace', { message: x.error.message }) : x.error.message}</ErrorText>}
            </div>
            {x.state === 'running' && (
              <button type="button" data-testid="transfer-cancel" onClick={() => void api.request('storage.transfers.cancel', { transferId: x.transferId }).catch(() => {})}>
                {t('common.cancel')}
              </button>
            )}
          </div>
        );
      })}
    </section>
  );
}
