import { useEffect, useState } from 'react';
import type { LocalFileChoice } from '../../../../shared/api/app';
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
import { sendFileOverSocket, startBrowserDownload } from './browser-transfer';
import { formatBytes } from './size';

const baseName = (p: string) => p.split(/[\\/]/).filter(Boolean).pop() ?? '';

/**
 * "Browse…": this computer's native Open / Save dialog (desktop only). The backend keeps the
 * chosen path and hands back a handle; the path shown here is for reading only.
 */
function BrowseButton({ mode, title, onChoice, defaultPath }: { mode: 'open' | 'save'; title: string; onChoice: (c: LocalFileChoice) => void; defaultPath?: string }) {
  const t = useT();
  const api = useApi();
  const native = useBackendStore((s) => s.info?.nativeFileDialogs === true);
  if (!native) return null;
  const choose = () =>
    void api.request('app.chooseFile', { mode, title, ...(defaultPath ? { defaultPath } : {}) }).then(
      (r) => r.file !== null && onChoice(r.file),
      () => {},
    );
  return (
    <button type="button" data-testid={`browse-${mode}`} onClick={choose} data-autofocus>
      {t('storage.browse')}
    </button>
  );
}

/** The chosen file, shown (read-only) next to its Browse button. */
function ChosenPath({ id, choice, placeholder }: { id: string; choice: LocalFileChoice | null; placeholder: string }) {
  return <input id={id} data-testid={id} value={choice?.path ?? ''} placeholder={placeholder} readOnly spellCheck={false} />;
}

/** Upload a file of this computer into a new volume of the pool: in browser mode, the browser's file. */
export function UploadDialog(props: { hostId: string; pool: Pool; onClose: () => void; onStarted: (t: Transfer) => void }) {
  const web = useBackendStore((s) => s.mode === 'web');
  return web ? <UploadFromBrowser {...props} /> : <UploadFromChosenFile {...props} />;
}

function useVolumeName(fromFile: string) {
  const [name, setName] = useState('');
  const [touched, setTouched] = useState(false);
  return { value: touched ? name : fromFile, set: (v: string) => (setTouched(true), setName(v)) };
}

function VolumeNameField({ value, set }: { value: string; set: (v: string) => void }) {
  const t = useT();
  return (
    <>
      <label htmlFor="upload-name">{t('storage.volumeName')}</label>
      <input id="upload-name" data-testid="upload-name" value={value} onChange={(e) => set(e.target.value)} spellCheck={false} />
      <p className="hint">{t('storage.uploadHint')}</p>
    </>
  );
}

function UploadFromChosenFile({ hostId, pool, onClose, onStarted }: { hostId: string; pool: Pool; onClose: () => void; onStarted: (t: Transfer) => void }) {
  const t = useT();
  const api = useApi();
  const [choice, setChoice] = useState<LocalFileChoice | null>(null);
  const volName = useVolumeName(baseName(choice?.path ?? ''));
  const args = choice && ObjectName.safeParse(volName.value).success ? { hostId, poolUuid: pool.uuid, name: volName.value, file: choice.handle } : null;
  return (
    <ActionDialog title={t('storage.uploadTitle', { pool: pool.name })} testId="upload-dialog" request="storage.volumes.upload" args={args} confirmLabel={t('storage.upload')} onRun={async (a) => onStarted(await api.request('storage.volumes.upload', a))} onClose={onClose}>
      <label htmlFor="upload-path">{t('storage.localFile')}</label>
      <div className="path-row">
        <ChosenPath id="upload-path" choice={choice} placeholder="/home/me/Downloads/debian.iso" />
        <BrowseButton mode="open" title={t('storage.uploadTitle', { pool: pool.name })} onChoice={setChoice} />
      </div>
      <p className="hint">{t('storage.localPathDesktop')}</p>
      <VolumeNameField {...volName} />
    </ActionDialog>
  );
}

/** Browser mode: the file comes from the browser's own picker and streams over a WebSocket. */
function UploadFromBrowser({ hostId, pool, onClose, onStarted }: { hostId: string; pool: Pool; onClose: () => void; onStarted: (t: Transfer) => void }) {
  const t = useT();
  const api = useApi();
  const [file, setFile] = useState<File | null>(null);
  const volName = useVolumeName(file?.name ?? '');
  const args = file && ObjectName.safeParse(volName.value).success ? { hostId, poolUuid: pool.uuid, name: volName.value, size: file.size, fileName: file.name } : null;
  return (
    <ActionDialog
      title={t('storage.uploadTitle', { pool: pool.name })}
      testId="upload-dialog"
      request="storage.volumes.uploadFromBrowser"
      args={args}
      confirmLabel={t('storage.upload')}
      onRun={async (a) => {
        const { transfer, ticket } = await api.request('storage.volumes.uploadFromBrowser', a);
        onStarted(transfer);
        if (file) void sendFileOverSocket(ticket, file);
      }}
      onClose={onClose}
    >
      <label htmlFor="upload-file">{t('storage.localFile')}</label>
      <input id="upload-file" type="file" data-testid="upload-file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} data-autofocus />
      <p className="hint">{t('storage.browserFileHint')}</p>
      <VolumeNameField {...volName} />
    </ActionDialog>
  );
}

/** Download a volume to this computer: a .part file renamed when complete, or in browser mode a browser download. */
export function DownloadDialog(props: { hostId: string; pool: Pool; volume: Volume; onClose: () => void; onStarted: (t: Transfer) => void }) {
  const web = useBackendStore((s) => s.mode === 'web');
  return web ? <DownloadToBrowser {...props} /> : <DownloadToChosenFile {...props} />;
}

function DownloadToChosenFile({ hostId, pool, volume, onClose, onStarted }: { hostId: string; pool: Pool; volume: Volume; onClose: () => void; onStarted: (t: Transfer) => void }) {
  const t = useT();
  const api = useApi();
  const [choice, setChoice] = useState<LocalFileChoice | null>(null);
  const [overwrite, setOverwrite] = useState(false);
  const args = choice ? { hostId, poolUuid: pool.uuid, name: volume.name, file: choice.handle, overwrite } : null;
  return (
    <ActionDialog title={t('storage.downloadTitle', { name: volume.name })} testId="download-dialog" request="storage.volumes.download" args={args} confirmLabel={t('storage.volumeAction.download')} onRun={async (a) => onStarted(await api.request('storage.volumes.download', a))} onClose={onClose}>
      <label htmlFor="download-path">{t('storage.saveAs')}</label>
      <div className="path-row">
        <ChosenPath id="download-path" choice={choice} placeholder={`/home/me/${volume.name}`} />
        <BrowseButton
          mode="save"
          title={t('storage.downloadTitle', { name: volume.name })}
          defaultPath={volume.name}
          onChoice={(c) => {
            setChoice(c);
            setOverwrite(true); // the native dialog already asked before replacing a file
          }}
        />
      </div>
      <p className="hint">{t('storage.localPathDesktop')}</p>
      <p className="hint">{t('storage.downloadSize', { size: formatBytes(volume.physical ?? volume.capacity) })}</p>
      <label className="checkbox">
        <input type="checkbox" data-testid="download-overwrite" checked={overwrite} onChange={(e) => setOverwrite(e.target.checked)} />
        {t('storage.overwrite')}
      </label>
    </ActionDialog>
  );
}

/** Browser mode: the browser downloads the volume itself; progress shows here and in the browser. */
function DownloadToBrowser({ hostId, pool, volume, onClose }: { hostId: string; pool: Pool; volume: Volume; onClose: () => void }) {
  const t = useT();
  const api = useApi();
  return (
    <ActionDialog
      title={t('storage.downloadTitle', { name: volume.name })}
      testId="download-dialog"
      request="storage.volumes.downloadToBrowser"
      args={{ hostId, poolUuid: pool.uuid, name: volume.name }}
      confirmLabel={t('storage.volumeAction.download')}
      onRun={async (a) => startBrowserDownload((await api.request('storage.volumes.downloadToBrowser', a)).ticket, volume.name)}
      onClose={onClose}
    >
      <p className="hint">{t('storage.browserDownloadHint')}</p>
      <p className="hint">{t('storage.downloadSize', { size: formatBytes(volume.physical ?? volume.capacity) })}</p>
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
