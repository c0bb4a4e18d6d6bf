import { useT } from '../../i18n/I18nProvider';
import { formatKiB, formatPct } from '../../lib/units';
import { ErrorText } from '../../components/ErrorText';
import { formatError } from '../../lib/format-error';
import { ThroughputCharts } from '../details/performance/ThroughputCharts';
import { TimeChart } from '../details/performance/TimeChart';
import { useHostSamples } from './use-host-samples';

/** The host's CPU, memory, network and disk over the last five minutes, while the page is open. */
export function HostCharts({ hostId }: { hostId: string }) {
  const t = useT();
  const { history, version, error, problem } = useHostSamples(hostId);
  if (error) return <ErrorText testId="host-charts-error">{formatError(t, error)}</ErrorText>;
  return (
    <div className="perf-tab host-charts" data-testid="host-charts">
      {problem && <p className="muted" data-testid="host-charts-problem">{problem}</p>}
      <TimeChart
        title={t('hostpage.chart.cpu')}
        series={[{ label: t('hostpage.chart.cpu'), colorVar: '--accent' }]}
        data={history.data('cpu')}
        version={version}
        format={(v) => formatPct(v)}
        yMax={100}
        testId="host-cpu"
      />
      <TimeChart
        title={t('hostpage.chart.mem')}
        series={[{ label: t('hostpage.chart.mem'), colorVar: '--ok' }]}
        data={history.data('mem')}
        version={version}
        format={(v) => formatKiB(v)}
        testId="host-mem"
      />
      <ThroughputCharts history={history} version={version} testIdPrefix="host" />
    </div>
  );
}
