/**
 * Source "Network install": an install tree URL (virt-install --location). The backend reads the
 * tree (newvm.inspectTree) as the user types: which OS, where kernel and initrd are, whether the
 * tree has checksums for them, and who will fetch them. A kernel over plain http without
 * checksums is warned about; the OS found prefills the OS step unless the user chose one.
 */
import { useEffect, useState } from 'react';
import type { TreeInfo } from '../../../../../shared/api/netinstall';
import type { AppErrorShape } from '../../../../../shared/errors';
import type { NewVmCapabilities } from '../../../../../shared/model/newvm';
import { useApi } from '../../../api/ApiProvider';
import { ErrorText } from '../../../components/ErrorText';
import { useT } from '../../../i18n/I18nProvider';
import { formatError, toErrorShape } from '../../../lib/format-error';
import type { Draft } from '../draft';
import { updateDraft } from '../wizard-store';

const FILE_POOLS = ['dir', 'fs', 'netfs'];
const URL_RE = /^(https?|ftp):\/\/[^\s@/]+(\/\S*)?$/i;

export function NetInstallSource({ draft, caps }: { draft: Draft; caps: NewVmCapabilities }) {
  const t = useT();
  const api = useApi();
  const pools = caps.pools.filter((p) => p.active && FILE_POOLS.includes(p.type));
  const [info, setInfo] = useState<TreeInfo | null>(null);
  const [error, setError] = useState<AppErrorShape | null>(null);
  const [loading, setLoading] = useState(false);
  const url = draft.treeUrl.trim();

  // The first usable pool is the default.
  useEffect(() => {
    if (!draft.treePoolUuid && pools[0]) updateDraft({ treePoolUuid: pools[0].uuid });
  }, [draft.treePoolUuid, pools]);

  // Read the tree once typing pauses; a newer URL wins over a slower answer.
  useEffect(() => {
    setInfo(null);
    setError(null);
    if (!URL_RE.test(url)) return;
    let current = true;
    const timer = setTimeout(() => {
      setLoading(true);
      api.request('newvm.inspectTree', { hostId: draft.hostId, url, fetchBy: draft.treeFetchBy }).then(
        (r) => {
          if (!current) return;
          setInfo(r);
          if (r.osId && !draft.osChosen) updateDraft({ osId: r.osId });
        },
        (e: unknown) => current && setError(toErrorShape(e)),
      ).finally(() => current && setLoading(false));
    }, 600);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // osChosen is read when the answer comes, on purpose: choosing an OS must not refetch the tree.
  }, [api, draft.hostId, url, draft.treeFetchBy]);

  const verified = info !== null && info.kernelChecksum && info.initrdChecksum;
  return (
    <fieldset className="newvm-media" data-testid="newvm-tree">
      <label>
        {t('newvm.tree.url')}
        <input className="mono" value={draft.treeUrl} onChange={(e) => updateDraft({ treeUrl: e.target.value })} placeholder="https://deb.debian.org/debian/dists/bookworm/main/installer-amd64/" spellCheck={false} data-testid="newvm-tree-url" />
      </label>
      {/^(http|ftp):/i.test(url) && !verified && <p className="warning" data-testid="newvm-tree-plain">{t('newvm.tree.plainHttp')}</p>}
      {loading && <p className="hint">{t('newvm.tree.checking')}</p>}
      {info && (
        <div className="hint" data-testid="newvm-tree-info">
          <p>{t('newvm.tree.found', { os: info.osName ?? info.family })}</p>
          <p className="mono">{info.kernelUrl}<br />{info.initrdUrl}</p>
          <p>{verified ? t('newvm.tree.verified', { file: info.checksumsUrl ?? '' }) : t('newvm.tree.unverified')} {t('newvm.tree.fetcher', { who: info.fetcher === 'virtdeck' ? 'Virtdeck' : info.fetcher })}</p>
        </div>
      )}
      {info?.warnings.map((w) => (
        <p key={w} className="warning">{w}</p>
      ))}
      {error && <ErrorText testId="newvm-tree-error">{formatError(t, error)}</ErrorText>}
      <div className="form-row">
        <label>
          {t('newvm.tree.pool')}
          <select value={draft.treePoolUuid} onChange={(e) => updateDraft({ treePoolUuid: e.target.value })} data-testid="newvm-tree-pool">
            {pools.map((p) => (
              <option key={p.uuid} value={p.uuid}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('newvm.tree.fetchBy')}
          <select value={draft.treeFetchBy} onChange={(e) => updateDraft({ treeFetchBy: e.target.value as Draft['treeFetchBy'] })} data-testid="newvm-tree-fetch-by">
            {(['auto', 'host', 'virtdeck'] as const).map((k) => (
              <option key={k} value={k}>
                {t(`newvm.tree.fetchBy.${k}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <label>
        {t('newvm.source.cmdline')} <span className="hint">{t('newvm.tree.cmdlineHint')}</span>
        <input className="mono" value={draft.cmdline} onChange={(e) => updateDraft({ cmdline: e.target.value })} placeholder="console=ttyS0" spellCheck={false} data-testid="newvm-tree-cmdline" />
      </label>
    </fieldset>
  );
}
