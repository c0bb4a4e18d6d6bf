import type { Domain, DomainUuid } from '../../../../shared/model/domain';
import type { HostId } from '../../../../shared/model/host';
import { useT } from '../../i18n/I18nProvider';
import { emptyHostDomains, useDomainsStore } from '../../stores/domains';
import { setSelectedVms } from '../../stores/ui';

interface DomainTableProps {
  hostId: HostId;
  domains: readonly Domain[];
  selected: ReadonlySet<DomainUuid>;
}

/** Clicking a row selects just that VM; the checkboxes build up a multi-selection. */
export function DomainTable({ hostId, domains, selected }: DomainTableProps) {
  const t = useT();
  const { pending, vmErrors } = useDomainsStore((s) => s.byHost[hostId] ?? emptyHostDomains);
  const allSelected = domains.length > 0 && domains.every((d) => selected.has(d.uuid));
  const someSelected = !allSelected && domains.some((d) => selected.has(d.uuid));

  const toggle = (uuid: DomainUuid) => {
    const next = new Set(selected);
    if (next.has(uuid)) next.delete(uuid);
    else next.add(uuid);
    setSelectedVms(hostId, [...next]);
  };

  return (
    <table className="vm-table">
      <thead>
        <tr>
          <th className="col-check">
            <input
              type="checkbox"
              aria-label={t('domains.selectAll')}
              data-testid="vm-select-all"
              checked={allSelected}
              // `indeterminate` has no attribute form; it can only be set as a property.
              ref={(el) => {
                if (el) el.indeterminate = someSelected;
              }}
              onChange={() => setSelectedVms(hostId, allSelected ? [] : domains.map((d) => d.uuid))}
            />
          </th>
          <th>{t('domains.col.name')}</th>
          <th>{t('domains.col.state')}</th>
          <th>{t('domains.col.notes')}</th>
        </tr>
      </thead>
      <tbody>
        {domains.map((d) => {
          const isSelected = selected.has(d.uuid);
          const error = vmErrors[d.uuid];
          return (
            <tr
              key={d.uuid}
              data-testid={`vm-row-${d.name}`}
              className={isSelected ? 'selected' : undefined}
              aria-selected={isSelected}
              onClick={() => setSelectedVms(hostId, [d.uuid])}
            >
              <td className="col-check" onClick={(e) => e.stopPropagation()}>
                <input
                  type="checkbox"
                  aria-label={t('domains.select', { name: d.name })}
                  data-testid={`vm-select-${d.name}`}
                  checked={isSelected}
                  onChange={() => toggle(d.uuid)}
                />
              </td>
              <td className="vm-name">{d.name}</td>
              <td className="vm-state">
                <span className={`dot vm-${d.state}`} aria-hidden="true" />
                <span data-testid={`vm-state-${d.name}`} data-state={d.state}>
                  {t(`domainState.${d.state}`)}
                </span>
              </td>
              <td className="vm-notes">
                {d.autostart && <span className="tag">{t('domains.tag.autostart')}</span>}
                {!d.persistent && <span className="tag">{t('domains.tag.transient')}</span>}
                {d.managedSave && <span className="tag">{t('domains.tag.managedSave')}</span>}
                {d.uuid in pending && (
                  <span className="pending" data-testid={`vm-pending-${d.name}`}>
                    {t('domains.pending')}
                  </span>
                )}
                {/* virsh's own message, verbatim: it is what users search for. */}
                {error && (
                  <div className="vm-error" role="alert" data-testid={`vm-error-${d.name}`} title={error.code}>
                    {error.message}
                  </div>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
