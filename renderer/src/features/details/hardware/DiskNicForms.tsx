import { useState } from 'react';
import type { DiskDevice, HardwareEdit, InterfaceDevice } from '../../../../../shared/model/details';
import { useApi } from '../../../api/ApiProvider';
import { useT } from '../../../i18n/I18nProvider';
import type { FormProps } from './CpuMemoryForms';
import { useEdit } from './use-edit';

type DiskEdit = Extract<HardwareEdit, { kind: 'disk' }>;
type NicEdit = Extract<HardwareEdit, { kind: 'interface' }>;

/** Disk source, bus, cache, io, format, flags; for a CD-ROM also insert/eject on the spot. */
export function DiskForm(props: FormProps & { device: DiskDevice }) {
  const { hostId, details, device } = props;
  const t = useT();
  const api = useApi();
  const d = device;
  const liveDev = details.live?.devices.find((x) => x.kind === 'disk' && x.target === d.target) as DiskDevice | undefined;
  const [source, setSource] = useState(d.source ?? '');
  const [bus, setBus] = useState(d.bus ?? 'virtio');
  const [cache, setCache] = useState(d.cache ?? 'default');
  const [io, setIo] = useState(d.io ?? 'default');
  const [format, setFormat] = useState(d.format ?? 'raw');
  const [readonly, setReadonly] = useState(d.readonly);
  const [shareable, setShareable] = useState(d.shareable);
  const [media, setMedia] = useState('');
  const edit = useEdit(props);
  const removable = d.device === 'cdrom' || d.device === 'floppy';
  const editableSource = d.type === 'file' || d.type === 'block';

  const submit = () => {
    const e: DiskEdit = { kind: 'disk', id: d.id };
    if (editableSource && !removable && source !== (d.source ?? '')) e.source = source;
    if (bus !== (d.bus ?? 'virtio')) e.bus = bus as DiskEdit['bus'];
    if (cache !== (d.cache ?? 'default')) e.cache = cache as DiskEdit['cache'];
    if (io !== (d.io ?? 'default')) e.io = io as DiskEdit['io'];
    if (format !== (d.format ?? 'raw')) e.format = format as DiskEdit['format'];
    if (readonly !== d.readonly) e.readonly = readonly;
    if (shareable !== d.shareable) e.shareable = shareable;
    return edit.run(() => api.request('details.edit', { hostId, uuid: details.uuid, etag: details.etag, live: false, edit: e }));
  };
  const changeMedia = (src: string | null) => edit.run(() => api.request('details.changeMedia', { hostId, uuid: details.uuid, target: d.target ?? '', source: src }));

  const sel = (value: string, set: (v: string) => void, options: readonly string[], testId?: string) => (
    <select value={value} onChange={(e) => set(e.target.value)} data-testid={testId}>
      {options.map((o) => (
        <option key={o} value={o}>
          {o}
        </option>
      ))}
    </select>
  );
  return (
    <form className="form hw-form" data-testid="hw-form-disk" onSubmit={(e) => (e.preventDefault(), void submit())}>
      <h3>{t('details.hw.diskTitle', { target: d.target ?? '' })}</h3>
      <p className="muted">{t('details.hw.diskKind', { device: d.device, type: d.type })}</p>
      {removable ? (
        <fieldset>
          <legend>{t('details.hw.media')}</legend>
          <p className="mono" data-testid="hw-media-current">{(liveDev ?? d).source ?? t('details.hw.noMedia')}</p>
          <div className="form-row">
            <input value={media} placeholder="/var/lib/libvirt/images/install.iso" onChange={(e) => setMedia(e.target.value)} className="mono" data-testid="hw-media-path" />
            <button type="button" disabled={edit.busy || media.trim() === ''} onClick={() => void changeMedia(media.trim())} data-testid="hw-media-insert">
              {t('details.hw.insert')}
            </button>
            <button type="button" disabled={edit.busy || !(liveDev ?? d).source} onClick={() => void changeMedia(null)} data-testid="hw-media-eject">
              {t('details.hw.eject')}
            </button>
          </div>
        </fieldset>
      ) : (
        <label>
          {t('details.hw.source')}
          <input value={source} disabled={!editableSource} onChange={(e) => setSource(e.target.value)} className="mono" data-testid="hw-disk-source" />
        </label>
      )}
      <div className="form-row">
        <label>
          {t('details.hw.bus')}
          {sel(bus, setBus, ['virtio', 'sata', 'scsi', 'ide', 'usb'], 'hw-disk-bus')}
        </label>
        <label>
          {t('details.hw.format')}
          {sel(format, setFormat, ['raw', 'qcow2', 'qed', 'vmdk', 'vdi'])}
        </label>
        <label>
          {t('details.hw.cache')}
          {sel(cache, setCache, ['default', 'none', 'writethrough', 'writeback', 'directsync', 'unsafe'], 'hw-disk-cache')}
        </label>
        <label>
          {t('details.hw.io')}
          {sel(io, setIo, ['default', 'native', 'threads', 'io_uring'])}
        </label>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={readonly} onChange={(e) => setReadonly(e.target.checked)} />
        {t('details.hw.readonly')}
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={shareable} onChange={(e) => setShareable(e.target.checked)} />
        {t('details.hw.shareable')}
      </label>
      {details.live !== null && <p className="note">{t('details.hw.nextBoot')}</p>}
      <div className="form-buttons">
        <button type="submit" className="primary" disabled={edit.busy} data-testid="hw-apply">
          {t('details.hw.apply')}
        </button>
      </div>
    </form>
  );
}

/** NIC source (virtual network, bridge, macvtap, user), model, MAC, link state. */
export function NicForm(props: FormProps & { device: InterfaceDevice }) {
  const { hostId, details, device } = props;
  const t = useT();
  const api = useApi();
  const d = device;
  const known = ['network', 'bridge', 'direct', 'user'];
  const [type, setType] = useState(known.includes(d.type) ? d.type : 'network');
  const [source, setSource] = useState(d.source ?? '');
  const [mode, setMode] = useState(d.sourceMode ?? 'bridge');
  const [model, setModel] = useState(d.model ?? 'virtio');
  const [mac, setMac] = useState(d.mac ?? '');
  const [link, setLink] = useState(d.linkState ?? 'up');
  const edit = useEdit(props);

  const submit = () => {
    const e: NicEdit = { kind: 'interface', id: d.id };
    if (type !== d.type) e.type = type as NicEdit['type'];
    if (type !== 'user' && (source !== (d.source ?? '') || type !== d.type)) e.source = source;
    if (type === 'direct' && mode !== (d.sourceMode ?? 'bridge')) e.sourceMode = mode as NicEdit['sourceMode'];
    if (model !== (d.model ?? 'virtio')) e.model = model as NicEdit['model'];
    if (mac !== (d.mac ?? '') && mac !== '') e.mac = mac;
    if (link !== (d.linkState ?? 'up')) e.linkState = link as NicEdit['linkState'];
    return edit.run(() => api.request('details.edit', { hostId, uuid: details.uuid, etag: details.etag, live: false, edit: e }));
  };

  return (
    <form className="form hw-form" data-testid="hw-form-nic" onSubmit={(e) => (e.preventDefault(), void submit())}>
      <h3>{t('details.hw.nicTitle')}</h3>
      {!known.includes(d.type) && <p className="note">{t('details.hw.nicOtherType', { type: d.type })}</p>}
      <div className="form-row">
        <label>
          {t('details.hw.nicType')}
          <select value={type} onChange={(e) => setType(e.target.value)} data-testid="hw-nic-type">
            <option value="network">{t('details.hw.nicNetwork')}</option>
            <option value="bridge">{t('details.hw.nicBridge')}</option>
            <option value="direct">{t('details.hw.nicDirect')}</option>
            <option value="user">{t('details.hw.nicUser')}</option>
          </select>
        </label>
        {type !== 'user' && (
          <label>
            {type === 'network' ? t('details.hw.nicNetworkName') : type === 'bridge' ? t('details.hw.nicBridgeName') : t('details.hw.nicHostDev')}
            <input value={source} onChange={(e) => setSource(e.target.value)} data-testid="hw-nic-source" />
          </label>
        )}
        {type === 'direct' && (
          <label>
            {t('details.hw.nicMode')}
            <select value={mode} onChange={(e) => setMode(e.target.value)}>
              {['bridge', 'vepa', 'private', 'passthrough'].map((m) => (
                <option key={m}>{m}</option>
              ))}
            </select>
          </label>
        )}
      </div>
      <div className="form-row">
        <label>
          {t('details.hw.model')}
          <select value={model} onChange={(e) => setModel(e.target.value)} data-testid="hw-nic-model">
            {['virtio', 'e1000', 'e1000e', 'rtl8139', 'vmxnet3'].map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        </label>
        <label>
          MAC
          <input value={mac} onChange={(e) => setMac(e.target.value)} className="mono" pattern="([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}" />
        </label>
        <label>
          {t('details.hw.link')}
          <select value={link} onChange={(e) => setLink(e.target.value)}>
            <option value="up">{t('details.hw.linkUp')}</option>
            <option value="down">{t('details.hw.linkDown')}</option>
          </select>
        </label>
      </div>
      {details.live !== null && <p className="note">{t('details.hw.nextBoot')}</p>}
      <div className="form-buttons">
        <button type="submit" className="primary" disabled={edit.busy} data-testid="hw-apply">
          {t('details.hw.apply')}
        </button>
      </div>
    </form>
  );
}
