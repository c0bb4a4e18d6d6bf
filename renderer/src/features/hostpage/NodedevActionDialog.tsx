import { useEffect, useState } from 'react';
import type { NodedevAction } from '../../../../shared/api/hostpage';
import type { PassthroughDevice } from '../../../../shared/model/hostinfo';
import { useApi } from '../../api/ApiProvider';
import { useT } from '../../i18n/I18nProvider';
import type { PlainMessageKey } from '../../i18n/translate';
import { ActionDialog } from '../activity/ActionDialog';

const TITLES: Record<NodedevAction, PlainMessageKey> = {
  detach: 'hostpage.devices.detach',
  reattach: 'hostpage.devices.reattach',
  reset: 'hostpage.devices.reset',
};

/** Drivers that only hold a device for passthrough: detaching from them takes nothing from the host. */
const PASSTHROUGH_DRIVERS = new Set(['vfio-pci', 'pci-stub', 'pciback']);

/**
 * Detach, reattach or reset one PCI device, with its virsh command shown first and what the host
 * loses said before it runs: the driver using it now, and the rest of its IOMMU group.
 */
export function NodedevActionDialog({ hostId, device, action, onDone, onClose }: { hostId: string; device: PassthroughDevice; action: NodedevAction; onDone: () => void; onClose: () => void }) {
  const t = useT();
  const api = useApi();
  const hostDriver = device.driver !== null && !PASSTHROUGH_DRIVERS.has(device.driver) ? device.driver : null;
  const others = device.groupAddresses.filter((a) => a !== device.address);
  // Asked only for a detach of a PCI device; a failed question just shows no warning.
  const [carries, setCarries] = useState<string | null>(null);
  useEffect(() => {
    if (action !== 'detach' || device.bus !== 'pci') return;
    let current = true;
    api.request('hostpage.deviceRoute', { hostId, address: device.address }).then((r) => current && setCarries(r.carries), () => undefined);
    return () => {
      current = false;
    };
  }, [api, hostId, device, action]);
  return (
    <ActionDialog
      title={`${t(TITLES[action])}: ${device.label}`}
      request="hostpage.nodedevAction"
      args={{ hostId, name: device.name, action }}
      confirmLabel={t(TITLES[action])}
      danger={action !== 'reattach'}
      testId="nodedev-dialog"
      onRun={async (args) => {
        try {
          await api.request('hostpage.nodedevAction', args);
        } finally {
          onDone();
        }
      }}
      onClose={onClose}
    >
      {action === 'detach' && carries && <p className="warn-text" data-testid="nodedev-warn-route">{t('hostpage.devices.warnRoute', { iface: carries })}</p>}
      {action === 'detach' && hostDriver && <p className="warn-text" data-testid="nodedev-warn-driver">{t('hostpage.devices.warnDriver', { driver: hostDriver })}</p>}
      {action === 'detach' && others.length > 0 && <p className="warn-text" data-testid="nodedev-warn-group">{t('hostpage.devices.warnGroup', { others: others.join(', ') })}</p>}
      {action === 'reset' && <p className="warn-text">{t('hostpage.devices.warnReset')}</p>}
      {device.usedBy.length > 0 && <p className="muted">{t('hostpage.devices.assignedNote', { vms: device.usedBy.join(', ') })}</p>}
    </ActionDialog>
  );
}
