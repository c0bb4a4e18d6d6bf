import { ErrorText } from '../../components/ErrorText';
import { useT } from '../../i18n/I18nProvider';
import { formatError } from '../../lib/format-error';
import { selectBackendReady, useBackendStore } from '../../stores/backend';
import { useHostsStore } from '../../stores/hosts';
import { openConnectionDialog, useUiStore } from '../../stores/ui';
import { HostRow } from './HostRow';

export function HostSidebar() {
  const t = useT();
  const { hosts, loaded, loadError } = useHostsStore();
  const selected = useUiStore((s) => s.selectedHostId);
  const ready = useBackendStore(selectBackendReady);

  return (
    <nav className="sidebar" aria-labelledby="hosts-title">
      <div className="sidebar-head">
        <h2 id="hosts-title">{t('hosts.title')}</h2>
        <button
          type="button"
          className="primary"
          data-testid="add-connection"
          disabled={!ready}
          onClick={() => openConnectionDialog({ kind: 'add' })}
        >
          {t('hosts.add')}
        </button>
      </div>
      {loadError && (
        <ErrorText testId="hosts-load-error">{t('hosts.loadFailed', { message: formatError(t, loadError) })}</ErrorText>
      )}
      {!loaded && !loadError && <p className="muted">{t('common.loading')}</p>}
      {loaded && hosts.length === 0 && <p className="muted">{t('hosts.empty')}</p>}
      <ul className="host-list">
        {hosts.map((h) => (
          <HostRow key={h.config.id} host={h} selected={h.config.id === selected} />
        ))}
      </ul>
    </nav>
  );
}
