import { useT } from '../../i18n/I18nProvider';
import { useHostsStore } from '../../stores/hosts';
import { setMainView, useUiStore, type MainView } from '../../stores/ui';

const VIEWS: MainView[] = ['vms', 'storage', 'networks'];

/** Switches the main area; storage and networks act on the host selected in the VM tree. */
export function MainTabs() {
  const t = useT();
  const view = useUiStore((s) => s.view);
  const hostId = useUiStore((s) => s.selection.hostId);
  const hostName = useHostsStore((s) => s.hosts.find((h) => h.config.id === hostId)?.config.name);
  return (
    <nav className="main-tabs" aria-label={t('tabs.label')}>
      <div role="tablist">
        {VIEWS.map((v) => (
          <button
            key={v}
            type="button"
            role="tab"
            aria-selected={view === v}
            className={view === v ? 'tab selected' : 'tab'}
            data-testid={`host-tab-${v}`}
            onClick={() => setMainView(v)}
          >
            {t(`tabs.${v}`)}
          </button>
        ))}
      </div>
      {view !== 'vms' && hostName && <span className="main-tabs-host">{t('tabs.host', { name: hostName })}</span>}
    </nav>
  );
}
