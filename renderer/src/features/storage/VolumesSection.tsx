import type { Pool, Volume } from '../../../../shared/model/storage';
import { ErrorText } from '../../components/ErrorText';
import { ProblemNote } from '../../components/ProblemNote';
import { useT } from '../../i18n/I18nProvider';
import { formatError } from '../../lib/format-error';
import type { AppErrorShape } from '../../../../shared/errors';
import { formatBytes } from './size';

export type VolumeCommand = 'clone' | 'resize' | 'wipe' | 'delete' | 'details' | 'download';
const COMMANDS: readonly VolumeCommand[] = ['clone', 'resize', 'wipe', 'delete', 'details', 'download'];

interface Props {
  pool: Pool;
  volumes: readonly Volume[] | null;
  error: AppErrorShape | null;
  selected: Volume | null;
  onSelect: (name: string) => void;
  onNew: () => void;
  onUpload: () => void;
  onCommand: (cmd: VolumeCommand, vol: Volume) => void;
}

export function VolumesSection({ pool, volumes, error, selected, onSelect, onNew, onUpload, onCommand }: Props) {
  const t = useT();
  const running = pool.state === 'running';
  return (
    <section className="panel-section" aria-label={t('storage.volumesOf', { pool: pool.name })} data-testid="volumes-section">
      <div className="panel-head">
        <h3>{t('storage.volumesOf', { pool: pool.name })}</h3>
        <div className="toolbar" role="toolbar" aria-label={t('storage.volumeActions')}>
          <button type="button" className="primary" data-testid="volume-new" disabled={!running} onClick={onNew}>
            {t('storage.newVolume')}
          </button>
          <button type="button" data-testid="volume-upload" disabled={!running} onClick={onUpload}>
            {t('storage.upload')}
          </button>
          {COMMANDS.map((cmd) => {
            // A base of another volume in this list is known without asking the host; the delete dialog checks every pool and VM.
            const overlays = cmd === 'delete' && selected && volumes ? volumes.filter((v) => v.backing?.path === selected.path) : [];
            const reason = overlays.length > 0 ? t('guards.volumeBaseOf', { users: overlays.map((v) => t('guards.baseOfVolume', { path: v.name })).join(t('list.separator')) }) : undefined;
            return (
              <button key={cmd} type="button" data-testid={`volume-action-${cmd}`} className={cmd === 'delete' || cmd === 'wipe' ? 'danger' : undefined} disabled={!running || !selected || reason !== undefined} title={reason} onClick={() => selected && onCommand(cmd, selected)}>
                {t(`storage.volumeAction.${cmd}`)}
              </button>
            );
          })}
        </div>
      </div>
      {!running ? (
        <p className="empty muted">{t('storage.poolNotRunning')}</p>
      ) : error ? (
        <ErrorText testId="volumes-error">{t('storage.volumesFailed', { message: formatError(t, error) })}</ErrorText>
      ) : volumes === null ? (
        <p className="muted">{t('common.loading')}</p>
      ) : volumes.length === 0 ? (
        <p className="empty muted">{t('storage.noVolumes')}</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th>{t('storage.col.name')}</th>
              <th>{t('storage.col.format')}</th>
              <th>{t('storage.col.capacity')}</th>
              <th>{t('storage.col.allocation')}</th>
              <th>{t('storage.col.path')}</th>
              <th>{t('storage.col.usedBy')}</th>
            </tr>
          </thead>
          <tbody>
            {volumes.map((v) => (
              <tr key={v.key || v.path} className={v.name === selected?.name ? 'selected' : undefined} aria-selected={v.name === selected?.name} data-testid={`volume-row-${v.name}`} onClick={() => onSelect(v.name)}>
                <td className="name">
                  <button type="button" className="link" onClick={() => onSelect(v.name)}>
                    {v.name}
                  </button>
                  <ProblemNote problems={v.problems} testId={`volume-problems-${v.name}`} />
                </td>
                <td data-testid={`volume-format-${v.name}`}>{v.format ?? v.type}</td>
                <td className="num" data-testid={`volume-capacity-${v.name}`} title={v.capacity === null ? undefined : `${v.capacity} B`}>
                  {formatBytes(v.capacity)}
                </td>
                <td className="num" data-testid={`volume-allocation-${v.name}`} title={v.allocation === null ? undefined : `${v.allocation} B`}>
                  {formatBytes(v.allocation)}
                </td>
                <td className="path">{v.path}</td>
                <td data-testid={`volume-users-${v.name}`}>{v.usedBy.length === 0 ? <span className="muted">{t('storage.unused')}</span> : v.usedBy.map((u) => `${u.name} (${u.target})`).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
