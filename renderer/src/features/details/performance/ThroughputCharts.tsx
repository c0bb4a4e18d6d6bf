import { useT } from '../../../i18n/I18nProvider';
import { formatRate } from '../../../lib/units';
import type { PerfHistory } from './perf-history';
import { TimeChart } from './TimeChart';

/** Disk read/write and network receive/send rates: the same pair of charts for a VM and a host. */
export function ThroughputCharts({ history, version, testIdPrefix }: { history: PerfHistory; version: number; testIdPrefix: string }) {
  const t = useT();
  return (
    <>
      <TimeChart
        title={t('details.perf.disk')}
        series={[
          { label: t('details.perf.read'), colorVar: '--accent' },
          { label: t('details.perf.write'), colorVar: '--busy' },
        ]}
        data={history.data('diskRd', 'diskWr')}
        version={version}
        format={(v) => formatRate(v)}
        testId={`${testIdPrefix}-disk`}
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
        testId={`${testIdPrefix}-net`}
      />
    </>
  );
}
