import { useEffect, useState } from 'react';
import type { AppErrorShape } from '../../../../../shared/errors';
import type { NewDeviceInput, NodeDeviceInfo } from '../../../../../shared/model/details';
import { useApi } from '../../../api/ApiProvider';
import { ErrorText } from '../../../components/ErrorText';
import { Modal } from '../../../components/Modal';
import { useT } from '../../../i18n/I18nProvider';
import { formatError, toErrorShape } from '../../../lib/format-error';

type Kind = 'disk' | 'cdrom' | 'interface' | 'serial' | 'rng' | 'hostdev';

interface Props {
  hostId: string;
  running: boolean;
  onAdd: (device: NewDeviceInput, live: boolean) => Promise<void>;
  onCancel: () => void;
}

/** Add hardware: a disk (existing path or new volume), CD-ROM, NIC, serial port, RNG, or a host USB/PCI device. */
export function AddHardwareDialog({ hostId, running, onAdd, onCancel }: Props) {
  const t = useT();
  const api = useApi();
  const [kind, setKind] = useState<Kind>('disk');
  const [diskSource, setDiskSource] = useState<'path' | 'new-volume'>('new-volume');
  const [path, setPath] = useState('');
  const [pools, setPools] = useState<string[]>([]);
  const [pool, setPool] = useState('');
  const [volName, setVolName] = useState('');
  const [sizeGiB, setSizeGiB] = useState('10');
  const [bus, setBus] = useState<'virtio' | 'sata' | 'scsi'>('virtio');
  const [nicType, setNicType] = useState<'network' | 'bridge' | 'direct' | 'user'>('network');
  const [nicSource, setNicSource] = useState('default');
  const [nicModel, setNicModel] = useState<'virtio' | 'e1000' | 'e1000e' | 'rtl8139'>('virtio');
  const [serialType, setSerialType] = useState<'pty' | 'file' | 'tcp'>('pty');
  const [rngBackend, setRngBackend] = useState('/dev/urandom');
  const [hostDevs, setHostDevs] = useState<NodeDeviceInfo[] | null>(null);
  const [nodedev, setNodedev] = useState('');
  const [live, setLive] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppErrorShape | null>(null);

  useEffect(() => {
    api.request('details.pools', { hostId }).then((p) => (setPools(p), setPool(p[0] ?? '')), () => setPools([]));
  }, [api, hostId]);
  useEffect(() => {
    if (kind !== 'hostdev' || hostDevs !== null) return;
    api.request('details.hostDevices', { hostId }).then((d) => (setHostDevs(d), setNodedev(d[0]?.name ?? '')), (e: unknown) => setError(toErrorShape(e)));
  }, [api, hostId, kind, hostDevs]);

  const device = (): NewDeviceInput => {
    switch (kind) {
      case 'disk':
        return {
          kind: 'disk',
          bus,
          source: diskSource === 'path' ? { type: 'path', path } : { type: 'new-volume', pool, name: volName, sizeGiB: Number(sizeGiB) },
        };
      case 'cdrom':
        return { kind: 'disk', device: 'cdrom', bus: 'sata', source: path.trim() ? { type: 'path', path: path.trim() } : { type: 'none' } };
      case 'interface':
        return { kind: 'interface', type: nicType, model: nicModel, ...(nicType === 'user' ? {} : { source: nicSource }) };
      case 'serial':
        return { kind: 'serial', type: serialType, ...(serialType === 'pty' ? {} : { path }) };
      case 'rng':
        return { kind: 'rng', backend: rngBackend };
      case 'hostdev':
        return { kind: 'hostdev', bus: hostDevs?.find((d) => d.name === nodedev)?.bus ?? 'usb', nodedev };
    }
  };
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await onAdd(device(), live);
    } catch (e) {
      setError(toErrorShape(e));
      setBusy(false);
    }
  };

  return (
    <Modal title={t('details.add.title')} onCancel={onCancel} testId="add-hw-dialog">
      <form className="form" onSubmit={(e) => (e.preventDefault(), void submit())}>
        <label>
          {t('details.add.kind')}
          <select value={kind} onChange={(e) => setKind(e.target.value as Kind)} data-testid="add-hw-kind" data-autofocus>
            {(['disk', 'cdrom', 'interface', 'serial', 'rng', 'hostdev'] as const).map((k) => (
              <option key={k} value={k}>
                {t(`details.add.kind.${k}`)}
              </option>
            ))}
          </select>
        </label>
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
                <label>
                  {t('details.add.pool')}
                  <select value={pool} onChange={(e) => setPool(e.target.value)}>
                    {pools.map((p) => (
                      <option key={p}>{p}</option>
                    ))}
                  </select>
                </label>
                <label>
                  {t('details.add.volName')}
                  <input value={volName} required pattern="[A-Za-z0-9._+\-]+" placeholder="data.qcow2" onChange={(e) => setVolName(e.target.value)} />
                </label>
                <label>
                  {t('details.add.size')}
                  <input type="number" min={0.1} step={0.1} value={sizeGiB} onChange={(e) => setSizeGiB(e.target.value)} />
                </label>
              </div>
            ) : (
              <label>
                {t('details.add.path')}
                <input value={path} required onChange={(e) => setPath(e.target.value)} className="mono" data-testid="add-disk-path" />
              </label>
            )}
            <label>
              {t('details.hw.bus')}
              <select value={bus} onChange={(e) => setBus(e.target.value as 'virtio')}>
                <option>virtio</option>
                <option>sata</option>
                <option>scsi</option>
              </select>
            </label>
          </>
        )}
        {kind === 'cdrom' && (
          <label>
            {t('details.add.isoOptional')}
            <input value={path} onChange={(e) => setPath(e.target.value)} className="mono" />
          </label>
        )}
        {kind === 'interface' && (
          <div className="form-row">
            <label>
              {t('details.hw.nicType')}
              <select value={nicType} onChange={(e) => setNicType(e.target.value as 'network')} data-testid="add-nic-type">
                <option value="network">{t('details.hw.nicNetwork')}</option>
                <option value="bridge">{t('details.hw.nicBridge')}</option>
                <option value="direct">{t('details.hw.nicDirect')}</option>
                <option value="user">{t('details.hw.nicUser')}</option>
              </select>
            </label>
            {nicType !== 'user' && (
              <label>
                {t('details.hw.source')}
                <input value={nicSource} required onChange={(e) => setNicSource(e.target.value)} />
              </label>
            )}
            <label>
              {t('details.hw.model')}
              <select value={nicModel} onChange={(e) => setNicModel(e.target.value as 'virtio')}>
                {['virtio', 'e1000', 'e1000e', 'rtl8139'].map((m) => (
                  <option key={m}>{m}</option>
                ))}
              </select>
            </label>
          </div>
        )}
        {kind === 'serial' && (
          <div className="form-row">
            <label>
              {t('details.hw.type')}
              <select value={serialType} onChange={(e) => setSerialType(e.target.value as 'pty')}>
                <option value="pty">pty</option>
                <option value="file">{t('details.add.serialFile')}</option>
                <option value="tcp">TCP</option>
              </select>
            </label>
            {serialType !== 'pty' && (
              <label>
                {serialType === 'tcp' ? t('details.add.hostPort') : t('details.add.path')}
                <input value={path} required onChange={(e) => setPath(e.target.value)} className="mono" />
              </label>
            )}
          </div>
        )}
        {kind === 'rng' && (
          <label>
            {t('details.hw.rngBackend')}
            <input value={rngBackend} onChange={(e) => setRngBackend(e.target.value)} className="mono" />
          </label>
        )}
        {kind === 'hostdev' &&
          (hostDevs === null ? (
            <p className="muted">{t('common.loading')}</p>
          ) : hostDevs.length === 0 ? (
            <p className="muted">{t('details.add.noHostDevs')}</p>
          ) : (
            <label>
              {t('details.add.hostDev')}
              <select value={nodedev} onChange={(e) => setNodedev(e.target.value)} size={Math.min(8, hostDevs.length)}>
                {hostDevs.map((d) => (
                  <option key={d.name} value={d.name}>
                    {d.bus.toUpperCase()} {d.label}
                  </option>
                ))}
              </select>
            </label>
          ))}
        {running && (
          <label className="checkbox">
            <input type="checkbox" checked={live} onChange={(e) => setLive(e.target.checked)} />
            {t('details.add.hotplug')}
          </label>
        )}
        {error && <ErrorText>{formatError(t, error)}</ErrorText>}
        <div className="modal-buttons">
          <button type="button" onClick={onCancel}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy || (kind === 'hostdev' && !nodedev)} data-testid="add-hw-ok">
            {t('details.add.ok')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
