/**
 * The Snapshots tab: the tree, and Create / Revert / Delete / Edit description. libvirt fires no
 * event for snapshot creation or deletion, so the tab reloads after each of its own changes,
 * each time it is shown (it mounts again), and on the host's invalidations (a revert's event).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppErrorShape } from '../../../../../shared/errors';
import type { DeleteImpact, Snapshot, SnapshotCapabilities } from '../../../../../shared/model/snapshot';
import { useApi } from '../../../api/ApiProvider';
import { ErrorText } from '../../../components/ErrorText';
import { useT } from '../../../i18n/I18nProvider';
import { formatError, toErrorShape } from '../../../lib/format-error';
import { ConvertDiskDialog } from './ConvertDiskDialog';
import { CreateSnapshotDialog } from './CreateSnapshotDialog';
import { DeleteDialog } from './DeleteDialog';
import { DescribeDialog } from './DescribeDialog';
import { RevertDialog } from './RevertDialog';
import { buildTree } from './snapshot-tree';
import { SnapshotTree } from './SnapshotTree';
import { useReloadOnDomainsChanged } from '../use-domains-changed';
import './snapshots.css';

type Open = { kind: 'create' } | { kind: 'convert' } | { kind: 'revert' | 'delete' | 'describe'; snap: Snapshot } | null;

export function SnapshotsTab({ hostId, uuid }: { hostId: string; uuid: string }) {
  const t = useT();
  const api = useApi();
  const [snaps, setSnaps] = useState<Snapshot[] | null>(null);
  const [caps, setCaps] = useState<SnapshotCapabilities | null>(null);
  const [error, setError] = useState<AppErrorShape | null>(null);
  const [open, setOpen] = useState<Open>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const seq = useRef(0);

  const reload = useCallback(async () => {
    const mine = ++seq.current;
    try {
      const [s, c] = await Promise.all([api.request('snapshots.list', { hostId, uuid }), api.request('snapshots.capabilities', { hostId, uuid })]);
      if (mine !== seq.current) return;
      setSnaps(s);
      setCaps(c);
      setError(null);
    } catch (e) {
      if (mine === seq.current) setError(toErrorShape(e));
    }
  }, [api, hostId, uuid]);

  useEffect(() => void reload(), [reload]);
  useReloadOnDomainsChanged(api, hostId, reload);

  const done = () => {
    setNotice(null);
    void reload();
  };
  const deleted = (i: DeleteImpact) => {
    const removed = i.goes.filter((f) => f.how === 'virtdeck-removes').map((f) => f.path);
    void reload();
    setNotice(t('snapshots.deleted', { names: i.snapshots.join(', '), files: removed.length > 0 ? removed.join(', ') : t('snapshots.none') }));
  };
  const close = () => setOpen(null);
  const loadThumb = useCallback(async (name: string) => (await api.request('snapshots.thumbnail', { hostId, uuid, name })).dataUrl, [api, hostId, uuid]);

  return (
    <section className="snapshots-tab" data-testid="snapshots-tab">
      <div className="snapshots-toolbar">
        <button type="button" className="primary" disabled={!caps} onClick={() => setOpen({ kind: 'create' })} data-testid="snapshot-create">
          {t('snapshots.create')}
        </button>
        {caps?.rawDisks && caps.rawDisks.length > 0 && (
          <button type="button" onClick={() => setOpen({ kind: 'convert' })} data-testid="snapshot-convert">
            {t('snapshots.convert')}
          </button>
        )}
        <button type="button" onClick={() => void reload()} data-testid="snapshot-refresh">
          {t('snapshots.refresh')}
        </button>
      </div>
      {error && <ErrorText testId="snapshots-error">{formatError(t, error)}</ErrorText>}
      {notice && (
        <p className="ok-text" data-testid="snapshots-notice">
          {notice}
        </p>
      )}
      {snaps === null && !error && <p className="muted">{t('common.loading')}</p>}
      {snaps?.length === 0 && <p className="muted">{t('snapshots.empty')}</p>}
      {snaps && snaps.length > 0 && <SnapshotTree nodes={buildTree(snaps)} onAction={(kind, snap) => setOpen({ kind, snap })} loadThumb={loadThumb} />}
      {open?.kind === 'convert' && caps && (
        <ConvertDiskDialog hostId={hostId} uuid={uuid} caps={caps} onDone={(path) => (void reload(), setNotice(t('snapshots.convert.done', { path })))} onClose={close} />
      )}
      {open?.kind === 'create' && caps && <CreateSnapshotDialog hostId={hostId} uuid={uuid} caps={caps} onDone={done} onClose={close} />}
      {open?.kind === 'revert' && caps && <RevertDialog hostId={hostId} uuid={uuid} snap={open.snap} caps={caps} onDone={done} onClose={close} />}
      {open?.kind === 'delete' && (
        <DeleteDialog hostId={hostId} uuid={uuid} snap={open.snap} hasChildren={snaps?.some((s) => s.parent === open.snap.name) ?? false} onDone={deleted} onClose={close} />
      )}
      {open?.kind === 'describe' && <DescribeDialog hostId={hostId} uuid={uuid} snap={open.snap} onDone={done} onClose={close} />}
    </section>
  );
}
