import { useEffect } from 'react';
import { ErrorText } from '../../../components/ErrorText';
import { useT } from '../../../i18n/I18nProvider';
import { formatError } from '../../../lib/format-error';
import { useHostData } from '../../storage/use-host-data';
import { AdvisorSection } from './AdvisorSection';
import { CpuMapSection } from './CpuMapSection';
import { HugepagesSection } from './HugepagesSection';
import { KsmSection } from './KsmSection';
import { KsmtunedSection } from './KsmtunedSection';
import { RootRightsNote } from './RootRightsNote';
import './tuning-cpu.css';

const LIVE_MS = 5000;

/**
 * The host page's Tuning tab: KSM and ksmtuned, hugepages (memory), read in one pass; the CPU
 * map (pinning, memtune per VM) and the tuning advisor read their own data.
 */
export function TuningTab({ hostId }: { hostId: string }) {
  const t = useT();
  // A VM started or stopped changes hugepage use and what QEMU commits: refetch then too.
  const r = useHostData(hostId, (a) => a.request('tuning.memory', { hostId }), ['domains.changed']);
  const d = r.data;
  // Live: a new read LIVE_MS after the last one ended (re-armed, never overlapping), skipped
  // while the page is hidden; KSM's counters move while ksmd scans.
  const { reload, loading } = r;
  useEffect(() => {
    if (loading || !d) return;
    let timer: ReturnType<typeof setTimeout>;
    const tick = () => (document.hidden ? (timer = setTimeout(tick, LIVE_MS)) : reload());
    timer = setTimeout(tick, LIVE_MS);
    return () => clearTimeout(timer);
  }, [d, loading, reload]);
  const ksmKey = d ? d.ksm.files.map((f) => `${f.name}=${f.value}`).filter((s) => /^(pages_to_scan|sleep_millisecs|merge_across_nodes)=/.test(s)).join() : '';
  return (
    <div className="host-tuning" data-testid="host-tuning">
      <div className="toolbar">
        <button type="button" onClick={r.reload} disabled={r.loading} data-testid="tuning-refresh">{t('tuning.refresh')}</button>
        {d && <span className="muted" data-testid="tuning-read-ms">{t('tuning.readIn', { ms: d.readMs })}</span>}
      </div>
      {r.error && <ErrorText>{formatError(t, r.error)}</ErrorText>}
      {d && (
        <>
          <RootRightsNote rights={d.rights} />
          <div className="tuning-columns">
            <div>
              <KsmSection key={ksmKey} hostId={hostId} ksm={d.ksm} rights={d.rights} onChanged={r.reload} />
              <KsmtunedSection key={JSON.stringify(d.ksmtuned.settings)} hostId={hostId} tuned={d.ksmtuned} rights={d.rights} onChanged={r.reload} />
            </div>
            <HugepagesSection key={d.hugepages.sizes.map((s) => s.total).join()} hostId={hostId} hp={d.hugepages} onChanged={r.reload} />
          </div>
        </>
      )}
      <div className="tuning-tab" data-testid="tuning-tab">
        <CpuMapSection hostId={hostId} />
        <AdvisorSection hostId={hostId} />
      </div>
    </div>
  );
}
