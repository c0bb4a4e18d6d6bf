import { useMemo } from 'react';
import { ErrorText } from '../../components/ErrorText';
import { useT } from '../../i18n/I18nProvider';
import { formatError } from '../../lib/format-error';
import { dismissActionError, emptyHostDomains, useDomainsStore } from '../../stores/domains';
import { selectHost, useHostsStore } from '../../stores/hosts';
import { selectVmSelection, setVmFilter, useUiStore } from '../../stores/ui';
import { filterDomains } from './domain-actions';
import { DomainTable } from './DomainTable';
import { DomainToolbar } from './DomainToolbar';

/** The VM list of the selected connection, with filter and power actions. */
export function DomainPanel() {
  const t = useT();
  const hostId = useUiStore((s) => s.selectedHostId);
  const host = useHostsStore(selectHost(hostId));
  const filter = useUiStore((s) => s.vmFilter);
  const selection = useUiStore(selectVmSelection(hostId));
  const data = useDomainsStore((s) => (hostId === null ? emptyHostDomains : (s.byHost[hostId] ?? emptyHostDomains)));

  const visible = useMemo(() => filterDomains(data.domains, filter), [data.domains, filter]);
  // Only visible VMs count as selected, so actions never hit something the filter hides.
  const selected = useMemo(() => {
    const chosen = new Set(selection);
    return visible.filter((d) => chosen.has(d.uuid));
  }, [visible, selection]);
  const selectedSet = useMemo(() => new Set(selected.map((d) => d.uuid)), [selected]);

  if (!host) {
    return (
      <main className="content">
        <p className="muted empty">{t('domains.noHost')}</p>
      </main>
    );
  }
  const { id, name } = host.config;

  if (host.status.state !== 'connected') {
    return (
      <main className="content">
        <h2>{t('domains.title', { name })}</h2>
        <p className="muted empty" data-testid="vm-not-connected">
          {t('domains.notConnected', { name })}
        </p>
      </main>
    );
  }

  return (
    <main className="content">
      <h2>{t('domains.title', { name })}</h2>
      <div className="content-bar">
        <DomainToolbar hostId={id} selected={selected} />
        <input
          type="search"
          className="filter"
          data-testid="vm-filter"
          placeholder={t('domains.filter')}
          aria-label={t('domains.filter')}
          value={filter}
          onChange={(e) => setVmFilter(e.target.value)}
        />
      </div>
      {selected.length > 0 && <p className="muted selected-count">{t('domains.selectedCount', { count: selected.length })}</p>}
      {data.actionError && (
        <ErrorText testId="vm-action-error" onDismiss={() => dismissActionError(id)} dismissLabel={t('common.dismiss')}>
          {t('domains.actionFailed', { message: formatError(t, data.actionError) })}
        </ErrorText>
      )}
      {data.loadError && (
        <ErrorText testId="vm-load-error">{t('domains.loadFailed', { message: formatError(t, data.loadError) })}</ErrorText>
      )}
      {!data.loaded && !data.loadError && <p className="muted">{t('common.loading')}</p>}
      {data.loaded && data.domains.length === 0 && <p className="muted empty">{t('domains.empty')}</p>}
      {data.loaded && data.domains.length > 0 && visible.length === 0 && <p className="muted empty">{t('domains.noMatch')}</p>}
      {visible.length > 0 && <DomainTable hostId={id} domains={visible} selected={selectedSet} />}
    </main>
  );
}
