import { useState } from 'react';
import type { NetworkAction } from '../../../../shared/api/networks';
import type { AppErrorShape } from '../../../../shared/errors';
import type { Network } from '../../../../shared/model/network';
import { useApi } from '../../api/ApiProvider';
import { ErrorText } from '../../components/ErrorText';
import { ProblemNote } from '../../components/ProblemNote';
import { useT } from '../../i18n/I18nProvider';
import { formatError, toErrorShape } from '../../lib/format-error';
import { ActionDialog } from '../activity/ActionDialog';
import { usePreviewBeforeRun } from '../storage/preview-setting';
import { useHostConnected, useHostData } from '../storage/use-host-data';
import { XmlEditorDialog } from '../storage/xml/XmlEditorDialog';
import { NewNetworkDialog } from './NewNetworkDialog';
import '../storage/storage.css';

const ACTIONS: readonly NetworkAction[] = ['start', 'stop', 'autostart', 'noautostart', 'undefine'];

function enabled(action: NetworkAction, n: Network): boolean {
  switch (action) {
    case 'start':
      return !n.active;
    case 'stop':
      return n.active;
    case 'autostart':
      return n.persistent && !n.autostart;
    case 'noautostart':
      return n.persistent && n.autostart;
    case 'undefine':
      return n.persistent;
  }
}

const ranges = (n: Network, family: 'ipv4' | 'ipv6') =>
  n.ips
    .filter((ip) => ip.family === family)
    .map((ip) => `${ip.address}${ip.prefix !== null ? `/${ip.prefix}` : ''}${ip.dhcpRanges.length ? ` (DHCP ${ip.dhcpRanges.map((r) => `${r.start}–${r.end}`).join(', ')})` : ''}`)
    .join('; ');

type Dialog = { kind: 'new' } | { kind: 'action'; network: Network; action: NetworkAction } | { kind: 'xml'; network: Network };

/**
 * A host's virtual networks (state, autostart, bridge, forward mode, address ranges, DHCP
 * leases, attached VMs) and its host interfaces, read-only. Mount one per host:
 * `<NetworksPanel hostId={id} />`.
 */
export function NetworksPanel({ hostId }: { hostId: string }) {
  const t = useT();
  const api = useApi();
  const connected = useHostConnected(hostId);
  const nets = useHostData(hostId, (a) => a.request('networks.list', { hostId }), ['networks.changed', 'domains.changed']);
  const ifaces = useHostData(hostId, (a) => a.request('networks.interfaces', { hostId }), ['networks.changed']);
  const [selectedUuid, setSelectedUuid] = useState<string | null>(null);
  const selected = nets.data?.find((n) => n.uuid === selectedUuid) ?? nets.data?.[0] ?? null;
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [error, setError] = useState<AppErrorShape | null>(null);
  const [busy, setBusy] = useState(false);
  const [previewFirst, setPreviewFirst] = usePreviewBeforeRun();

  if (!connected) return <p className="empty muted" data-testid="networks-panel">{t('storage.notConnected')}</p>;

  const onAction = async (n: Network, action: NetworkAction) => {
    if (previewFirst || action === 'undefine') return setDialog({ kind: 'action', network: n, action });
    setBusy(true);
    setError(null);
    try {
      await api.request('networks.action', { hostId, uuid: n.uuid, action });
    } catch (e) {
      setError(toErrorShape(e));
    } finally {
      setBusy(false);
    }
  };
  const close = () => setDialog(null);

  return (
    <div className="networks-panel" data-testid="networks-panel">
      <div className="panel-head">
        <h2>{t('networks.title')}</h2>
        <label className="checkbox">
          <input type="checkbox" data-testid="preview-toggle" checked={previewFirst} onChange={(e) => setPreviewFirst(e.target.checked)} /> {t('commands.previewFirst')}
        </label>
      </div>
      {nets.error && <ErrorText testId="networks-error">{t('networks.loadFailed', { message: formatError(t, nets.error) })}</ErrorText>}
      {error && (
        <ErrorText testId="network-action-error" onDismiss={() => setError(null)} dismissLabel={t('common.dismiss')}>
          {formatError(t, error)}
        </ErrorText>
      )}
      <section className="panel-section" aria-label={t('networks.virtual')}>
        <div className="panel-head">
          <h3>{t('networks.virtual')}</h3>
          <div className="toolbar" role="toolbar" aria-label={t('networks.actions')}>
            <button type="button" className="primary" data-testid="network-new" onClick={() => setDialog({ kind: 'new' })}>
              {t('networks.new')}
            </button>
            {ACTIONS.map((a) => (
              <button key={a} type="button" data-testid={`network-action-${a}`} className={a === 'undefine' ? 'danger' : undefined} disabled={busy || !selected || !enabled(a, selected)} onClick={() => selected && void onAction(selected, a)}>
                {t(`networks.action.${a}`)}
              </button>
            ))}
            <button type="button" data-testid="network-edit-xml" disabled={!selected} onClick={() => selected && setDialog({ kind: 'xml', network: selected })}>
              {t('xml.edit')}
            </button>
          </div>
        </div>
        {nets.data === null ? (
          !nets.error && <p className="muted">{t('common.loading')}</p>
        ) : nets.data.length === 0 ? (
          <p className="empty muted">{t('networks.none')}</p>
        ) : (
          <table className="data-table">
            <thead>
              <tr>
                <th>{t('storage.col.name')}</th>
                <th>{t('storage.col.state')}</th>
                <th>{t('storage.col.autostart')}</th>
                <th>{t('networks.bridge')}</th>
                <th>{t('networks.forward')}</th>
                <th>IPv4</th>
                <th>IPv6</th>
                <th>{t('networks.vms')}</th>
              </tr>
            </thead>
            <tbody>
              {nets.data.map((n) => (
                <tr key={n.uuid} className={n.uuid === selected?.uuid ? 'selected' : undefined} aria-selected={n.uuid === selected?.uuid} data-testid={`network-row-${n.name}`} onClick={() => setSelectedUuid(n.uuid)}>
                  <td className="name">
                    <button type="button" className="link" onClick={() => setSelectedUuid(n.uuid)}>
                      {n.name}
                    </button>
                    <ProblemNote problems={n.problems} testId={`network-problems-${n.name}`} />
                  </td>
                  <td>
                    <span className="state-pill" data-testid={`network-state-${n.name}`} data-state={n.active ? 'active' : 'inactive'}>
                      <span className={`dot ${n.active ? 'on' : ''}`} />
                      {n.active ? t('networks.active') : t('networks.inactive')}
                    </span>
                  </td>
                  <td>{n.autostart ? t('storage.yes') : t('storage.no')}</td>
                  <td className="path">{n.bridge ?? ''}</td>
                  <td>
                    {t(`networks.forwardName.${(['nat', 'route', 'open', 'bridge', 'isolated'] as const).find((m) => m === n.forwardMode) ?? 'other'}`)}
                    {n.forwardDev ? ` → ${n.forwardDev}` : ''}
                  </td>
                  <td className="path">{ranges(n, 'ipv4')}</td>
                  <td className="path">{ranges(n, 'ipv6')}</td>
                  <td>{n.attached.map((v) => v.name).join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {selected && (
        <section className="panel-section" aria-label={t('networks.leasesOf', { name: selected.name })} data-testid="leases">
          <h3>{t('networks.leasesOf', { name: selected.name })}</h3>
          {selected.leases.length === 0 ? (
            <p className="muted">{selected.active ? t('networks.noLeases') : t('networks.leasesInactive')}</p>
          ) : (
            <table className="data-table">
              <thead>
                <tr>
                  <th>{t('networks.lease.address')}</th>
                  <th>{t('networks.lease.mac')}</th>
                  <th>{t('networks.lease.hostname')}</th>
                  <th>{t('networks.lease.expiry')}</th>
                </tr>
              </thead>
              <tbody>
                {selected.leases.map((l) => (
                  <tr key={`${l.protocol}-${l.address}`}>
                    <td className="path">
                      {l.address}
                      {l.prefix !== null ? `/${l.prefix}` : ''}
                    </td>
                    <td className="path">{l.mac}</td>
                    <td>{l.hostname ?? ''}</td>
                    <td>{l.expiry}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
      <section className="panel-section" aria-label={t('networks.interfaces')} data-testid="host-interfaces">
        <h3>{t('networks.interfaces')}</h3>
        {ifaces.error && <ErrorText>{formatError(t, ifaces.error)}</ErrorText>}
        {ifaces.data && (
          <>
            <p className="hint">{ifaces.data.source === 'libvirt' ? t('networks.ifaceFromLibvirt') : t('networks.ifaceFromIp')}</p>
            <table className="data-table">
              <thead>
                <tr>
                  <th>{t('storage.col.name')}</th>
                  <th>{t('storage.col.type')}</th>
                  <th>{t('storage.col.state')}</th>
                  <th>MAC</th>
                  <th>{t('networks.addresses')}</th>
                </tr>
              </thead>
              <tbody>
                {ifaces.data.interfaces.map((i) => (
                  <tr key={i.name} data-testid={`iface-row-${i.name}`}>
                    <td className="name">{i.name}</td>
                    <td>{i.type ?? ''}</td>
                    <td>{i.active === null ? '' : i.active ? t('networks.up') : t('networks.down')}</td>
                    <td className="path">{i.mac ?? ''}</td>
                    <td className="path">{i.addresses.join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
      {dialog?.kind === 'new' && <NewNetworkDialog hostId={hostId} interfaces={ifaces.data?.interfaces ?? []} onClose={close} />}
      {dialog?.kind === 'action' && (
        <ActionDialog
          title={t(`networks.action.${dialog.action}`)}
          testId="network-action-dialog"
          request="networks.action"
          args={{ hostId, uuid: dialog.network.uuid, action: dialog.action }}
          confirmLabel={t(`networks.action.${dialog.action}`)}
          danger={dialog.action === 'undefine'}
          previewOpen={previewFirst}
          onRun={(a) => api.request('networks.action', a)}
          onClose={close}
        >
          <p className="confirm-message">{t('networks.confirm', { action: t(`networks.action.${dialog.action}`), name: dialog.network.name })}</p>
          {dialog.action === 'undefine' && dialog.network.attached.length > 0 && <p className="warning">{t('networks.attachedWarning', { names: dialog.network.attached.map((v) => v.name).join(', ') })}</p>}
        </ActionDialog>
      )}
      {dialog?.kind === 'xml' && <XmlEditorDialog hostId={hostId} kind="network" uuid={dialog.network.uuid} name={dialog.network.name} onClose={close} />}
    </div>
  );
}
