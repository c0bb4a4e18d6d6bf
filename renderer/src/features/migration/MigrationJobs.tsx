import { useEffect, useState } from 'react';
import type { MigrationOutcome, MigrationProgress } from '../../../../shared/model/migration';
import { useApi } from '../../api/ApiProvider';
import { useT } from '../../i18n/I18nProvider';
import type { VmRef } from '../../stores/ui';
import { formatBytes } from '../storage/size';

/** The started jobs: a progress bar each (from the source's domjobinfo), Cancel, the final numbers. */
export function MigrationJobs({ jobs, onClose }: { jobs: Array<{ jobId: string; vm: VmRef }>; onClose: () => void }) {
  const t = useT();
  const api = useApi();
  const [progress, setProgress] = useState<Record<string, MigrationProgress>>({});
  const [outcomes, setOutcomes] = useState<Record<string, MigrationOutcome>>({});
  useEffect(() => {
    const offP = api.on('migration.progress', (p) => setProgress((s) => ({ ...s, [p.jobId]: p })));
    const offF = api.on('migration.finished', (o) => setOutcomes((s) => ({ ...s, [o.jobId]: o })));
    return () => (offP(), offF());
  }, [api]);
  return (
    <div className="migrate-jobs" data-testid="migrate-jobs">
      {jobs.map(({ jobId, vm }) => {
        const p = progress[jobId];
        const o = outcomes[jobId];
        const phase = o?.state ?? p?.phase ?? 'preflight';
        const total = p?.dataTotal ?? 0;
        const frac = o?.state === 'done' ? 1 : total > 0 ? (p?.dataProcessed ?? 0) / total : 0;
        return (
          <div key={jobId} className="migrate-job" data-testid={`migrate-job-${vm.name}`} data-phase={phase}>
            <div className="migrate-job-head">
              <strong>{vm.name}</strong> <span data-testid={`migrate-phase-${vm.name}`}>{t(`migration.phase.${phase}`)}</span>
              {!o && (
                <button type="button" data-testid={`migrate-cancel-${vm.name}`} onClick={() => void api.request('migration.cancel', { jobId })}>
                  {t('migration.cancelJob')}
                </button>
              )}
            </div>
            <progress max={1} value={frac} data-testid={`migrate-progress-${vm.name}`} />
            {p && !o && total > 0 && (
              <div className="migrate-figures">
                {t('migration.figures', { processed: formatBytes(p.dataProcessed ?? 0), total: formatBytes(total), rate: formatBytes(p.bandwidthBps ?? 0), eta: p.etaSeconds ?? '?' })}
              </div>
            )}
            {o?.state === 'done' && (
              <div className="migrate-figures" data-testid={`migrate-done-${vm.name}`}>
                {/* An offline move has no downtime (the VM was off), and libvirt may not report one. */}
                {o.downtimeMs === undefined
                  ? t('migration.doneFiguresNoDowntime', { seconds: o.seconds, bytes: formatBytes(o.bytes ?? 0) })
                  : t('migration.doneFigures', { seconds: o.seconds, downtime: o.downtimeMs, bytes: formatBytes(o.bytes ?? 0) })}
              </div>
            )}
            {o?.error && <div className="check error" role="alert" data-testid={`migrate-error-${vm.name}`}>{o.error}</div>}
          </div>
        );
      })}
      <div className="modal-buttons">
        <button type="button" data-testid="migrate-close" onClick={onClose}>
          {t('migration.close')}
        </button>
      </div>
    </div>
  );
}
