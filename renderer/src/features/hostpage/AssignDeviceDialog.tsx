import { useEffect, useState } from 'react';
import type { RequestArgs } from '../../../../shared/contract';
import type { PassthroughDevice } from '../../../../shared/model/hostinfo';
import { useApi } from '../../api/ApiProvider';
import { useT } from '../../i18n/I18nProvider';
import { emptyHostDomains, useDomainsStore } from '../../stores/domains';
import { ActionDialog } from '../activity/ActionDialog';
import { SelectField } from '../details/hardware/fields';

/**
 * "Assign to VM…": the same `details.addDevice` request as Add hardware → host device, so the
 * same planner, preview, `define --validate` and XML history. It changes the VM's persistent
 * definition; a running VM gets the device at its next boot.
 */
export function AssignDeviceDialog({ hostId, device, onDone, onClose }: { hostId: string; device: PassthroughDevice; onDone: () => void; onClose: () => void }) {
  const t = useT();
  const api = useApi();
  const vms = useDomainsStore((s) => (s.byHost[hostId] ?? emptyHostDomains).domains).filter((d) => d.persistent && !device.usedBy.includes(d.name));
  const [uuid, setUuid] = useState(vms[0]?.uuid ?? '');
  const [etag, setEtag] = useState<string | null>(null);
  useEffect(() => {
    setEtag(null);
    if (!uuid) return;
    let current = true;
    api.request('details.get', { hostId, uuid }).then((d) => current && setEtag(d.etag), () => undefined);
    return () => {
      current = false;
    };
  }, [api, hostId, uuid]);
  const args: RequestArgs<'details.addDevice'> | null = uuid && etag ? { hostId, uuid, etag, device: { kind: 'hostdev', bus: device.bus, nodedev: device.name }, live: false } : null;
  return (
    <ActionDialog
      title={`${t('hostpage.devices.assign')}: ${device.label}`}
      request="details.addDevice"
      args={args}
      confirmLabel={t('hostpage.devices.assignOk')}
      testId="assign-dialog"
      onRun={async (a) => {
        try {
          await api.request('details.addDevice', a);
        } finally {
          onDone();
        }
      }}
      onClose={onClose}
    >
      {vms.length === 0 ? (
        <p className="muted">{t('hostpage.devices.assignNoVm')}</p>
      ) : (
        <SelectField label={t('hostpage.devices.assignVm')} value={uuid} onChange={setUuid} options={vms.map((d) => [d.uuid, d.name] as const)} testId="assign-vm" />
      )}
      {device.groupAddresses.length > 1 && <p className="warn-text">{t('hostpage.devices.wholeGroup', { n: device.groupAddresses.length })}</p>}
      <p className="muted">{t('hostpage.devices.assignNote')}</p>
    </ActionDialog>
  );
}
