/** The Backups tab's dialogs: Back up, Restore as new, Restore over, Delete. Each shows its virsh commands. */
import { useId, useState } from 'react';
import type { RequestArgs } from '../../../../../shared/contract';
import type { Backup, BackupOptions } from '../../../../../shared/model/backup';
import { useApi } from '../../../api/ApiProvider';
import { useT } from '../../../i18n/I18nProvider';
import { formatKiB } from '../../../lib/units';
import { ActionDialog } from '../../activity/ActionDialog';

const size = (bytes: number | null) => (bytes === null ? '?' : formatKiB(bytes / 1024));

function PoolSelect({ pools, value, onChange, label, testId }: { pools: BackupOptions['pools']; value: string; onChange: (p: string) => void; label: string; testId: string }) {
  const id = useId();
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        {pools.map((p) => (
          <option key={p.name} value={p.name}>
            {p.name} ({p.path}, {size(p.available)} free)
          </option>
        ))}
      </select>
    </>
  );
}

interface VmProps {
  hostId: string;
  uuid: string;
  name: string;
  options: BackupOptions;
  onClose: () => void;
}

/** Starts the backup and closes: the tab shows its progress and the cancel button. */
export function CreateBackupDialog({ hostId, uuid, name, options, onStart, onClose }: VmProps & { onStart: (a: RequestArgs<'backups.create'>) => void }) {
  const t = useT();
  const [pool, setPool] = useState(options.pools[0]?.name ?? '');
  const [incremental, setIncremental] = useState(options.incremental.ok);
  return (
    <ActionDialog
      title={t('backups.create.title', { name })}
      request="backups.create"
      args={pool ? { hostId, uuid, pool, incremental } : null}
      confirmLabel={t('backups.create.run')}
      testId="backup-create-dialog"
      onRun={async (a) => onStart(a)}
      onClose={onClose}
    >
      <p>{t('backups.method', { method: t(`backups.method.${options.method}`) })}</p>
      <PoolSelect pools={options.pools} value={pool} onChange={setPool} label={t('backups.pool')} testId="backup-pool" />
      <ul className="backup-disks">
        {options.disks.map((d) => (
          <li key={d.target} className="mono">
            {t('backups.diskLine', { target: d.target, source: d.source, format: d.format, size: size(d.capacity) })}
          </li>
        ))}
        {options.skipped.map((s) => (
          <li key={s.target} className="muted">
            {t('backups.skipped', s)}
          </li>
        ))}
      </ul>
      {options.incremental.ok ? (
        <label className="checkbox">
          <input type="checkbox" checked={incremental} onChange={(e) => setIncremental(e.target.checked)} data-testid="backup-incremental" />
          {t('backups.incremental', { parent: options.incremental.parent ?? '' })}
        </label>
      ) : (
        <p className="muted" data-testid="backup-incremental-off">
          {t('backups.incrementalOff', { reason: options.incremental.reason ?? '' })}
        </p>
      )}
      {!options.checkpoint.ok && <p className="muted">{t('backups.checkpointOff', { reason: options.checkpoint.reason ?? '' })}</p>}
    </ActionDialog>
  );
}

interface BackupProps {
  hostId: string;
  uuid: string;
  backup: Backup;
  onClose: () => void;
}

export function RestoreNewDialog({ hostId, uuid, backup, pools, onDone, onClose }: BackupProps & { pools: BackupOptions['pools']; onDone: (name: string) => void }) {
  const t = useT();
  const api = useApi();
  const id = useId();
  const [name, setName] = useState(`${backup.vm.name}-restored`);
  const [targetPool, setTargetPool] = useState(backup.pool);
  const ok = name.trim() !== '' && !name.includes('/');
  return (
    <ActionDialog
      title={t('backups.restoreNew.title', { id: backup.id })}
      request="backups.restoreAsNew"
      args={ok ? { hostId, uuid, pool: backup.pool, id: backup.id, name, targetPool } : null}
      confirmLabel={t('backups.restoreNew.run')}
      testId="backup-restore-new-dialog"
      onRun={async (a) => onDone((await api.request('backups.restoreAsNew', a)).name)}
      onClose={onClose}
    >
      <label htmlFor={id}>{t('backups.restoreNew.name')}</label>
      <input id={id} value={name} onChange={(e) => setName(e.target.value)} data-testid="backup-restore-name" data-autofocus />
      <p className="hint">{t('backups.restoreNew.hint')}</p>
      <PoolSelect pools={pools} value={targetPool} onChange={setTargetPool} label={t('backups.targetPool')} testId="backup-restore-pool" />
    </ActionDialog>
  );
}

export function RestoreOverDialog({ hostId, uuid, name, running, backup, pools, onDone, onClose }: BackupProps & { name: string; running: boolean; pools: BackupOptions['pools']; onDone: (kept: string[]) => void }) {
  const t = useT();
  const api = useApi();
  const [targetPool, setTargetPool] = useState(backup.pool);
  const [confirm, setConfirm] = useState(false);
  return (
    <ActionDialog
      title={t('backups.restoreOver.title', { name, id: backup.id })}
      request="backups.restoreOver"
      args={confirm && !running ? { hostId, uuid, pool: backup.pool, id: backup.id, targetPool, confirm: true } : null}
      danger
      confirmLabel={t('backups.restoreOver.run')}
      testId="backup-restore-over-dialog"
      onRun={async (a) => onDone((await api.request('backups.restoreOver', a)).kept)}
      onClose={onClose}
    >
      <p>{t('backups.restoreOver.lost', { when: new Date(backup.createdAt).toLocaleString() })}</p>
      {running && <p className="note">{t('backups.restoreOver.stopFirst')}</p>}
      <PoolSelect pools={pools} value={targetPool} onChange={setTargetPool} label={t('backups.targetPool')} testId="backup-over-pool" />
      <label className="checkbox">
        <input type="checkbox" checked={confirm} onChange={(e) => setConfirm(e.target.checked)} data-testid="backup-over-confirm" />
        {t('backups.restoreOver.confirm')}
      </label>
    </ActionDialog>
  );
}

/** A backup that is not complete says so (a complete one shows nothing). */
export function BackupStatus({ backup }: { backup: Backup }) {
  const t = useT();
  if (backup.status === 'complete') return null;
  return (
    <div className="note backup-status" data-testid="backup-status" title={t(backup.status === 'running' ? 'backups.status.runningHint' : 'backups.status.interruptedHint')}>
      {t(backup.status === 'running' ? 'backups.status.running' : 'backups.status.interrupted')}
    </div>
  );
}

export function DeleteBackupDialog({ hostId, uuid, backup, onDone, onClose }: BackupProps & { onDone: () => void }) {
  const t = useT();
  const api = useApi();
  const blocked = backup.children.length > 0;
  return (
    <ActionDialog
      title={t('backups.delete.title', { id: backup.id })}
      request="backups.delete"
      args={blocked ? null : { hostId, uuid, pool: backup.pool, id: backup.id }}
      danger
      confirmLabel={t('backups.delete.run')}
      testId="backup-delete-dialog"
      onRun={async (a) => (await api.request('backups.delete', a), onDone())}
      onClose={onClose}
    >
      {blocked ? (
        <p className="note">{t('backups.delete.children', { ids: backup.children.join(', ') })}</p>
      ) : (
        <p>{t('backups.delete.files', { pool: backup.pool, files: [...backup.disks.map((d) => d.volume), backup.manifestVolume].join(', ') })}</p>
      )}
      {backup.status === 'running' && <p className="note">{t('backups.delete.abort')}</p>}
    </ActionDialog>
  );
}
