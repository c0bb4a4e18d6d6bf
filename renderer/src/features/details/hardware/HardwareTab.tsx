/**
 * The Hardware tab: a sidebar of settings and devices read from the VM's XML, the form of the
 * selected one, "Add hardware", and remove with confirmation. Every form writes the persistent
 * definition; while the VM runs, forms say what applies now and what at the next boot.
 */
import { useState } from 'react';
import type { RequestArgs } from '../../../../../shared/contract';
import type { Device } from '../../../../../shared/model/details';
import { useApi } from '../../../api/ApiProvider';
import { ErrorText } from '../../../components/ErrorText';
import { useT } from '../../../i18n/I18nProvider';
import { formatError } from '../../../lib/format-error';
import { ActionDialog } from '../../activity/ActionDialog';
import { AddHardwareDialog } from './AddHardwareDialog';
import { BootForm } from './BootForm';
import { CpuForm, MemoryForm } from './CpuMemoryForms';
import { deviceLabel, sortDevices } from './device-label';
import { DiskForm, NicForm } from './DiskNicForms';
import { EditOutcome } from './EditOutcome';
import { GraphicsForm } from './GraphicsForm';
import { DeviceForm } from './OtherForms';
import type { FormProps, Outcome } from './use-edit';

type Item = 'cpus' | 'memory' | 'boot' | string;

export function HardwareTab({ hostId, details, onChanged }: Omit<FormProps, 'onOutcome'>) {
  const t = useT();
  const api = useApi();
  const [selected, setSelected] = useState<Item>('cpus');
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<Device | null>(null);
  const [outcome, setOutcome] = useState<Outcome>({ result: null, error: null });
  const props: FormProps = { hostId, details, onChanged, onOutcome: setOutcome };
  const running = details.live !== null;
  const devices = sortDevices(details.config.devices);
  const device = devices.find((d) => d.id === selected);

  /** Removal runs from the confirmation dialog, which also shows its virsh commands. */
  const removeArgs = (d: Device) => ({ hostId, uuid: details.uuid, etag: details.etag, id: d.id, live: running });
  const remove = async (d: Device) => {
    const result = await api.request('details.removeDevice', removeArgs(d));
    setOutcome({ result, error: null });
    setSelected('cpus');
    onChanged();
  };
  const add = async (args: RequestArgs<'details.addDevice'>) => {
    const result = await api.request('details.addDevice', args);
    setAdding(false);
    setOutcome({ result, error: null });
    setSelected(result.id);
    onChanged();
  };

  const item = (id: Item, label: string) => (
    <li key={id}>
      <button
        type="button"
        className={selected === id ? 'hw-item selected' : 'hw-item'}
        aria-current={selected === id}
        onClick={() => (setSelected(id), setOutcome({ result: null, error: null }))}
        data-testid={`hw-item-${id}`}
      >
        {label}
      </button>
    </li>
  );
  // Forms start from the loaded definition; a new etag (any change) remounts them with fresh values.
  const key = `${selected}:${details.etag}`;
  let form;
  if (selected === 'cpus') form = <CpuForm key={key} {...props} />;
  else if (selected === 'memory') form = <MemoryForm key={key} {...props} />;
  else if (selected === 'boot') form = <BootForm key={key} {...props} />;
  else if (device?.kind === 'disk') form = <DiskForm key={key} {...props} device={device} />;
  else if (device?.kind === 'interface') form = <NicForm key={key} {...props} device={device} />;
  else if (device?.kind === 'graphics') form = <GraphicsForm key={key} {...props} device={device} />;
  else if (device) form = <DeviceForm key={key} {...props} device={device} />;

  return (
    <div className="hardware-tab" data-testid="hardware-tab">
      <nav className="hw-sidebar" aria-label={t('details.tab.hardware')}>
        <ul>
          {item('cpus', t('details.hw.cpus'))}
          {item('memory', t('details.hw.memory'))}
          {item('boot', t('details.hw.boot'))}
          {devices.map((d) => item(d.id, deviceLabel(t, d)))}
        </ul>
        <button type="button" onClick={() => setAdding(true)} disabled={!details.persistent} data-testid="hw-add">
          {t('details.add.title')}
        </button>
      </nav>
      <div className="hw-main">
        {!details.persistent && <p className="note">{t('details.hw.transient')}</p>}
        {form}
        <EditOutcome result={outcome.result} error={outcome.error} />
        {device && (
          <div className="form-buttons hw-remove">
            <button type="button" className="danger" onClick={() => setRemoving(device)} data-testid="hw-remove">
              {t('details.hw.remove')}
            </button>
          </div>
        )}
        {!device && !['cpus', 'memory', 'boot'].includes(selected) && <ErrorText>{formatError(t, { code: 'not_found', message: selected })}</ErrorText>}
      </div>
      {adding && <AddHardwareDialog hostId={hostId} uuid={details.uuid} etag={details.etag} running={running} usb={!details.config.devices.some((d) => d.kind === 'controller' && d.type === 'usb' && d.model === 'none')} onAdd={add} onCancel={() => setAdding(false)} />}
      {removing && (
        <ActionDialog
          title={t('details.hw.removeTitle')}
          request="details.removeDevice"
          args={removeArgs(removing)}
          confirmLabel={t('details.hw.remove')}
          danger
          testId="hw-remove-dialog"
          onRun={() => remove(removing)}
          onClose={() => setRemoving(null)}
        >
          <p>{running ? t('details.hw.removeConfirmRunning', { name: deviceLabel(t, removing) }) : t('details.hw.removeConfirm', { name: deviceLabel(t, removing) })}</p>
        </ActionDialog>
      )}
    </div>
  );
}
