import { useEffect, useState } from 'react';
import type { Pool, Transfer, Volume, VolumeDetails } from '../../../../shared/model/storage';
import { ObjectName } from '../../../../shared/model/storage';
import type { AppErrorShape } from '../../../../shared/errors';
import { useApi } from '../../api/ApiProvider';
import { ErrorText } from '../../components/ErrorText';
import { Modal } from '../../components/Modal';
import { useT } from '../../i18n/I18nProvider';
import { formatError, toErrorShape } from '../../lib/format-error';
import { useBackendStore } from '../../stores/backend';
import { ActionDialog } from '../activity/ActionDialog';
import { formatBytes } from './size';

const isAbsolute = (p: string) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p);
const baseName = (p: string) => p.split(/[\\/]/).filter(Boolean).pop() ?? '';

/** Where "this computer" is: in browser mode the files are on the machine running the backend. */
function LocalHint() {
  const t = useT();
  const web = useBackendStore((s) => s.mode === 'web');
  return <p className="hint">{web ? t('storage.localPathWeb') : t('storage.localPathDesktop')}</p>;
}

/** Upload a file of this computer into a new volume of the pool. */
export function UploadDialog({ hostId, pool, onClose, onStarted }: { hostId: string; pool: Pool; onClose: () => void; onStarted: (t: Transfer) => void }) {
  const t = useT();
  const api = useApi();
  const [localPath, setLocalPath] = useState('');
  const [name, setName] = useState('');
  const [nameTouched, setNameTouched] = useState(false);
  const volName = nameTouched ? name : baseName(localPath);
  const args = isAbsolute(localPath) && ObjectName.safeParse(volName).success ? { hostId, poolUuid: pool.uuid, name: volName, localPath } : null;
  return (
    <ActionDialog title={t('storage.uploadTitle', { pool: pool.name })} testId="upload-dialog" request="storage.volumes.upload" args={args} confirmLabel={t('storage.upload')} onRun={async (a) => onStarted(await api.request('storage.volumes.upload', a))} onClose={onClose}>
      <label htmlFor="upload-path">{t('storage.localFile')}</label>
      <input id="upload-path" data-testid="upload-path" value={localPath} placeholder="/home/me/Downloads/debian.iso" onChange={(e) => setLocalPath(e.target.value)} spellCheck={false} data-autofocus />
      <LocalHint />
      <label htmlFor="upload-name">{t('storage.volumeName')}</label>
      <input
        id="upload-name"
        data-testid="upload-name"
        value={volName}
        onChange={(e) => {
          setNameTouched(true);
          setName(e.target.value);
        }}
        spellCheck={false}
      />
      <p className="hint">{t('storage.uploadHint')}</p>
    </ActionDialog>
  );
}

/** Download a volume to a file of this computer (written as .part, renamed when complete). */
export function DownloadDialog({ hostId, pool, volume, onClose, onStarted }: { hostId: string; pool: Pool; volume: Volume; onClose: () => void; onStarted: (t: Transfer) => void }) {
  const t = useT();
  const api = useApi();
  const [localPath, setLocalPath] = useState('');
  const [overwrite, setOverwrite] = useState(false);
  const args = isAbsolute(localPath) ? { hostId, poolUuid: pool.uuid, name: volume.name, localPath, overwrite } : null;
  return (
    <ActionDialog title={t('storage.downloadTitle', { name: volume.name })} testId="download-dialog" request="storage.volumes.download" args={args} confirmLabel={t('storage.volumeAction.download')} onRun={async (a) => onStarted(await api.request('storage.volumes.download', a))} onClose={onClose}>
      <label htmlFor="download-path">{t('storage.saveAs')}</label>
      <input id="download-path" data-testid="download-path" value={localPath} placeholder={`/home/me/${volume.name}`} onChange={(e) => setLocalPath(e.target.value)} spellCheck={false} data-autofocus />
      <LocalHint />
      <p className="hint">{t('storage.downloadSize', { size: formatBytes(volume.physical ?? volume.capacity) })}</p>
      <label className="checkbox">
        <input type="checkbox" data-testid="download-overwrite" checked={overwrite} onChange={(e) => setOverwrite(e.target.checked)} />
        {t('storage.overwrite')}
      </label>
    </ActionDialog>
  );
}

/** `qemu-img info` of the volume's image chain (read-only). */
export function VolumeDetailsDialog({ hostId, pool, volume, onClose }: { hostId: string; pool: Pool; volume: Volume; onClose: () => void }) {
  const t = useT();
  const api = useApi();
  const [details, setDetails] = useState<VolumeDetails | null>(null);
  const [error, setError] = useState<AppErrorShape | null>(null);
  useEffect(() => {
    let current = true;
    api.request('storage.volumes.details', { hostId, poolUuid: pool.uuid, name: volume.name }).then(
      (d) => current && setDetails(d),
      (e: unknown) => current && setError(toErrorShape(e)),
    );
    return () => {
      current = false;
    };
  }, [api, hostId, pool.uuid, volume.name]);
  return (
    <Modal title={t('storage.detailsTitle', { name: volume.name })} onCancel={onClose} testId="details-dialog" className="action-dialog">
      <dl className="kv">
        <dt>{t('storage.col.path')}</dt>
        <dd className="mono">{volume.path}</dd>
        <dt>{t('storage.col.format')}</dt>
        <dd>{volume.format ?? volume.type}</dd>
        <dt>{t('storage.col.capacity')}</dt>
        <dd>{formatBytes(volume.capacity)}</dd>
        <dt>{t('storage.col.allocation')}</dt>
        <dd>{formatBytes(volume.allocation)}</dd>
        {volume.backing && (
          <>
            <dt>{t('storage.backing')}</dt>
            <dd className="mono">{volume.backing.path}</dd>
          </>
        )}
      </dl>
      <h3>{t('storage.qemuImg')}</h3>
      {error ? (
        <ErrorText>{formatError(t, error)}</ErrorText>
      ) : !details ? (
        <p className="muted">{t('common.loading')}</p>
      ) : !details.available ? (
        <p className="warning" data-testid="details-unavailable">
          {t('storage.qemuImgUnavailable', { reason: details.reason })}
        </p>
      ) : (
        <ol data-testid="details-chain">
          {details.chain.map((img, i) => (
            <li key={i}>
              <dl className="kv">
                <dt>{t('storage.image')}</dt>
                <dd className="mono">{img.filename}</dd>
                <dt>{t('storage.col.format')}</dt>
                <dd>{img.format}</dd>
                <dt>{t('storage.virtualSize')}</dt>
                <dd>{formatBytes(img.virtualSize)}</dd>
                <dt>{t('storage.actualSize')}</dt>
                <dd>{formatBytes(img.actualSize)}</dd>
                {img.backingFilename && (
                  <>
                    <dt>{t('storage.backing')}</dt>
                    <dd className="mono">{img.backingFilename}</dd>
                  </>
                )}
                <dt>{t('storage.snapshots')}</dt>
                <dd>{img.snapshots.length === 0 ? t('storage.none') : img.snapshots.map((s) => `${s.name} (${s.date ?? s.id})`).join(', ')}</dd>
              </dl>
            </li>
          ))}
        </ol>
      )}
      <div className="modal-buttons">
        <button type="button" onClick={onClose} data-autofocus>
          {t('common.close')}
        </button>
      </div>
    </Modal>
  );
}
