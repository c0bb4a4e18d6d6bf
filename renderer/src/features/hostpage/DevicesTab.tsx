import { useState } from 'react';
import type { NodedevAction } from '../../../../shared/api/hostpage';
import type { PassthroughDevice } from '../../../../shared/model/hostinfo';
import { ErrorText } from '../../components/ErrorText';
import { useT } from '../../i18n/I18nProvider';
import { formatError } from '../../lib/format-error';
import { useHostData } from '../storage/use-host-data';
import { AssignDeviceDialog } from './AssignDeviceDialog';
import { NodedevActionDialog } from './NodedevActionDialog';

type OnAction = (d: PassthroughDevice, action: NodedevAction | 'assign') => void;

/** PCI devices get the node device actions and "Assign to VM…"; USB devices only the latter. */
function DeviceRow({ d, onAction }: { d: PassthroughDevice; onAction: OnAction }) {
  const t = useT();
  return (
    <tr data-testid={`device-${d.name}`}>
      <td className="mono">{d.address}</td>
      <td>{d.label}</td>
      <td className="mono">{d.driver ?? ''}</td>
      <td>
        {d.vfs.length > 0 && <span data-testid={`device-vfs-${d.name}`}>{t('hostpage.devices.pf', { n: d.vfs.length, vfs: d.vfs.join(', ') })}</span>}
        {d.pf && <span>{t('hostpage.devices.vf', { pf: d.pf })}</span>}
      </td>
      <td data-testid={`device-used-${d.name}`}>{d.usedBy.length ? d.usedBy.join(', ') : <span className="muted">{t('hostpage.devices.free')}</span>}</td>
      <td className="device-actions">
        {(d.bus === 'pci' ? (['assign', 'detach', 'reattach', 'reset'] as const) : (['assign'] as const)).map((a) => (
          <button key={a} type="button" className="link" data-testid={`device-${a}-${d.name}`} onClick={() => onAction(d, a)}>
            {t(`hostpage.devices.${a}`)}
          </button>
        ))}
      </td>
    </tr>
  );
}

function Head() {
  const t = useT();
  return (
    <thead>
      <tr>
        <th>{t('hostpage.devices.address')}</th>
        <th>{t('hostpage.devices.device')}</th>
        <th>{t('hostpage.devices.driver')}</th>
        <th>{t('hostpage.devices.sriov')}</th>
        <th>{t('hostpage.devices.usedBy')}</th>
        <th aria-label={t('hostpage.devices.actions')} />
      </tr>
    </thead>
  );
}

/** What this host can pass through: PCI devices by IOMMU group, SR-IOV functions, USB devices. */
export function DevicesTab({ hostId }: { hostId: string }) {
  const t = useT();
  const r = useHostData(hostId, (a) => a.request('hostpage.devices', { hostId }), ['domains.changed']);
  const d = r.data;
  const [dialog, setDialog] = useState<{ device: PassthroughDevice; action: NodedevAction | 'assign' } | null>(null);
  const onAction: OnAction = (device, action) => setDialog({ device, action });
  return (
    <div className="host-devices" data-testid="host-devices">
      {r.error && <ErrorText>{formatError(t, r.error)}</ErrorText>}
      {d?.problems.map((p) => <p key={p} className="muted">{p}</p>)}
      {d && (
        <>
          <h3>{t('hostpage.devices.pci')}</h3>
          {d.groups.length === 0 && <p className="muted">{t('hostpage.devices.none')}</p>}
          {d.groups.map((g) => (
            <section key={g.number ?? 'none'} className="iommu-group" data-testid={`iommu-group-${g.number ?? 'none'}`}>
              <h4>{g.number === null ? t('hostpage.devices.noGroup') : t('hostpage.devices.group', { n: g.number })}</h4>
              {g.number !== null && g.devices.length > 1 && <p className="warn-text">{t('hostpage.devices.wholeGroup', { n: g.devices.length })}</p>}
              <table className="device-table">
                <Head />
                <tbody>
                  {g.devices.map((x) => (
                    <DeviceRow key={x.name} d={x} onAction={onAction} />
                  ))}
                </tbody>
              </table>
            </section>
          ))}
          <h3>{t('hostpage.devices.usb')}</h3>
          {d.usb.length === 0 ? (
            <p className="muted">{t('hostpage.devices.none')}</p>
          ) : (
            <table className="device-table">
              <Head />
              <tbody>
                {d.usb.map((x) => (
                  <DeviceRow key={x.name} d={x} onAction={onAction} />
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      {dialog?.action === 'assign' && <AssignDeviceDialog hostId={hostId} device={dialog.device} onDone={r.reload} onClose={() => setDialog(null)} />}
      {dialog && dialog.action !== 'assign' && <NodedevActionDialog hostId={hostId} device={dialog.device} action={dialog.action} onDone={r.reload} onClose={() => setDialog(null)} />}
    </div>
  );
}
