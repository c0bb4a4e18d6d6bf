import { useT } from '../../i18n/I18nProvider';
import { formatKiB, formatPct, formatRate } from '../../lib/units';
import { ErrorText } from '../../components/ErrorText';
import { formatError } from '../../lib/format-error';
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
      <TimeChart
        title={t('details.perf.net')}
        series={[
          { label: t('details.perf.rx'), colorVar: '--accent' },
          { label: t('details.perf.tx'), colorVar: '--busy' },
        ]}
        data={history.data('netRx', 'netTx')}
        version={version}
        format={(v) => formatRate(v)}
        testId="host-net"
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
        testId="host-disk"
      />
    </div>
  );
}
