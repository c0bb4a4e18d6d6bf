import type { ReactElement } from 'react';
import { useUiStore } from '../../stores/ui';
import { ActivityPanel } from '../activity/ActivityPanel';
import { ConsolesView } from '../consoles';
import { DomainBrowser } from '../domains/DomainBrowser';
import { HostPage } from '../hostpage/HostPage';

/** The selected view, plus the activity log docked below when it is open. */
export function MainArea() {
  const view = useUiStore((s) => s.view);
  const activityOpen = useUiStore((s) => s.activityOpen);
  const body: ReactElement = view === 'vms' ? <DomainBrowser /> : <HostPage />;
  return (
    <div className="main-area">
      <div className="main-view">{body}</div>
      {/* Open consoles (tabs) sit under the list; the view renders nothing without tabs. */}
      <ConsolesView />
      {activityOpen && <ActivityPanel />}
    </div>
  );
}
