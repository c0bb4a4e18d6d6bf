/**
 * An ISO of this computer: uploaded into a pool with the storage view's transfer machinery
 * (the desktop app's file dialog, or the browser's file in browser mode), then used as an ISO
 * volume like any other. A cancelled or failed upload deletes its volume (the backend does).
 * `into: 'cloud'`: the same for a cloud image (the uploaded volume becomes the cloud source's image).
 */
import { useEffect, useState } from 'react';
import type { LocalFileChoice } from '../../../../../shared/api/app';
import type { AppErrorShape } from '../../../../../shared/errors';
import type { NewVmCapabilities } from '../../../../../shared/model/newvm';
import { ObjectName, type Transfer } from '../../../../../shared/model/storage';
import { useApi } from '../../../api/ApiProvider';
import { ErrorText } from '../../../components/ErrorText';
import { useT } from '../../../i18n/I18nProvider';
import { formatError, toErrorShape } from '../../../lib/format-error';
import { useBackendStore } from '../../../stores/backend';
import { sendFileOverSocket } from '../../storage/browser-transfer';
import { formatBytes } from '../../storage/size';
import { TransferList } from '../../storage/TransferList';
import type { Draft } from '../draft';
import { updateDraft } from '../wizard-store';

const baseName = (p: string) => p.split(/[\\/]/).filter(Boolean).pop() ?? '';

interface Props {
  draft: Draft;
  pools: NewVmCapabilities['pools'];
  transfers: readonly Transfer[];
  onStarted: (t: Transfer) => void;
  into?: 'iso' | 'cloud';
}

export function UploadIso({ draft, pools, transfers, onStarted, into = 'iso' }: Props) {
  const t = useT();
  const api = useApi();
  const web = useBackendStore((s) => s.mode === 'web');
  const native = useBackendStore((s) => s.info?.nativeFileDialogs === true);
  const active = pools.filter((p) => p.active);
  const [poolUuid, setPoolUuid] = useState(draft.poolUuid || active[0]?.uuid || '');
  const [choice, setChoice] = useState<LocalFileChoice | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState<string | null>(null);
  const [error, setError] = useState<AppErrorShape | null>(null);
  const [starting, setStarting] = useState(false);
  const transfer = transfers.find((x) => x.transferId === draft.uploadTransferId) ?? null;
  const fromFile = baseName(web ? (file?.name ?? '') : (choice?.path ?? ''));
  const volName = name ?? fromFile;
  const pool = active.find((p) => p.uuid === poolUuid);
  const size = web ? file?.size : undefined;

  // Done: the uploaded volume is the ISO from now on (also when this step was left meanwhile).
  const current = into === 'cloud' ? draft.cloud.volume : draft.iso.volume;
  useEffect(() => {
    if (transfer?.state !== 'done' || current === transfer.volume) return;
    if (into === 'cloud') updateDraft((d) => ({ cloud: { ...d.cloud, poolUuid: transfer.poolUuid, volume: transfer.volume } }));
    else updateDraft({ iso: { mode: 'volume', poolUuid: transfer.poolUuid, volume: transfer.volume, path: '' } });
  }, [transfer, current, into]);

  const start = async () => {
    setStarting(true);
    setError(null);
    try {
      let started: Transfer;
      if (web) {
        if (!file) return;
        const r = await api.request('storage.volumes.uploadFromBrowser', { hostId: draft.hostId, poolUuid, name: volName, size: file.size, fileName: file.name });
        started = r.transfer;
        void sendFileOverSocket(r.ticket, file);
      } else {
        if (!choice) return;
        started = await api.request('storage.volumes.upload', { hostId: draft.hostId, poolUuid, name: volName, file: choice.handle });
      }
      onStarted(started);
      if (into === 'cloud') updateDraft((d) => ({ uploadTransferId: started.transferId, cloud: { ...d.cloud, volume: '' } }));
      else updateDraft({ uploadTransferId: started.transferId, iso: { mode: 'volume', poolUuid: '', volume: '', path: '' } });
    } catch (e) {
      setError(toErrorShape(e));
    } finally {
      setStarting(false);
    }
  };

  const running = transfer?.state === 'running';
  const canStart = !running && !starting && !!pool && ObjectName.safeParse(volName).success && (web ? !!file : !!choice);
  const browse = () =>
    void api.request('app.chooseFile', { mode: 'open', title: t('newvm.upload.choose') }).then(
      (r) => r.file && setChoice(r.file),
      (e: unknown) => setError(toErrorShape(e)),
    );

  return (
    <fieldset className="newvm-media" data-testid="newvm-upload">
      <legend>{into === 'cloud' ? t('newvm.cloud.uploadTitle') : t('newvm.upload.title')}</legend>
      {web ? (
        <label>
          {t('newvm.upload.file')}
          <input type="file" accept={into === 'cloud' ? '.qcow2,.img,.raw' : '.iso,application/x-iso9660-image'} disabled={running} onChange={(e) => setFile(e.target.files?.[0] ?? null)} data-testid="newvm-upload-file" />
        </label>
      ) : (
        <label>
          {t('newvm.upload.file')}
          <div className="path-row">
            <input className="mono" readOnly value={choice?.path ?? ''} placeholder="~/Downloads/installer.iso" data-testid="newvm-upload-path" />
            {native && (
              <button type="button" onClick={browse} disabled={running} data-testid="newvm-upload-browse">
                {t('storage.browse')}
              </button>
            )}
          </div>
        </label>
      )}
      <div className="form-row">
        <label>
          {t('newvm.media.pool')}
          <select value={poolUuid} onChange={(e) => setPoolUuid(e.target.value)} disabled={running} data-testid="newvm-upload-pool">
            {active.map((p) => (
              <option key={p.uuid} value={p.uuid}>
                {p.name} ({t('newvm.free', { size: formatBytes(p.available) })})
              </option>
            ))}
          </select>
        </label>
        <label className="grow">
          {t('storage.volumeName')}
          <input value={volName} onChange={(e) => setName(e.target.value)} disabled={running} spellCheck={false} data-testid="newvm-upload-name" />
        </label>
      </div>
      {size !== undefined && pool?.available != null && size > Number(pool.available) && <p className="warning">{t('newvm.upload.tooBig', { size: formatBytes(size), free: formatBytes(pool.available) })}</p>}
      <div className="form-buttons">
        <button type="button" onClick={() => void start()} disabled={!canStart} data-testid="newvm-upload-start">
          {t('storage.upload')}
        </button>
      </div>
      {transfer && <TransferList hostId={draft.hostId} transfers={[transfer]} />}
      {transfer?.state === 'done' && <p className="hint" data-testid="newvm-upload-done">{t('newvm.upload.done', { volume: transfer.volume })}</p>}
      {error && <ErrorText testId="newvm-upload-error">{formatError(t, error)}</ErrorText>}
    </fieldset>
  );
}
