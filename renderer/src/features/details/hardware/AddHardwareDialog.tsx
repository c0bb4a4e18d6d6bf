import { useEffect, useState } from 'react';
import type { RequestArgs } from '../../../../../shared/contract';
import type { NewDeviceInput, NodeDeviceInfo } from '../../../../../shared/model/details';
import { useApi } from '../../../api/ApiProvider';
import { useT } from '../../../i18n/I18nProvider';
import { ActionDialog } from '../../activity/ActionDialog';
import { AddOtherFields, OTHER_KINDS, defaultOther, type OtherKind } from './AddOtherFields';
import { nicTypeOptions } from './DiskNicForms';
import { CheckField, NumberField, SelectField, TextField } from './fields';

type Kind = 'disk' | 'cdrom' | 'interface' | 'serial' | 'rng' | 'hostdev' | OtherKind;
const KINDS: readonly Kind[] = ['disk', 'cdrom', 'interface', 'serial', 'rng', 'hostdev', ...OTHER_KINDS];

interface Props {
  hostId: string;
  uuid: string;
  etag: string;
  running: boolean;
  /** The VM has a USB controller: USB devices are offered first. */
  usb: boolean;
  onAdd: (args: RequestArgs<'details.addDevice'>) => Promise<void>;
  onCancel: () => void;
}

/**
 * Add hardware: a disk (existing path or new volume), CD-ROM, NIC, serial port, RNG, a host
 * USB/PCI device, an input device, watchdog, TPM, sound card, agent channel or shared folder.
 * "Show command" previews exactly the request Add sends.
 */
export function AddHardwareDialog({ hostId, uuid, etag, running, usb, onAdd, onCancel }: Props) {
  const t = useT();
  const api = useApi();
  const [kind, setKind] = useState<Kind>('disk');
  const [diskSource, setDiskSource] = useState<'path' | 'new-volume'>('new-volume');
  const [path, setPath] = useState('');
  const [pools, setPools] = useState<string[]>([]);
  const [pool, setPool] = useState('');
  const [volName, setVolName] = useState('');
  const [sizeGiB, setSizeGiB] = useState('10');
  const [bus, setBus] = useState('virtio');
  const [nicType, setNicType] = useState('network');
  const [nicSource, setNicSource] = useState('default');
  const [nicModel, setNicModel] = useState('virtio');
  const [serialType, setSerialType] = useState('pty');
  const [rngBackend, setRngBackend] = useState('/dev/urandom');
  const [hostDevs, setHostDevs] = useState<NodeDeviceInfo[] | null>(null);
  const [nodedev, setNodedev] = useState('');
  const [other, setOther] = useState<NewDeviceInput | null>(null);
  const [live, setLive] = useState(true);

  useEffect(() => {
    api.request('details.pools', { hostId }).then((p) => (setPools(p), setPool(p[0] ?? '')), () => setPools([]));
  }, [api, hostId]);
  useEffect(() => {
    if (kind !== 'hostdev' || hostDevs !== null) return;
    api.request('details.hostDevices', { hostId }).then((d) => (setHostDevs(d), setNodedev(d[0]?.name ?? '')), () => setHostDevs([]));
  }, [api, hostId, kind, hostDevs]);
  const pickKind = (k: Kind) => {
    setKind(k);
    setOther((OTHER_KINDS as readonly string[]).includes(k) ? defaultOther(k as OtherKind, usb) : null);
  };

  /** The device as the form describes it; null while incomplete. */
  const device = (): NewDeviceInput | null => {
    switch (kind) {
      case 'disk':
        if (diskSource === 'path' || pools.length === 0) return path.trim() ? { kind: 'disk', bus: bus as 'virtio', source: { type: 'path', path: path.trim() } } : null;
        return volName && Number(sizeGiB) > 0 ? { kind: 'disk', bus: bus as 'virtio', source: { type: 'new-volume', pool, name: volName, sizeGiB: Number(sizeGiB) } } : null;
      case 'cdrom':
        return { kind: 'disk', device: 'cdrom', bus: 'sata', source: path.trim() ? { type: 'path', path: path.trim() } : { type: 'none' } };
      case 'interface':
        return nicType !== 'user' && !nicSource ? null : { kind: 'interface', type: nicType as 'network', model: nicModel as 'virtio', ...(nicType === 'user' ? {} : { source: nicSource }) };
      case 'serial':
        return serialType !== 'pty' && !path ? null : { kind: 'serial', type: serialType as 'pty', ...(serialType === 'pty' ? {} : { path }) };
      case 'rng':
        return { kind: 'rng', backend: rngBackend };
      case 'hostdev':
        return nodedev ? { kind: 'hostdev', bus: hostDevs?.find((d) => d.name === nodedev)?.bus ?? 'usb', nodedev } : null;
      default:
        return other;
    }
  };
  const dev = device();
  const args: RequestArgs<'details.addDevice'> | null = dev ? { hostId, uuid, etag, device: dev, live: running && live } : null;

  return (
    <ActionDialog title={t('details.add.title')} request="details.addDevice" args={args} confirmLabel={t('details.add.ok')} testId="add-hw-dialog" onRun={onAdd} onClose={onCancel}>
      <SelectField label={t('details.add.kind')} value={kind} onChange={(v) => pickKind(v as Kind)} options={KINDS.map((k) => [k, t(`details.add.kind.${k}`)] as const)} testId="add-hw-kind" />
      {kind === 'disk' && (
        <>
          <div className="form-row">
            <label className="checkbox">
              <input type="radio" checked={diskSource === 'new-volume'} onChange={() => setDiskSource('new-volume')} disabled={pools.length === 0} />
              {t('details.add.newVolume')}
            </label>
            <label className="checkbox">
              <input type="radio" checked={diskSource === 'path'} onChange={() => setDiskSource('path')} data-testid="add-disk-existing" />
              {t('details.add.existing')}
            </label>
          </div>
          {diskSource === 'new-volume' && pools.length > 0 ? (
            <div className="form-row">
              <SelectField label={t('details.add.pool')} value={pool} onChange={setPool} options={pools} />
              <TextField label={t('details.add.volName')} value={volName} required pattern="[A-Za-z0-9._+\-]+" placeholder="data.qcow2" onChange={setVolName} testId="add-vol-name" />
              <NumberField label={t('details.add.size')} min={0.1} step={0.1} value={sizeGiB} onChange={setSizeGiB} />
            </div>
          ) : (
            <TextField label={t('details.add.path')} value={path} required onChange={setPath} mono testId="add-disk-path" />
          )}
          <SelectField label={t('details.hw.bus')} value={bus} onChange={setBus} options={['virtio', 'sata', 'scsi']} />
        </>
      )}
      {kind === 'cdrom' && <TextField label={t('details.add.isoOptional')} value={path} onChange={setPath} mono />}
      {kind === 'interface' && (
        <div className="form-row">
          <SelectField
            label={t('details.hw.nicType')}
            value={nicType}
            onChange={setNicType}
            testId="add-nic-type"
            options={nicTypeOptions(t)}
          />
          {nicType !== 'user' && <TextField label={t('details.hw.source')} value={nicSource} required onChange={setNicSource} />}
          <SelectField label={t('details.hw.model')} value={nicModel} onChange={setNicModel} options={['virtio', 'e1000', 'e1000e', 'rtl8139']} />
        </div>
      )}
      {kind === 'serial' && (
        <div className="form-row">
          <SelectField label={t('details.hw.type')} value={serialType} onChange={setSerialType} options={[['pty', 'pty'], ['file', t('details.add.serialFile')], ['tcp', 'TCP']]} />
          {serialType !== 'pty' && <TextField label={serialType === 'tcp' ? t('details.add.hostPort') : t('details.add.path')} value={path} required onChange={setPath} mono />}
        </div>
      )}
      {kind === 'rng' && <TextField label={t('details.hw.rngBackend')} value={rngBackend} onChange={setRngBackend} mono />}
      {kind === 'hostdev' &&
        (hostDevs === null ? (
          <p className="muted">{t('common.loading')}</p>
        ) : hostDevs.length === 0 ? (
          <p className="muted">{t('details.add.noHostDevs')}</p>
        ) : (
          <SelectField label={t('details.add.hostDev')} value={nodedev} onChange={setNodedev} options={hostDevs.map((d) => [d.name, `${d.bus.toUpperCase()} ${d.label}`] as const)} />
        ))}
      {other && <AddOtherFields device={other} onChange={setOther} />}
      {running && <CheckField label={t('details.add.hotplug')} checked={live} onChange={setLive} />}
    </ActionDialog>
  );
}
