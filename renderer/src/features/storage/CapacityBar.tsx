import { useT } from '../../i18n/I18nProvider';
import { formatBytes, usedPct } from './size';

/** Allocation of capacity as a bar, with the numbers; nothing known for inactive pools. */
export function CapacityBar({ allocation, capacity, available, testId }: { allocation: string | null; capacity: string | null; available: string | null; testId?: string }) {
  const t = useT();
  const pct = usedPct(allocation, capacity);
  if (pct === null) return <span className="muted">{t('storage.sizeUnknown')}</span>;
  const level = pct >= 95 ? ' full' : pct >= 80 ? ' high' : '';
  return (
    <div className="capacity" data-testid={testId}>
      <div className="capacity-bar" role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(pct)} aria-label={t('storage.usage')}>
        <div className={`capacity-fill${level}`} style={{ width: `${pct}%` }} />
      </div>
      <span className="capacity-text" title={`${allocation ?? '?'} / ${capacity ?? '?'} B, ${available ?? '?'} B free`}>{t('storage.usageText', { used: formatBytes(allocation), total: formatBytes(capacity), free: formatBytes(available) })}</span>
    </div>
  );
}
