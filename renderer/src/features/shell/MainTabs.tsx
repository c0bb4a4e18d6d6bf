import { useT } from '../../i18n/I18nProvider';
import type { PlainMessageKey } from '../../i18n/translate';
import { useHostsStore } from '../../stores/hosts';
import { HOST_TABS, openHostPage, setMainView, useUiStore, type HostTab } from '../../stores/ui';
import { usePageHostId } from '../hostpage/HostPage';

const HOST_TAB_LABELS: Record<HostTab, PlainMessageKey> = {
  overview: 'hostpage.tab.overview',
  readiness: 'hostpage.tab.readiness',
  devices: 'hostpage.tab.devices',
  tuning: 'hostpage.tab.tuning',
  storage: 'tabs.storage',
  networks: 'tabs.networks',
  backups: 'hostpage.tab.backups',
};

/**
 * Switches the main area between the VM list and a host page's tabs. The host tabs show the
 * page of the connection it was opened for (or the selected, or the first connected one), and
 * are there only while some connection is connected: they never ask to pick a host first.
 */
export function MainTabs() {
  const t = useT();
  const view = useUiStore((s) => s.view);
  const hostTab = useUiStore((s) => s.hostTab);
  const hostId = usePageHostId();
  const hostName = useHostsStore((s) => s.hosts.find((h) => h.config.id === hostId)?.config.name);
  const tab = (id: string, selected: boolean, label: string, onClick: () => void) => (
    <button key={id} type="button" role="tab" aria-selected={selected} className={selected ? 'tab selected' : 'tab'} data-testid={`host-tab-${id}`} onClick={onClick}>
      {label}
    </button>
  );
  return (
    <nav className="main-tabs" aria-label={t('tabs.label')}>
      <div role="tablist">
        {tab('vms', view === 'vms', t('tabs.vms'), () => setMainView('vms'))}
        {hostId && HOST_TABS.map((h) => tab(h, view === 'host' && hostTab === h, t(HOST_TAB_LABELS[h]), () => openHostPage(hostId, h)))}
      </div>
      {view === 'host' && hostName && <span className="main-tabs-host">{t('tabs.host', { name: hostName })}</span>}
    </nav>
  );
}
