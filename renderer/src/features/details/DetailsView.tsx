/**
 * A VM's details: Overview, Performance, Hardware, Snapshots and XML tabs over one loaded DomainDetails.
 * It refetches on the host's `domains.changed` invalidations (lifecycle events, edits made
 * here or elsewhere) and after its own edits; nothing is patched from event data.
 */
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { AppErrorShape } from '../../../../shared/errors';
import type { DomainDetails } from '../../../../shared/model/details';
import { useApi } from '../../api/ApiProvider';
import { ErrorText } from '../../components/ErrorText';
import { useT } from '../../i18n/I18nProvider';
import { useReloadOnDomainsChanged } from './use-domains-changed';
import { formatError, toErrorShape } from '../../lib/format-error';
import { HardwareTab } from './hardware/HardwareTab';
import { OverviewTab } from './overview/OverviewTab';
import { PerformanceTab } from './performance/PerformanceTab';
import { SnapshotsTab } from './snapshots/SnapshotsTab';
import { BackupsTab } from './backups/BackupsTab';
import { usePerfHistory } from './performance/use-perf-history';
import { XmlTab } from './xml/XmlTab';
import { HugepageFitNote } from '../hostpage/tuning/HugepageFitNote';
import './details.css';

export type DetailsTab = 'overview' | 'performance' | 'hardware' | 'snapshots' | 'backups' | 'xml';
const TABS: DetailsTab[] = ['overview', 'performance', 'hardware', 'snapshots', 'backups', 'xml'];

export interface DetailsViewProps {
  hostId: string;
  uuid: string;
  onClose: () => void;
  initialTab?: DetailsTab;
  /** A bar under the header for whoever opened the details with a task (e.g. the New VM wizard's "Begin installation"). */
  banner?: ReactNode;
}

export function DetailsView({ hostId, uuid, onClose, initialTab = 'overview', banner }: DetailsViewProps) {
  const t = useT();
  const api = useApi();
  const [details, setDetails] = useState<DomainDetails | null>(null);
  const [error, setError] = useState<AppErrorShape | null>(null);
  const [tab, setTab] = useState<DetailsTab>(initialTab);
  const { history, version } = usePerfHistory(hostId, uuid);
  const seq = useRef(0);

  const reload = useCallback(async () => {
    const mine = ++seq.current;
    try {
      const d = await api.request('details.get', { hostId, uuid });
      if (mine === seq.current) {
        setDetails(d);
        setError(null);
      }
    } catch (e) {
      if (mine === seq.current) setError(toErrorShape(e));
    }
  }, [api, hostId, uuid]);

  useEffect(() => {
    setDetails(null);
    void reload();
  }, [hostId, uuid, reload]);
  useReloadOnDomainsChanged(api, hostId, reload);

  const onKey = (e: React.KeyboardEvent) => {
    if (e.key === 'Escape' && !(e.target instanceof HTMLElement && e.target.closest('.cm-editor, dialog'))) onClose();
  };
  const running = details?.live != null;

  return (
    <section className="details-view" data-testid="details-view" data-uuid={uuid} onKeyDown={onKey} aria-label={details?.name ?? uuid}>
      <header className="details-header">
        <h2 className="details-title" data-testid="details-name">
          {details?.name ?? '…'}
        </h2>
        {details && (
          <span className="details-state" data-testid="details-state" data-state={details.state}>
            {t(`domainState.${details.state}`)}
          </span>
        )}
        {details?.config.title && <span className="muted details-subtitle">{details.config.title}</span>}
        <span className="spacer" />
        <button type="button" onClick={onClose} data-testid="details-close">
          {t('details.close')}
        </button>
      </header>
      {banner}
      {details && (details.state === 'shutoff' || details.state === 'crashed') && <HugepageFitNote hostId={hostId} uuid={uuid} state={details.state} />}
      <div className="details-tabs" role="tablist">
        {TABS.map((id) => (
          <button key={id} type="button" role="tab" aria-selected={tab === id} className={tab === id ? 'tab selected' : 'tab'} onClick={() => setTab(id)} data-testid={`details-tab-${id}`}>
            {t(`details.tab.${id}`)}
          </button>
        ))}
      </div>
      <div className="details-body" role="tabpanel">
        {error && <ErrorText testId="details-error">{formatError(t, error)}</ErrorText>}
        {!details && !error && <p className="muted">{t('common.loading')}</p>}
        {details && tab === 'overview' && <OverviewTab hostId={hostId} details={details} history={history} onChanged={() => void reload()} />}
        {tab === 'performance' && <PerformanceTab history={history} version={version} running={running} />}
        {details && tab === 'hardware' && <HardwareTab hostId={hostId} details={details} onChanged={() => void reload()} />}
        {tab === 'snapshots' && <SnapshotsTab hostId={hostId} uuid={uuid} />}
        {details && tab === 'backups' && <BackupsTab hostId={hostId} uuid={uuid} name={details.name} running={running} />}
        {details && tab === 'xml' && <XmlTab hostId={hostId} uuid={uuid} etag={details.etag} running={running} onApplied={() => void reload()} />}
      </div>
    </section>
  );
}
