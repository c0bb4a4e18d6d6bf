import { useT } from '../../i18n/I18nProvider';
import { useHostsStore } from '../../stores/hosts';
import { openHostPage, useUiStore } from '../../stores/ui';
import { NetworksPanel } from '../networks/NetworksPanel';
import { NewVmButton } from '../new-vm';
import { StoragePanel } from '../storage/StoragePanel';
import { DevicesTab } from './DevicesTab';
import { HostBackupsTab } from './HostBackupsTab';
import { OverviewTab } from './OverviewTab';
import { pageHost } from './page-host';
import { ReadinessTab } from './ReadinessTab';
import { TuningTab } from './tuning/TuningTab';
import './hostpage.css';

/** The host page's host, as the main tabs and the page agree on it. */
export function usePageHostId(): string | null {
  const hosts = useHostsStore((s) => s.hosts);
  const active = useUiStore((s) => s.selection.hostId);
  return pageHost(hosts, active);
}

/** One connection's page: what the host is, whether it is ready, what it can pass through, its storage and networks. */
export function HostPage() {
  const t = useT();
  const hostId = usePageHostId();
  const tab = useUiStore((s) => s.hostTab);
  const hosts = useHostsStore((s) => s.hosts);
  const connected = hosts.filter((h) => h.status.state === 'connected');
  const host = hosts.find((h) => h.config.id === hostId);
  if (!hostId || !host) return <p className="main-note" data-testid="host-page-none">{t('hostpage.noneConnected')}</p>;
  return (
    <div className="host-page" data-testid={`host-page-${hostId}`}>
      <header className="host-page-header">
        <label>
          {t('hostpage.host')}{' '}
          <select value={hostId} onChange={(e) => openHostPage(e.target.value)} data-testid="host-page-picker">
            {connected.map((h) => (
              <option key={h.config.id} value={h.config.id}>
                {h.config.name}
              </option>
            ))}
          </select>
        </label>
        <span className="mono muted">{host.config.uri}</span>
        <NewVmButton hostId={hostId} testId={`host-page-newvm-${hostId}`} />
      </header>
      <div className="host-page-body" key={`${hostId}/${tab}`}>
        {tab === 'overview' && <OverviewTab hostId={hostId} />}
        {tab === 'readiness' && <ReadinessTab hostId={hostId} />}
        {tab === 'devices' && <DevicesTab hostId={hostId} />}
        {tab === 'tuning' && <TuningTab hostId={hostId} />}
        {tab === 'storage' && <StoragePanel hostId={hostId} />}
        {tab === 'networks' && <NetworksPanel hostId={hostId} />}
        {tab === 'backups' && <HostBackupsTab hostId={hostId} />}
      </div>
    </div>
  );
}
