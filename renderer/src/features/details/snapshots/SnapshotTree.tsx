import { useEffect, useState } from 'react';
import type { Snapshot } from '../../../../../shared/model/snapshot';
import { useI18n } from '../../../i18n/I18nProvider';
import type { SnapshotNode } from './snapshot-tree';

type Action = 'revert' | 'delete' | 'describe';
/** Loads the screenshot taken at a snapshot's creation (a data: URL), or null. */
export type LoadThumb = (name: string) => Promise<string | null>;

/** The screen at creation time, loaded when shown. */
function Thumb({ name, load }: { name: string; load: LoadThumb }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    load(name).then(
      (u) => live && setSrc(u),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [name, load]);
  return src ? <img className="snapshot-thumb" src={src} alt="" data-testid="snapshot-thumb" /> : null;
}

/** Nested lists: each snapshot with its time, state, kind, description and files, then its children. */
export function SnapshotTree({ nodes, onAction, loadThumb }: { nodes: SnapshotNode[]; onAction: (a: Action, s: Snapshot) => void; loadThumb: LoadThumb }) {
  return (
    <ul className="snapshot-tree" role="tree">
      {nodes.map((n) => (
        <SnapshotItem key={n.snap.name} node={n} onAction={onAction} loadThumb={loadThumb} />
      ))}
    </ul>
  );
}

function SnapshotItem({ node, onAction, loadThumb }: { node: SnapshotNode; onAction: (a: Action, s: Snapshot) => void; loadThumb: LoadThumb }) {
  const { t, lang } = useI18n();
  const s = node.snap;
  return (
    <li role="treeitem" aria-selected={s.current} data-testid="snapshot-item" data-name={s.name} data-current={s.current}>
      <div className={s.current ? 'snapshot-row current' : 'snapshot-row'}>
        {s.thumbnail && <Thumb name={s.name} load={loadThumb} />}
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
      {node.children.length > 0 && <SnapshotTree nodes={node.children} onAction={onAction} loadThumb={loadThumb} />}
    </li>
  );
}
