import type { HostId } from '../../../../shared/model/host';
import { useT } from '../../i18n/I18nProvider';
import { formatError } from '../../lib/format-error';
import { useDomainsStore } from '../../stores/domains';
import { useHostsStore } from '../../stores/hosts';
import type { NoteKind } from './tree-model';

/** A one-line explanation in place of a host's VMs (not connected, loading, nothing matches…). */
export function NoteRow({ hostId, note }: { hostId: HostId; note: NoteKind }) {
  const t = useT();
  const name = useHostsStore((s) => s.hosts.find((h) => h.config.id === hostId)?.config.name ?? hostId);
  const loadError = useDomainsStore((s) => s.byHost[hostId]?.loadError ?? null);
  const text = (() => {
    switch (note) {
      case 'notConnected':
        return t('domains.notConnected', { name });
      case 'connecting':
        return t('domains.connecting');
      case 'loading':
        return t('common.loading');
      case 'loadError':
        return t('domains.loadFailed', { message: loadError ? formatError(t, loadError) : '' });
      case 'empty':
        return t('domains.empty');
      case 'noMatch':
        return t('domains.noMatch');
    }
  })();
  return (
    <div
      role="row"
      aria-level={2}
      className={`note-row${note === 'loadError' ? ' error' : ''}`}
      data-testid={`vm-note-${hostId}`}
      data-note={note}
      title={text}
    >
      <div className="cell" role="gridcell">
        {text}
      </div>
    </div>
  );
}
