import { useEffect, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Domain } from '../../../../shared/model/domain';
import type { HostId } from '../../../../shared/model/host';
import { ErrorText } from '../../components/ErrorText';
import { useT } from '../../i18n/I18nProvider';
import { formatError } from '../../lib/format-error';
import { selectBackendReady, useBackendStore } from '../../stores/backend';
import { useDomainsStore } from '../../stores/domains';
import { useHostsStore } from '../../stores/hosts';
import { useStatsStore } from '../../stores/stats';
import { openConnectionDialog, useUiStore } from '../../stores/ui';
import { DomainContextMenu } from './DomainContextMenu';
import { DomainToolbar } from './DomainToolbar';
import { ListFilters } from './ListFilters';
import { liveSortKeys, type SortSources } from './sort';
import { buildTree, selectedShown, type HostInput } from './tree-model';
import { VmTree } from './VmTree';

/** How often the list re-sorts when sorted by a column that changes every tick. */
const LIVE_RESORT_MS = 2000;

/**
 * Advances while sorted by a live column and new numbers arrived, so the order follows them at
 * most every LIVE_RESORT_MS instead of on every tick (and not at all while polling is paused).
 */
function useLiveResortEpoch(live: boolean): number {
  const [epoch, setEpoch] = useState(0);
  useEffect(() => {
    if (!live) return;
    let seen = useStatsStore.getState().byHost;
    const timer = setInterval(() => {
      const now = useStatsStore.getState().byHost;
      if (now === seen) return;
      seen = now;
      setEpoch((e) => e + 1);
    }, LIVE_RESORT_MS);
    return () => clearInterval(timer);
  }, [live]);
  return epoch;
}

/** Reads the stats as they are now; the tree is not subscribed to them. */
function snapshotSources(hostId: HostId): SortSources {
  const s = useStatsStore.getState();
  const vms = s.byHost[hostId]?.vms;
  const addresses = s.addresses[hostId];
  return { sample: (uuid) => vms?.get(uuid)?.sample, addresses: (uuid) => addresses?.get(uuid) };
}

/** The main window: toolbar, filters and the tree of connections with their VMs. */
export function DomainBrowser() {
  const t = useT();
  const ready = useBackendStore(selectBackendReady);
  const { hosts, hostsLoaded, hostsError } = useHostsStore(
    useShallow((s) => ({ hosts: s.hosts, hostsLoaded: s.loaded, hostsError: s.loadError })),
  );
  // Only the lists themselves: pending/error changes must not rebuild (and re-sort) the tree.
  const lists = useDomainsStore(useShallow((s) => mapHosts(s.byHost, (h) => (h.loaded ? h.domains : null))));
  const failed = useDomainsStore(useShallow((s) => mapHosts(s.byHost, (h) => h.loadError !== null)));
  const { vmFilter, stateFilter, sort, collapsed, selection } = useUiStore(
    useShallow((s) => ({ vmFilter: s.vmFilter, stateFilter: s.stateFilter, sort: s.sort, collapsed: s.collapsed, selection: s.selection })),
  );
  const epoch = useLiveResortEpoch(liveSortKeys.has(sort.key));
  // Addresses change rarely; when sorted by them the order follows each change.
  const addresses = useStatsStore((s) => (sort.key === 'ip' ? s.addresses : null));

  const model = useMemo(() => {
    const inputs: HostInput[] = hosts.map((h) => ({
      hostId: h.config.id,
      state: h.status.state,
      domains: lists[h.config.id] ?? null,
      loadFailed: failed[h.config.id] === true,
      collapsed: collapsed[h.config.id] === true,
    }));
    return buildTree(inputs, { filter: vmFilter, stateFilter, sort, sources: snapshotSources });
    // `epoch` and `addresses` are not read here but through snapshotSources: they say when to re-sort.
  }, [hosts, lists, failed, collapsed, vmFilter, stateFilter, sort, epoch, addresses]);

  const selected: Domain[] = useMemo(() => selectedShown(model, selection.hostId, selection.uuids), [model, selection]);

  return (
    <main className="browser">
      <div className="browser-bar">
        <DomainToolbar hostId={selection.hostId} selected={selected} />
      </div>
      <div className="browser-bar">
        <button type="button" className="primary" data-testid="add-connection" disabled={!ready} onClick={() => openConnectionDialog({ kind: 'add' })}>
          {t('hosts.add')}
        </button>
        <div className="selection-line muted" aria-live="polite">
          {selected.length > 0 ? t('domains.selectedCount', { count: selected.length }) : ''}
        </div>
        <ListFilters />
      </div>
      {hostsError && <ErrorText testId="hosts-load-error">{t('hosts.loadFailed', { message: formatError(t, hostsError) })}</ErrorText>}
      {!hostsLoaded && !hostsError && <p className="muted empty">{t('common.loading')}</p>}
      {hostsLoaded && hosts.length === 0 && (
        <p className="muted empty" data-testid="hosts-empty">
          {t('hosts.empty')}
        </p>
      )}
      {hosts.length > 0 && <VmTree model={model} hosts={hosts} />}
      <DomainContextMenu model={model} />
    </main>
  );
}

function mapHosts<T, R>(byHost: Readonly<Record<HostId, T>>, fn: (v: T) => R): Record<HostId, R> {
  const out: Record<HostId, R> = {};
  for (const [id, v] of Object.entries(byHost)) out[id] = fn(v);
  return out;
}
