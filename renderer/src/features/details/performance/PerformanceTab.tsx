import { formatKiB, formatPct, formatRate } from '../../../lib/units';
import { useT } from '../../../i18n/I18nProvider';
import type { PerfHistory } from './perf-history';
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
      <TimeChart
        title={t('details.perf.disk')}
        series={[
          { label: t('details.perf.read'), colorVar: '--accent' },
          { label: t('details.perf.write'), colorVar: '--busy' },
        ]}
        data={history.data('diskRd', 'diskWr')}
        version={version}
        format={(v) => formatRate(v)}
        testId="perf-disk"
      />
      <TimeChart
        title={t('details.perf.net')}
        series={[
          { label: t('details.perf.rx'), colorVar: '--accent' },
          { label: t('details.perf.tx'), colorVar: '--busy' },
        ]}
        data={history.data('netRx', 'netTx')}
        version={version}
        format={(v) => formatRate(v)}
        testId="perf-net"
      />
    </div>
  );
}
