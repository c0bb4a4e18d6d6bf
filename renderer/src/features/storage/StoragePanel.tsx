import { useState } from 'react';
import type { PoolAction } from '../../../../shared/api/storage';
import type { AppErrorShape } from '../../../../shared/errors';
import type { Pool, Volume } from '../../../../shared/model/storage';
import { useApi } from '../../api/ApiProvider';
import { ErrorText } from '../../components/ErrorText';
import { useT } from '../../i18n/I18nProvider';
import { formatError, toErrorShape } from '../../lib/format-error';
import { NewPoolDialog } from './NewPoolDialog';
import { PoolActionDialog } from './PoolActionDialog';
import { CONFIRMED_POOL_ACTIONS, PoolsSection } from './PoolsSection';
import { usePreviewBeforeRun } from './preview-setting';
import { TransferList, useTransfers } from './TransferList';
import { DownloadDialog, UploadDialog, VolumeDetailsDialog } from './TransferDialogs';
import { useHostConnected, useHostData } from './use-host-data';
import { CloneVolumeDialog, DestroyVolumeDialog, NewVolumeDialog, ResizeVolumeDialog } from './VolumeDialogs';
import { VolumesSection, type VolumeCommand } from './VolumesSection';
import { XmlEditorDialog } from './xml/XmlEditorDialog';
import './storage.css';

type Dialog =
  | { kind: 'newPool' }
  | { kind: 'poolAction'; pool: Pool; action: PoolAction }
  | { kind: 'poolXml'; pool: Pool }
  | { kind: 'newVolume' }
  | { kind: 'upload' }
  | { kind: VolumeCommand; volume: Volume };

/**
 * A host's storage, as virt-manager's Connection Details show it: pools with their usage, the
 * selected pool's volumes (and which VMs use them), uploads and downloads. Mount one per host:
 * `<StoragePanel hostId={id} />`.
 */
export function StoragePanel({ hostId }: { hostId: string }) {
  const t = useT();
  const api = useApi();
  const connected = useHostConnected(hostId);
  const pools = useHostData(hostId, (a) => a.request('storage.pools.list', { hostId }), ['storage.changed']);
  const [selectedUuid, setSelectedUuid] = useState<string | null>(null);
  const pool = pools.data?.find((p) => p.uuid === selectedUuid) ?? pools.data?.[0] ?? null;
  const running = pool?.state === 'running';
  const volumes = useHostData(hostId, running && pool ? (a) => a.request('storage.volumes.list', { hostId, poolUuid: pool.uuid }) : null, ['storage.changed', 'domains.changed'], running ? pool.uuid : '');
  const [selectedVol, setSelectedVol] = useState<string | null>(null);
  const volume = volumes.data?.find((v) => v.name === selectedVol) ?? null;
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [actionError, setActionError] = useState<AppErrorShape | null>(null);
  const [busy, setBusy] = useState(false);
  const [previewFirst, setPreviewFirst] = usePreviewBeforeRun();
  const [transfers, addTransfer] = useTransfers();

  if (!connected) return <p className="empty muted" data-testid="storage-panel">{t('storage.notConnected')}</p>;

  const runPoolAction = async (p: Pool, action: PoolAction) => {
    setBusy(true);
    setActionError(null);
    try {
      await api.request('storage.pools.action', { hostId, uuid: p.uuid, action });
    } catch (e) {
      setActionError(toErrorShape(e));
    } finally {
      setBusy(false);
    }
  };
  const onPoolAction = (p: Pool, action: PoolAction) => {
    if (previewFirst || CONFIRMED_POOL_ACTIONS.has(action)) setDialog({ kind: 'poolAction', pool: p, action });
    else void runPoolAction(p, action);
  };
  const close = () => setDialog(null);

  return (
    <div className="storage-panel" data-testid="storage-panel">
      <div className="panel-head">
        <h2>{t('storage.title')}</h2>
        <label className="checkbox">
          <input type="checkbox" data-testid="preview-toggle" checked={previewFirst} onChange={(e) => setPreviewFirst(e.target.checked)} /> {t('commands.previewFirst')}
        </label>
      </div>
      {pools.error && <ErrorText testId="pools-error">{t('storage.poolsFailed', { message: formatError(t, pools.error) })}</ErrorText>}
      {actionError && (
        <ErrorText testId="storage-action-error" onDismiss={() => setActionError(null)} dismissLabel={t('common.dismiss')}>
          {formatError(t, actionError)}
        </ErrorText>
      )}
      {pools.data === null ? (
        !pools.error && <p className="muted">{t('common.loading')}</p>
      ) : (
        <PoolsSection
          pools={pools.data}
          selected={pool}
          busy={busy}
          onSelect={(uuid) => {
            setSelectedUuid(uuid);
            setSelectedVol(null);
          }}
          onAction={onPoolAction}
          onNew={() => setDialog({ kind: 'newPool' })}
          onEditXml={(p) => setDialog({ kind: 'poolXml', pool: p })}
        />
      )}
      {pool && (
        <VolumesSection
          pool={pool}
          volumes={volumes.data}
          error={volumes.error}
          selected={volume}
          onSelect={setSelectedVol}
          onNew={() => setDialog({ kind: 'newVolume' })}
          onUpload={() => setDialog({ kind: 'upload' })}
          onCommand={(cmd, v) => setDialog({ kind: cmd, volume: v })}
        />
      )}
      <TransferList hostId={hostId} transfers={transfers} />
      {dialog?.kind === 'newPool' && <NewPoolDialog hostId={hostId} onClose={close} onCreated={setSelectedUuid} />}
      {dialog?.kind === 'poolAction' && <PoolActionDialog hostId={hostId} pool={dialog.pool} action={dialog.action} previewOpen={previewFirst} onClose={close} />}
      {dialog?.kind === 'poolXml' && <XmlEditorDialog hostId={hostId} kind="pool" uuid={dialog.pool.uuid} name={dialog.pool.name} onClose={close} />}
      {pool && dialog?.kind === 'newVolume' && <NewVolumeDialog hostId={hostId} pool={pool} volumes={volumes.data ?? []} onClose={close} />}
      {pool && dialog?.kind === 'upload' && <UploadDialog hostId={hostId} pool={pool} onClose={close} onStarted={addTransfer} />}
      {pool && dialog?.kind === 'clone' && <CloneVolumeDialog hostId={hostId} pool={pool} volume={dialog.volume} onClose={close} />}
      {pool && dialog?.kind === 'resize' && <ResizeVolumeDialog hostId={hostId} pool={pool} volume={dialog.volume} onClose={close} />}
      {pool && (dialog?.kind === 'wipe' || dialog?.kind === 'delete') && <DestroyVolumeDialog hostId={hostId} pool={pool} volume={dialog.volume} kind={dialog.kind} onClose={close} />}
      {pool && dialog?.kind === 'details' && <VolumeDetailsDialog hostId={hostId} pool={pool} volume={dialog.volume} onClose={close} />}
      {pool && dialog?.kind === 'download' && <DownloadDialog hostId={hostId} pool={pool} volume={dialog.volume} onClose={close} onStarted={addTransfer} />}
    </div>
  );
}
