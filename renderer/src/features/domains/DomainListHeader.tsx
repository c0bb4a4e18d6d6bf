import type { PlainMessageKey } from '../../i18n/translate';
import { useT } from '../../i18n/I18nProvider';
import { setSort, useUiStore } from '../../stores/ui';
import { nextSort, type SortKey } from './sort';

const columns: readonly { key: SortKey; label: PlainMessageKey; className: string }[] = [
  { key: 'name', label: 'domains.col.name', className: 'col-name' },
  { key: 'state', label: 'domains.col.state', className: 'col-state' },
  { key: 'vcpus', label: 'domains.col.vcpus', className: 'col-vcpus num' },
  { key: 'memory', label: 'domains.col.memory', className: 'col-mem num' },
  { key: 'cpu', label: 'domains.col.cpu', className: 'col-cpu' },
  { key: 'hostCpu', label: 'domains.col.hostCpu', className: 'col-hostcpu num' },
  { key: 'ip', label: 'domains.col.ip', className: 'col-ip' },
];

interface Props {
  /** Select-all state for the active host's shown VMs. */
  allSelected: boolean;
  someSelected: boolean;
  canSelect: boolean;
  onSelectAll(): void;
}

/** Sticky column headers; clicking one sorts by it, clicking again reverses. */
export function DomainListHeader({ allSelected, someSelected, canSelect, onSelectAll }: Props) {
  const t = useT();
  const sort = useUiStore((s) => s.sort);
  return (
    <div className="vm-header" role="row">
      <div className="cell col-check" role="columnheader">
        <input
          type="checkbox"
          tabIndex={-1}
          aria-label={t('domains.selectAll')}
          title={t('domains.selectAll')}
          data-testid="vm-select-all"
          checked={allSelected}
          disabled={!canSelect}
          // `indeterminate` has no attribute form; it can only be set as a property.
          ref={(el) => {
            if (el) el.indeterminate = someSelected;
          }}
          onChange={onSelectAll}
        />
      </div>
      {columns.map((c) => {
        const sorted = sort.key === c.key;
        return (
          <div
            key={c.key}
            className={`cell ${c.className}`}
            role="columnheader"
            aria-sort={sorted ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
          >
            <button
              type="button"
              className="sort-button"
              data-testid={`vm-sort-${c.key}`}
              title={t('domains.sortBy', { column: t(c.label) })}
              onClick={() => setSort(nextSort(sort, c.key))}
            >
              {t(c.label)}
              <span className="sort-mark" aria-hidden="true">
                {sorted ? (sort.dir === 'asc' ? '▲' : '▼') : ''}
              </span>
            </button>
          </div>
        );
      })}
      <div className="cell col-status" role="columnheader">
        {t('domains.col.status')}
      </div>
    </div>
  );
}
