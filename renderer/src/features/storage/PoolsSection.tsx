import type { PoolAction } from '../../../../shared/api/storage';
import type { Pool } from '../../../../shared/model/storage';
import { useT } from '../../i18n/I18nProvider';
import { ProblemNote } from '../../components/ProblemNote';
import { CapacityBar } from './CapacityBar';

/** Which pool actions apply in which state (libvirt refuses the others anyway, with its own message). */
export function poolActionEnabled(action: PoolAction, pool: Pool): boolean {
  const active = pool.state !== 'inactive';
  switch (action) {
    case 'start':
    case 'build':
      return !active;
    case 'stop':
    case 'refresh':
      return active;
    case 'autostart':
      return pool.persistent && !pool.autostart;
    case 'noautostart':
      return pool.persistent && pool.autostart;
    case 'undefine':
    case 'delete':
      return !active && pool.persistent;
  }
}

const TOOLBAR: readonly PoolAction[] = ['start', 'stop', 'refresh', 'build', 'autostart', 'noautostart', 'undefine', 'delete'];
/** These destroy something or remove the pool: always confirmed, with the command shown. */
export const CONFIRMED_POOL_ACTIONS = new Set<PoolAction>(['undefine', 'delete', 'build']);

interface Props {
  pools: readonly Pool[];
  selected: Pool | null;
  onSelect: (uuid: string) => void;
  onAction: (pool: Pool, action: PoolAction) => void;
  onNew: () => void;
  onEditXml: (pool: Pool) => void;
  busy: boolean;
}

export function PoolsSection({ pools, selected, onSelect, onAction, onNew, onEditXml, busy }: Props) {
  const t = useT();
  return (
    <section className="panel-section" aria-label={t('storage.pools')}>
      <div className="panel-head">
        <h3>{t('storage.pools')}</h3>
        <div className="toolbar" role="toolbar" aria-label={t('storage.poolActions')}>
          <button type="button" className="primary" data-testid="pool-new" onClick={onNew}>
            {t('storage.newPool')}
          </button>
          {TOOLBAR.map((action) => (
            <button
              key={action}
              type="button"
              data-testid={`pool-action-${action}`}
              className={action === 'delete' ? 'danger' : undefined}
              disabled={busy || !selected || !poolActionEnabled(action, selected)}
              onClick={() => selected && onAction(selected, action)}
            >
              {t(`storage.poolAction.${action}`)}
            </button>
          ))}
          <button type="button" data-testid="pool-edit-xml" disabled={!selected} onClick={() => selected && onEditXml(selected)}>
            {t('xml.edit')}
          </button>
        </div>
      </div>
      {pools.length === 0 ? (
        <p className="empty muted">{t('storage.noPools')}</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th>{t('storage.col.name')}</th>
              <th>{t('storage.col.type')}</th>
              <th>{t('storage.col.state')}</th>
              <th>{t('storage.col.autostart')}</th>
              <th>{t('storage.col.usage')}</th>
              <th>{t('storage.col.target')}</th>
            </tr>
          </thead>
          <tbody>
            {pools.map((p) => (
              <tr key={p.uuid} className={p.uuid === selected?.uuid ? 'selected' : undefined} data-testid={`pool-row-${p.name}`} aria-selected={p.uuid === selected?.uuid} onClick={() => onSelect(p.uuid)}>
                <td className="name">
                  <button type="button" className="link" onClick={() => onSelect(p.uuid)}>
                    {p.name}
                  </button>
                  <ProblemNote problems={p.problems} testId={`pool-problems-${p.name}`} />
                </td>
                <td>{p.type}</td>
                <td>
                  <span className="state-pill" data-testid={`pool-state-${p.name}`} data-state={p.state}>
                    <span className={`dot ${p.state === 'running' ? 'on' : p.state === 'inactive' ? '' : p.state === 'building' ? 'warn' : 'bad'}`} />
                    {t(`storage.poolState.${p.state}`)}
                  </span>
                </td>
                <td>{p.autostart ? t('storage.yes') : t('storage.no')}</td>
                <td>
                  <CapacityBar allocation={p.allocation} capacity={p.capacity} available={p.available} testId={`pool-capacity-${p.name}`} />
                </td>
                <td className="path" title={p.source ?? undefined}>
                  {p.targetPath ?? p.source ?? ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
