/**
 * The cells a backup's row has in both lists (the VM's Backups tab and the host's): what kind it
 * is, its status, its size, and its actions. Test ids start with `testId` ("backup" or
 * "host-backup"), so each list keeps its own.
 */
import type { Backup } from '../../../../../shared/model/backup';
import { useT } from '../../../i18n/I18nProvider';
import { formatKiB } from '../../../lib/units';
import { BackupStatus } from './BackupDialogs';

export const backupSize = (bytes: number | null) => (bytes === null ? '?' : formatKiB(bytes / 1024));

export function BackupKindCell({ backup: b }: { backup: Backup }) {
  const t = useT();
  return (
    <td>
      {b.kind === 'full' ? t('backups.kind.full') : t('backups.kind.incremental', { parent: b.parent ?? '' })}
      <div className="muted">{t(`backups.method.${b.method}`)}</div>
      <BackupStatus backup={b} />
    </td>
  );
}

interface ActionsProps {
  backup: Backup;
  testId: 'backup' | 'host-backup';
  /** Finish is off while this list follows a job already. */
  busy: boolean;
  onFinish: () => void;
  onRestoreNew: () => void;
  /** Only where the VM still exists. */
  onRestoreOver?: () => void;
  onDelete: () => void;
}

export function BackupActions({ backup: b, testId, busy, onFinish, onRestoreNew, onRestoreOver, onDelete }: ActionsProps) {
  const t = useT();
  return (
    <td className="backup-actions">
      {b.status === 'running' && (
        <button type="button" disabled={busy} onClick={onFinish} data-testid={`${testId}-finish`} title={t('backups.finishHint')}>
          {t('backups.finish')}
        </button>
      )}
      <button type="button" disabled={b.status !== 'complete'} onClick={onRestoreNew} data-testid={`${testId}-restore-new`}>
        {t('backups.restoreNew')}
      </button>
      {onRestoreOver && (
        <button type="button" disabled={b.status !== 'complete'} onClick={onRestoreOver} data-testid={`${testId}-restore-over`}>
          {t('backups.restoreOver')}
        </button>
      )}
      <button type="button" onClick={onDelete} data-testid={`${testId}-delete`}>
        {t('backups.delete')}
      </button>
    </td>
  );
}
