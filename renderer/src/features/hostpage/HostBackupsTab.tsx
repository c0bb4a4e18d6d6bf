/**
 * The host's Backups tab: every Virtdeck backup in the host's active directory pools, also of VMs
 * deleted since (their VM page is gone, so this is their only way back), with Restore as new VM
 * and Delete (the same dialogs and requests as the VM's Backups tab; `uuid` is the backup's VM).
 * Reloads after each action and when shown: a backup's end fires no libvirt event.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppErrorShape } from '../../../../shared/errors';
import type { HostBackup, HostBackups } from '../../../../shared/model/backup';
import { useApi } from '../../api/ApiProvider';
import { ErrorText } from '../../components/ErrorText';
import { useT } from '../../i18n/I18nProvider';
import { formatError, toErrorShape } from '../../lib/format-error';
import { BackupActions, BackupKindCell, backupSize as size } from '../details/backups/BackupCells';
import { DeleteBackupDialog, RestoreNewDialog } from '../details/backups/BackupDialogs';
import '../details/backups/backups.css';

type Open = { kind: 'new' | 'delete'; backup: HostBackup } | null;

export function HostBackupsTab({ hostId }: { hostId: string }) {
  const t = useT();
  const api = useApi();
  const [data, setData] = useState<HostBackups | null>(null);
  const [error, setError] = useState<AppErrorShape | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [open, setOpen] = useState<Open>(null);
  const seq = useRef(0);

  const reload = useCallback(async () => {
    const mine = ++seq.current;
    try {
      const d = await api.request('backups.listHost', { hostId });
      if (mine !== seq.current) return;
      setData(d);
      setError(null);
    } catch (e) {
      if (mine === seq.current) setError(toErrorShape(e));
    }
  }, [api, hostId]);
  useEffect(() => void reload(), [reload]);
  const close = () => setOpen(null);
  const [finishing, setFinishing] = useState<string | null>(null);
  /** A backup whose job outlived its app: followed to its end (the VM's tab shows its progress). */
  const finish = (b: HostBackup) => {
    setFinishing(`${b.pool}/${b.id}`);
    setError(null);
    api
      .request('backups.finish', { hostId, uuid: b.vm.uuid, pool: b.pool, id: b.id })
      .then(
        (done) => setNotice(t('backups.done', { id: done.id, pool: done.pool })),
        (e: unknown) => setError(toErrorShape(e)),
      )
      .finally(() => (setFinishing(null), void reload()));
  };

  return (
    <section className="backups-tab" data-testid="host-backups-tab">
      <div className="backups-toolbar">
        <p className="muted hint">{t('hostbackups.intro')}</p>
        <span className="spacer" />
        <button type="button" onClick={() => void reload()} data-testid="host-backups-refresh">
          {t('backups.refresh')}
        </button>
      </div>
      {error && <ErrorText testId="host-backups-error">{formatError(t, error)}</ErrorText>}
      {notice && (
        <p className="ok-text" data-testid="host-backups-notice">
          {notice}
        </p>
      )}
      {data === null && !error && <p className="muted">{t('common.loading')}</p>}
      {data?.backups.length === 0 && <p className="muted">{t('hostbackups.empty')}</p>}
      {data && data.backups.length > 0 && (
        <table className="backups-table" data-testid="host-backups-table">
          <thead>
            <tr>
              <th>{t('hostbackups.col.vm')}</th>
              <th>{t('backups.col.when')}</th>
              <th>{t('backups.col.kind')}</th>
              <th>{t('backups.col.pool')}</th>
              <th>{t('backups.col.size')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {data.backups.map((b) => (
              <tr key={`${b.pool}/${b.vm.uuid}/${b.id}`} data-testid="host-backup-row" data-id={b.id} data-vm={b.vm.uuid} data-status={b.status}>
                <td>
                  {b.vm.name || b.vm.uuid}
                  {!b.vmDefined && <div className="note" data-testid="host-backup-deleted">{t('hostbackups.deletedVm')}</div>}
                </td>
                <td title={b.id}>{new Date(b.createdAt).toLocaleString()}</td>
                <BackupKindCell backup={b} />
                <td>{b.pool}</td>
                <td>{size(b.allocation)}</td>
                <BackupActions
                  backup={b}
                  testId="host-backup"
                  busy={finishing !== null}
                  onFinish={() => finish(b)}
                  onRestoreNew={() => setOpen({ kind: 'new', backup: b })}
                  onDelete={() => setOpen({ kind: 'delete', backup: b })}
                />
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {open?.kind === 'new' && data && (
        <RestoreNewDialog hostId={hostId} uuid={open.backup.vm.uuid} backup={open.backup} pools={data.pools} onDone={(n) => (setNotice(n), void reload())} onClose={close} />
      )}
      {open?.kind === 'delete' && <DeleteBackupDialog hostId={hostId} uuid={open.backup.vm.uuid} backup={open.backup} onDone={() => void reload()} onClose={close} />}
    </section>
  );
}
