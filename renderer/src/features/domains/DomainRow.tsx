import { memo, type MouseEvent } from 'react';
import type { Domain } from '../../../../shared/model/domain';
import type { HostId } from '../../../../shared/model/host';
import { useT } from '../../i18n/I18nProvider';
import { formatError } from '../../lib/format-error';
import { formatKiB } from '../../lib/units';
import { dismissVmError, useDomainsStore } from '../../stores/domains';
import { isActive } from './domain-actions';
import { DomainAddressCell, DomainStatsCells } from './DomainStatsCells';
import { openConsole } from '../consoles/console-store';
import { StateIcon } from './StateIcon';
import { DisplayIcon, TerminalIcon } from '../../components/ConsoleIcons';
import { ProblemNote } from '../../components/ProblemNote';
import { PhaseBadge } from '../new-vm';
import { TemplateBadge } from '../clone/TemplateBadge';
import { startVmDrag } from '../migration/migration-drag';
import { useUiStore } from '../../stores/ui';

/** The selection when the dragged row is part of it, else the row alone. */
function draggedVms(hostId: HostId, d: Domain): Domain[] {
  const { selection } = useUiStore.getState();
  if (selection.hostId !== hostId || !selection.uuids.includes(d.uuid)) return [d];
  return (useDomainsStore.getState().byHost[hostId]?.domains ?? []).filter((x) => selection.uuids.includes(x.uuid));
}

export interface RowHandlers {
  onClick(hostId: HostId, d: Domain, e: MouseEvent): void;
  onToggle(hostId: HostId, d: Domain): void;
  onContextMenu(hostId: HostId, d: Domain, e: MouseEvent): void;
  onOpen(hostId: HostId, d: Domain): void;
}

interface Props {
  hostId: HostId;
  domain: Domain;
  selected: boolean;
  cursor: boolean;
  handlers: RowHandlers;
}

/**
 * One VM. Memoised on its props (setDomains keeps unchanged Domain objects), with pending state
 * and errors selected per VM, so neither a refetch nor a tick re-renders rows that did not change.
 */
export const DomainRow = memo(function DomainRow({ hostId, domain: d, selected, cursor, handlers }: Props) {
  const t = useT();
  const pending = useDomainsStore((s) => s.byHost[hostId]?.pending[d.uuid]);
  const error = useDomainsStore((s) => s.byHost[hostId]?.vmErrors[d.uuid]);
  const active = isActive(d);
  const memory = formatKiB(d.memoryKiB);
  const memoryTitle =
    d.maxMemoryKiB !== null && d.maxMemoryKiB !== d.memoryKiB ? t('domains.maxMemory', { max: formatKiB(d.maxMemoryKiB) }) : undefined;

  return (
    <div
      role="row"
      aria-level={2}
      aria-selected={selected}
      id={`vmrow-${hostId}-${d.uuid}`}
      data-testid={`vm-row-${d.name}`}
      className={`vm-row${selected ? ' selected' : ''}${cursor ? ' cursor' : ''}`}
      onClick={(e) => handlers.onClick(hostId, d, e)}
      onDoubleClick={() => handlers.onOpen(hostId, d)}
      onContextMenu={(e) => handlers.onContextMenu(hostId, d, e)}
      draggable
      onDragStart={(e) => startVmDrag(e, hostId, draggedVms(hostId, d))}
    >
      <div className="cell col-check" role="gridcell" onClick={(e) => e.stopPropagation()}>
        <input
          type="checkbox"
          tabIndex={-1}
          aria-label={t('domains.select', { name: d.name })}
          data-testid={`vm-select-${d.name}`}
          checked={selected}
          onChange={() => handlers.onToggle(hostId, d)}
        />
      </div>
      <div className="cell col-name" role="gridcell" title={d.name}>
        <span className="vm-name">{d.name}</span>
        <ProblemNote problems={d.problems} testId={`vm-problems-${d.name}`} />
        {d.managedSave && (
          <span className="badge saved" data-testid={`vm-saved-${d.name}`} title={t('domains.savedHint')}>
            {t('domains.tag.managedSave')}
          </span>
        )}
        <PhaseBadge hostId={hostId} uuid={d.uuid} name={d.name} />
        <TemplateBadge hostId={hostId} uuid={d.uuid} name={d.name} />
        {d.autostart && <span className="badge">{t('domains.tag.autostart')}</span>}
        {!d.persistent && <span className="badge">{t('domains.tag.transient')}</span>}
        <span className="vm-console-buttons" onClick={(e) => e.stopPropagation()} onDoubleClick={(e) => e.stopPropagation()}>
          <button type="button" className="icon-button" tabIndex={-1} data-testid={`vm-open-vnc-${d.name}`} title={t('console.vnc')} aria-label={t('console.vnc')} onClick={() => openConsole(hostId, d.uuid, 'vnc', d.name)}>
            <DisplayIcon />
          </button>
          <button type="button" className="icon-button" tabIndex={-1} data-testid={`vm-open-serial-${d.name}`} title={t('console.serial')} aria-label={t('console.serial')} onClick={() => openConsole(hostId, d.uuid, 'serial', d.name)}>
            <TerminalIcon />
          </button>
        </span>
      </div>
      <div className="cell col-state" role="gridcell">
        <StateIcon state={d.state} />
        <span data-testid={`vm-state-${d.name}`} data-state={d.state}>
          {t(`domainState.${d.state}`)}
        </span>
      </div>
      <div className="cell col-vcpus num" role="gridcell">
        {d.vcpus ?? ''}
      </div>
      <div className="cell col-mem num" role="gridcell" title={memoryTitle}>
        {memory}
      </div>
      <DomainStatsCells hostId={hostId} uuid={d.uuid} name={d.name} />
      {active ? <DomainAddressCell hostId={hostId} uuid={d.uuid} name={d.name} /> : <div className="cell col-ip" role="gridcell" />}
      <div className="cell col-status" role="gridcell">
        {pending && (
          <span className="pending" data-testid={`vm-pending-${d.name}`}>
            <span className="spinner" aria-hidden="true" />
            {t(`pending.${pending}`)}
          </span>
        )}
        {/* virsh's own message, verbatim (it is what people search for); full text in the tooltip. */}
        {error && !pending && (
          <span className="vm-error" role="alert" data-testid={`vm-error-${d.name}`} title={formatError(t, error)}>
            <span className="vm-error-text">{formatError(t, error)}</span>
            <button
              type="button"
              className="icon-button"
              tabIndex={-1}
              aria-label={t('common.dismiss')}
              title={t('common.dismiss')}
              onClick={(e) => {
                e.stopPropagation();
                dismissVmError(hostId, d.uuid);
              }}
            >
              ×
            </button>
          </span>
        )}
      </div>
    </div>
  );
});
