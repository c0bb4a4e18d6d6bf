import type { ReactElement } from 'react';
import { useT } from '../../i18n/I18nProvider';
import { useHostsStore } from '../../stores/hosts';
import { useUiStore } from '../../stores/ui';
import { ActivityPanel } from '../activity/ActivityPanel';
import { ConsolesView } from '../consoles';
import { DomainBrowser } from '../domains/DomainBrowser';
import { NetworksPanel } from '../networks/NetworksPanel';
import { StoragePanel } from '../storage/StoragePanel';

/** The selected view, plus the activity log docked below when it is open. */
export function MainArea() {
  const t = useT();
  const view = useUiStore((s) => s.view);
  const activityOpen = useUiStore((s) => s.activityOpen);
  const hostId = useUiStore((s) => s.selection.hostId);
  const connected = useHostsStore((s) => s.hosts.find((h) => h.config.id === hostId)?.status.state === 'connected');
  let body: ReactElement;
  if (view === 'vms') body = <DomainBrowser />;
  else if (!hostId || !connected) body = <p className="main-note">{t('tabs.pickHost')}</p>;
  else body = view === 'storage' ? <StoragePanel key={hostId} hostId={hostId} /> : <NetworksPanel key={hostId} hostId={hostId} />;
  return (
    <div className="main-area">
      <div className="main-view">{body}</div>
      {/* Open consoles (tabs) sit under the list; the view renders nothing without tabs. */}
      <ConsolesView />
      {activityOpen && <ActivityPanel />}
    </div>
  );
}
