/**
 * The Backups tab: the VM's backups (every active directory pool), Back up with progress and
 * Cancel, Restore as new / over, Delete; and the older save/restore of the running state to a
 * file, next to them so users find both. A backup's end fires no libvirt event: the tab reloads
 * after each of its own actions and each time it is shown.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { RequestArgs } from '../../../../../shared/contract';
import type { AppErrorShape } from '../../../../../shared/errors';
import type { Backup, BackupOptions, BackupProgress } from '../../../../../shared/model/backup';
import { useApi } from '../../../api/ApiProvider';
import { ErrorText } from '../../../components/ErrorText';
import { useT } from '../../../i18n/I18nProvider';
import { formatError, toErrorShape } from '../../../lib/format-error';
import { openDomainDialog } from '../../../stores/ui';
import { useReloadOnDomainsChanged } from '../use-domains-changed';
import { CreateBackupDialog, DeleteBackupDialog, RestoreNewDialog, RestoreOverDialog } from './BackupDialogs';
import { BackupActions, BackupKindCell, backupSize as size } from './BackupCells';
import './backups.css';

type Open = { kind: 'create' } | { kind: 'new' | 'over' | 'delete'; backup: Backup } | null;

export function BackupsTab({ hostId, uuid, name, running }: { hostId: string; uuid: string; name: string; running: boolean }) {
  const t = useT();
  const api = useApi();
  const [backups, setBackups] = useState<Backup[] | null>(null);
  const [options, setOptions] = useState<BackupOptions | null>(null);
  const [error, setError] = useState<AppErrorShape | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [open, setOpen] = useState<Open>(null);
  const [progress, setProgress] = useState<BackupProgress | null>(null);
  const seq = useRef(0);
  /** A create request of this tab is in flight: progress may not be registered yet (planning) or already gone (storing the manifest). */
  const pending = useRef(false);

  const reload = useCallback(async () => {
    const mine = ++seq.current;
    try {
      const [b, o, p] = await Promise.all([api.request('backups.list', { hostId, uuid }), api.request('backups.options', { hostId, uuid }), api.request('backups.progress', { hostId, uuid })]);
      if (mine !== seq.current) return;
      setBackups(b);
      setOptions(o);
      setProgress(p);
      setError(null);
    } catch (e) {
      if (mine === seq.current) setError(toErrorShape(e));
    }
  }, [api, hostId, uuid]);
  useEffect(() => void reload(), [reload]);
  useReloadOnDomainsChanged(api, hostId, reload);

  // While a backup runs (started here or before the tab was shown), poll its progress.
  useEffect(() => {
    if (!progress) return;
    let live = true;
    const timer = setTimeout(async () => {
      const p = await api.request('backups.progress', { hostId, uuid }).catch(() => null);
      if (!live) return;
      if (p || !pending.current) setProgress(p);
      else setProgress((old) => (old ? { ...old } : old)); // keep polling until the request settles
      if (!p && !pending.current) void reload();
    }, 400);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, hostId, uuid, progress, reload]);

  const start = (a: RequestArgs<'backups.create'>) => follow(api.request('backups.create', a));
  /** A backup whose job outlived its app: followed here to its end (progress and cancel as for a new one). */
  const finish = (b: Backup) => follow(api.request('backups.finish', { hostId, uuid, pool: b.pool, id: b.id }));
  const follow = (run: Promise<Backup>) => {
    setNotice(null);
    setError(null);
    pending.current = true;
    // The job registers as soon as it is planned; show it from then on.
    setProgress({ id: '…', phase: 'copying', processed: 0, total: 0 } as BackupProgress);
    run.then(
      (b) => setNotice(t('backups.done', { id: b.id, pool: b.pool })),
      (e: unknown) => setError(toErrorShape(e)),
    ).finally(() => {
      pending.current = false;
      setProgress(null);
      void reload();
    });
  };
  const close = () => setOpen(null);
  const pools = options?.pools ?? [];

  return (
    <section className="backups-tab" data-testid="backups-tab">
      <div className="backups-toolbar">
        <button type="button" className="primary" disabled={!options || options.pools.length === 0 || progress !== null} onClick={() => setOpen({ kind: 'create' })} data-testid="backup-create">
          {t('backups.create')}
        </button>
        <button type="button" onClick={() => void reload()} data-testid="backup-refresh">
          {t('backups.refresh')}
        </button>
        <span className="spacer" />
        <button type="button" disabled={!running} onClick={() => openDomainDialog({ kind: 'savefile', hostId, vm: { uuid, name } })} data-testid="backup-savefile">
          {t('backups.saveFile')}
        </button>
        <button type="button" onClick={() => openDomainDialog({ kind: 'restorefile', hostId })} data-testid="backup-restorefile">
          {t('backups.restoreFile')}
        </button>
      </div>
      <p className="muted hint">{t('backups.saveHint')}</p>
      {progress && (
        <div className="backup-progress" data-testid="backup-progress" data-phase={progress.phase}>
          <span>
            {progress.phase === 'cancelling'
              ? t('backups.cancelling', { id: progress.id })
              : t('backups.progress', { id: progress.id, done: size(progress.processed), total: size(progress.total) })}
          </span>
          <progress max={progress.total || 1} value={progress.processed} />
          <button type="button" disabled={progress.phase !== 'copying' && progress.phase !== 'preparing'} onClick={() => void api.request('backups.cancel', { hostId, uuid })} data-testid="backup-cancel">
            {t('backups.cancel')}
          </button>
        </div>
      )}
      {error && <ErrorText testId="backups-error">{formatError(t, error)}</ErrorText>}
      {notice && (
        <p className="ok-text" data-testid="backups-notice">
          {notice}
        </p>
      )}
      {backups === null && !error && <p className="muted">{t('common.loading')}</p>}
      {backups?.length === 0 && <p className="muted">{t('backups.empty')}</p>}
      {backups && backups.length > 0 && (
        <table className="backups-table" data-testid="backups-table">
          <thead>
            <tr>
              <th>{t('backups.col.when')}</th>
              <th>{t('backups.col.kind')}</th>
              <th>{t('backups.col.pool')}</th>
              <th>{t('backups.col.disks')}</th>
              <th>{t('backups.col.size')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {backups.map((b) => (
              <tr key={`${b.pool}/${b.id}`} data-testid="backup-row" data-id={b.id} data-status={b.status}>
                <td title={b.id}>{new Date(b.createdAt).toLocaleString()}</td>
                <BackupKindCell backup={b} />
                <td>{b.pool}</td>
                <td className="mono">{b.disks.map((d) => d.target).join(', ')}</td>
                <td>{size(b.allocation)}</td>
                <BackupActions
                  backup={b}
                  testId="backup"
                  busy={progress !== null}
                  onFinish={() => finish(b)}
                  onRestoreNew={() => setOpen({ kind: 'new', backup: b })}
                  onRestoreOver={() => setOpen({ kind: 'over', backup: b })}
                  onDelete={() => setOpen({ kind: 'delete', backup: b })}
                />
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {open?.kind === 'create' && options && <CreateBackupDialog hostId={hostId} uuid={uuid} name={name} options={options} onStart={start} onClose={close} />}
      {open?.kind === 'new' && (
        <RestoreNewDialog hostId={hostId} uuid={uuid} backup={open.backup} pools={pools} onDone={(n) => (setNotice(n), void reload())} onClose={close} />
      )}
      {open?.kind === 'over' && (
        <RestoreOverDialog
          hostId={hostId}
          uuid={uuid}
          name={name}
          running={running}
          backup={open.backup}
          pools={pools}
          onDone={(kept) => (setNotice(t('backups.restoreOver.kept', { files: kept.join(', ') })), void reload())}
          onClose={close}
        />
      )}
      {open?.kind === 'delete' && <DeleteBackupDialog hostId={hostId} uuid={uuid} backup={open.backup} onDone={() => void reload()} onClose={close} />}
    </section>
  );
}
