import { formatKiB, formatPct } from '../../../lib/units';
import { useT } from '../../../i18n/I18nProvider';
import type { PerfHistory } from './perf-history';
import { ThroughputCharts } from './ThroughputCharts';
import { TimeChart } from './TimeChart';

/** CPU, memory, disk and network of the last five minutes, from the list's own stats ticks. */
export function PerformanceTab({ history, version, running }: { history: PerfHistory; version: number; running: boolean }) {
  const t = useT();
  const memLabel = history.memSource === 'rss' ? t('details.perf.memRss') : t('details.perf.memGuest');
  return (
    <div className="perf-tab" data-testid="perf-tab">
      {!running && history.t.length === 0 && <p className="muted">{t('details.perf.notRunning')}</p>}
      <TimeChart
        title={t('details.perf.cpu')}
        series={[{ label: t('details.perf.cpuSeries'), colorVar: '--accent' }]}
        data={history.data('cpu')}
        version={version}
        format={(v) => formatPct(v)}
        yMax={100}
        testId="perf-cpu"
      />
      <TimeChart
        title={memLabel}
        series={[{ label: memLabel, colorVar: '--ok' }]}
        data={history.data('mem')}
        version={version}
        format={(v) => formatKiB(v)}
        testId="perf-mem"
      />
      <ThroughputCharts history={history} version={version} testIdPrefix="perf" />
    </div>
  );
}
