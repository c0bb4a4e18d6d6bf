import type { Snapshot } from '../../../../../shared/model/snapshot';
import { useI18n } from '../../../i18n/I18nProvider';
import type { SnapshotNode } from './snapshot-tree';

type Action = 'revert' | 'delete' | 'describe';

/** Nested lists: each snapshot with its time, state, kind, description and files, then its children. */
export function SnapshotTree({ nodes, onAction }: { nodes: SnapshotNode[]; onAction: (a: Action, s: Snapshot) => void }) {
  return (
    <ul className="snapshot-tree" role="tree">
      {nodes.map((n) => (
        <SnapshotItem key={n.snap.name} node={n} onAction={onAction} />
      ))}
    </ul>
  );
}

function SnapshotItem({ node, onAction }: { node: SnapshotNode; onAction: (a: Action, s: Snapshot) => void }) {
  const { t, lang } = useI18n();
  const s = node.snap;
  return (
    <li role="treeitem" aria-selected={s.current} data-testid="snapshot-item" data-name={s.name} data-current={s.current}>
      <div className={s.current ? 'snapshot-row current' : 'snapshot-row'}>
        <strong className="snapshot-name">{s.name}</strong>
        {s.current && <span className="snapshot-badge">{t('snapshots.current')}</span>}
        <span className="muted">{new Date(s.createdAt).toLocaleString(lang)}</span>
        <span className="snapshot-state">{s.state}</span>
        <span className="snapshot-kind" data-testid="snapshot-kind">
          {t(`snapshots.kind.${s.location}`)}, {t(s.memory ? 'snapshots.kind.memory' : 'snapshots.kind.diskOnly')}
        </span>
        <span className="spacer" />
        <button type="button" onClick={() => onAction('revert', s)} data-testid="snapshot-revert">
          {t('snapshots.revert')}
        </button>
        <button type="button" onClick={() => onAction('describe', s)} data-testid="snapshot-describe">
          {t('snapshots.describe')}
        </button>
        <button type="button" className="danger" onClick={() => onAction('delete', s)} data-testid="snapshot-delete">
          {t('snapshots.delete')}
        </button>
      </div>
      {s.description && <p className="snapshot-description">{s.description}</p>}
      {s.files.length > 0 && (
        <ul className="snapshot-files">
          {s.files.map((f, i) => (
            <li key={i} className="mono">
              {f.role === 'memory' ? t('snapshots.file.memory', { path: f.path }) : t(`snapshots.file.${f.role}`, { path: f.path, disk: f.disk ?? '' })}
            </li>
          ))}
        </ul>
      )}
      {node.children.length > 0 && <SnapshotTree nodes={node.children} onAction={onAction} />}
    </li>
  );
}
