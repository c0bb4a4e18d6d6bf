import { useState } from 'react';
import type { HugepagesState } from '../../../../../shared/model/tuning-memory';
import { useApi } from '../../../api/ApiProvider';
import { useT } from '../../../i18n/I18nProvider';
import { formatKiB } from '../../../lib/units';
import { ActionDialog } from '../../activity/ActionDialog';
import { persistentHugepages } from './hugepage-persist';

/** Hugepages per size and NUMA node, THP, allocate / release (virsh allocpages), and the VMs that use them. */
export function HugepagesSection({ hostId, hp, onChanged }: { hostId: string; hp: HugepagesState; onChanged: () => void }) {
  const t = useT();
  const api = useApi();
  const [size, setSize] = useState(hp.defaultSizeKiB);
  const current = hp.sizes.find((s) => s.sizeKiB === size);
  const [count, setCount] = useState(String(current?.total ?? 0));
  const [node, setNode] = useState('');
  const [open, setOpen] = useState(false);
  const n = /^\d+$/.test(count.trim()) ? Number(count) : null;
  const persist = n === null ? null : persistentHugepages(size, hp.defaultSizeKiB, n);

  return (
    <section className="tuning-section" data-testid="tuning-hugepages">
      <h3>{t('tuning.huge.title')}</h3>
      <p data-testid="huge-thp">{t('tuning.huge.thp', { mode: hp.thp.mode ?? '—', choices: hp.thp.choices.join(', ') })}</p>
      <p className={hp.mounts.length ? 'muted' : 'warn-text'}>{hp.mounts.length ? t('tuning.huge.mounts', { mounts: hp.mounts.map((m) => `${m.path} (${m.pageSize ?? '?'})`).join(', ') }) : t('tuning.huge.noMount')}</p>
      <table className="device-table" data-testid="huge-sizes">
        <thead>
          <tr><th>{t('tuning.huge.size')}</th><th>{t('tuning.huge.node')}</th><th>{t('tuning.huge.total')}</th><th>{t('tuning.huge.free')}</th><th>{t('tuning.huge.reserved')}</th><th>{t('tuning.huge.surplus')}</th></tr>
        </thead>
        <tbody>
          {hp.sizes.flatMap((s) => [
            <tr key={`${s.sizeKiB}`} data-testid={`huge-size-${s.sizeKiB}`} data-total={s.total} data-free={s.free}>
              <td>{formatKiB(s.sizeKiB)}</td><td>{t('tuning.huge.allNodes')}</td><td>{s.total}</td><td>{s.free}</td><td>{s.reserved}</td><td>{s.surplus}</td>
            </tr>,
            ...s.nodes.map((nd) => (
              <tr key={`${s.sizeKiB}/${nd.node}`} className="muted">
                <td /><td>{nd.node}</td><td>{nd.total}</td><td>{nd.free}</td><td /><td>{nd.surplus}</td>
              </tr>
            )),
          ])}
        </tbody>
      </table>
      <form
        className="tuning-inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (n !== null) setOpen(true);
        }}
      >
        <label>{t('tuning.huge.size')}{' '}
          <select data-testid="huge-alloc-size" value={size} onChange={(e) => setSize(Number(e.target.value))}>
            {hp.sizes.map((s) => <option key={s.sizeKiB} value={s.sizeKiB}>{formatKiB(s.sizeKiB)}</option>)}
          </select>
        </label>
        <label>{t('tuning.huge.count')} <input data-testid="huge-alloc-count" inputMode="numeric" size={7} value={count} onChange={(e) => setCount(e.target.value)} /></label>
        <label>{t('tuning.huge.where')}{' '}
          <select data-testid="huge-alloc-node" value={node} onChange={(e) => setNode(e.target.value)}>
            <option value="">{t('tuning.huge.allNodes')}</option>
            {(current?.nodes ?? []).map((nd) => <option key={nd.node} value={nd.node}>{t('tuning.huge.node')} {nd.node}</option>)}
          </select>
        </label>
        <button type="submit" data-testid="huge-allocate" disabled={n === null}>{t('tuning.huge.allocate')}</button>
      </form>
      {persist && (
        <div className="muted" data-testid="huge-persist">
          {persist.kind === 'sysctl' ? <>{t('tuning.huge.persist', { text: '' })}<pre className="mono">{persist.command}</pre></> : t('tuning.huge.persist', { text: t('tuning.huge.persistCmdline', { args: persist.args }) })}
        </div>
      )}
      <h4>{t('tuning.huge.vms')}</h4>
      {hp.vms.length === 0 ? (
        <p className="muted">{t('tuning.huge.noVms')}</p>
      ) : (
        <table className="device-table" data-testid="huge-vms">
          <thead><tr><th>{t('tuning.huge.vm')}</th><th>{t('tuning.huge.needs')}</th><th /></tr></thead>
          <tbody>
            {hp.vms.map((v) => (
              <tr key={v.uuid} data-testid={`huge-vm-${v.name}`} data-fits={v.fits}>
                <td>{v.name}</td>
                <td>{t('tuning.huge.needsText', { pages: v.pagesNeeded, size: v.pageSizeKiB })} ({formatKiB(v.memoryKiB)})</td>
                <td className={v.fits ? 'muted' : 'warn-text'}>{v.reason ?? (v.state === 'running' || v.state === 'paused' ? t('tuning.huge.holds') : t('tuning.huge.fits'))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {open && n !== null && (
        <ActionDialog
          title={t('tuning.huge.allocateTitle')}
          request="tuning.hugepages.allocate"
          args={{ hostId, sizeKiB: size, count: n, ...(node === '' ? {} : { node: Number(node) }) }}
          confirmLabel={t('tuning.huge.allocate')}
          testId="huge-dialog"
          previewOpen
          onRun={async (args) => {
            await api.request('tuning.hugepages.allocate', args);
            onChanged();
          }}
          onClose={() => setOpen(false)}
        />
      )}
    </section>
  );
}
