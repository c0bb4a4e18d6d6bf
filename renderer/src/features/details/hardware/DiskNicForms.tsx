import { useEffect, useState } from 'react';
import type { DiskDevice, HardwareEdit, InterfaceDevice } from '../../../../../shared/model/details';
import { useApi } from '../../../api/ApiProvider';
import { useT } from '../../../i18n/I18nProvider';
import { CommandPreview } from '../../activity/CommandPreview';
import { CheckField, FormFooter, SelectField, TextField } from './fields';
import { changes, useFormEdit, type FormProps } from './use-edit';

type DiskEdit = Extract<HardwareEdit, { kind: 'disk' }>;
type NicEdit = Extract<HardwareEdit, { kind: 'interface' }>;

/** Disk source, bus, cache, io, format, flags; for a CD-ROM also insert/eject on the spot. */
export function DiskForm(props: FormProps & { device: DiskDevice }) {
  const { hostId, details, device: d } = props;
  const t = useT();
  const api = useApi();
  const liveDev = details.live?.devices.find((x) => x.kind === 'disk' && x.target === d.target) as DiskDevice | undefined;
  const [source, setSource] = useState(d.type === 'volume' ? '' : (d.source ?? ''));
  const [srcType, setSrcType] = useState(d.type);
  const [pool, setPool] = useState(d.pool ?? '');
  const [volume, setVolume] = useState(d.volume ?? '');
  const [pools, setPools] = useState<string[]>([]);
  const [bus, setBus] = useState(d.bus ?? 'virtio');
  const [cache, setCache] = useState(d.cache ?? 'default');
  const [io, setIo] = useState(d.io ?? 'default');
  const [format, setFormat] = useState(d.format ?? 'raw');
  const [readonly, setReadonly] = useState(d.readonly);
  const [shareable, setShareable] = useState(d.shareable);
  const [media, setMedia] = useState('');
  const edit = useFormEdit(props);
  const removable = d.device === 'cdrom' || d.device === 'floppy';
  const editableSource = ['file', 'block', 'volume'].includes(d.type);
  useEffect(() => {
    if (srcType !== 'volume') return;
    api.request('details.pools', { hostId }).then(setPools, () => setPools([]));
  }, [api, hostId, srcType]);

  const e: DiskEdit = { kind: 'disk', id: d.id };
  if (editableSource && !removable) {
    if (srcType !== d.type) e.sourceType = srcType as DiskEdit['sourceType'];
    if (srcType === 'volume') {
      if (pool !== (d.pool ?? '') || srcType !== d.type) e.pool = pool;
      if (volume !== (d.volume ?? '') || srcType !== d.type) e.volume = volume;
    } else if (source !== (d.type === 'volume' ? '' : (d.source ?? '')) || srcType !== d.type) e.source = source;
  }
  if (bus !== (d.bus ?? 'virtio')) e.bus = bus as DiskEdit['bus'];
  if (cache !== (d.cache ?? 'default')) e.cache = cache as DiskEdit['cache'];
  if (io !== (d.io ?? 'default')) e.io = io as DiskEdit['io'];
  if (format !== (d.format ?? 'raw')) e.format = format as DiskEdit['format'];
  if (readonly !== d.readonly) e.readonly = readonly;
  if (shareable !== d.shareable) e.shareable = shareable;
  const args = edit.argsOf(changes(e) ? [e] : []);
  const mediaArgs = (src: string | null) => ({ hostId, uuid: details.uuid, target: d.target ?? '', source: src });
  // change-media works on the running VM and its config at once: always "now".
  const changeMedia = (src: string | null) => edit.run(() => api.request('details.changeMedia', mediaArgs(src)));

  return (
    <form className="form hw-form" data-testid="hw-form-disk" onSubmit={(ev) => (ev.preventDefault(), void edit.apply(args))}>
      <h3>{t('details.hw.diskTitle', { target: d.target ?? '' })}</h3>
      <p className="muted">{t('details.hw.diskKind', { device: d.device, type: d.type })}</p>
      {removable ? (
        <fieldset>
          <legend>{t('details.hw.media')}</legend>
          <p className="mono" data-testid="hw-media-current">{(liveDev ?? d).source ?? t('details.hw.noMedia')}</p>
          <div className="form-row">
            <input value={media} placeholder="/var/lib/libvirt/images/install.iso" onChange={(ev) => setMedia(ev.target.value)} className="mono" data-testid="hw-media-path" aria-label={t('details.hw.media')} />
            <button type="button" disabled={edit.busy || media.trim() === ''} onClick={() => void changeMedia(media.trim())} data-testid="hw-media-insert">
              {t('details.hw.insert')}
            </button>
            <button type="button" disabled={edit.busy || !(liveDev ?? d).source} onClick={() => void changeMedia(null)} data-testid="hw-media-eject">
              {t('details.hw.eject')}
            </button>
          </div>
          <p className="muted">{t('details.hw.mediaNow')}</p>
          <CommandPreview request="details.changeMedia" args={media.trim() ? mediaArgs(media.trim()) : (liveDev ?? d).source ? mediaArgs(null) : null} />
        </fieldset>
      ) : (
        <div className="form-row">
          <SelectField label={t('details.hw.sourceType')} value={srcType} disabled={!editableSource} onChange={setSrcType} options={editableSource ? [['file', t('details.hw.srcFile')], ['block', t('details.hw.srcBlock')], ['volume', t('details.hw.srcVolume')]] : [d.type]} testId="hw-disk-source-type" />
          {srcType === 'volume' ? (
            <>
              <SelectField label={t('details.add.pool')} value={pool} onChange={setPool} options={pools.includes(pool) || !pool ? pools : [pool, ...pools]} />
              <TextField label={t('details.add.volName')} value={volume} onChange={setVolume} mono />
            </>
          ) : (
            <TextField label={t('details.hw.source')} value={source} disabled={!editableSource} onChange={setSource} mono testId="hw-disk-source" />
          )}
        </div>
      )}
      <div className="form-row">
        <SelectField label={t('details.hw.bus')} value={bus} onChange={setBus} options={['virtio', 'sata', 'scsi', 'ide', 'usb']} testId="hw-disk-bus" />
        <SelectField label={t('details.hw.format')} value={format} onChange={setFormat} options={['raw', 'qcow2', 'qed', 'vmdk', 'vdi']} />
        <SelectField label={t('details.hw.cache')} value={cache} onChange={setCache} options={['default', 'none', 'writethrough', 'writeback', 'directsync', 'unsafe']} testId="hw-disk-cache" />
        <SelectField label={t('details.hw.io')} value={io} onChange={setIo} options={['default', 'native', 'threads', 'io_uring']} />
      </div>
      <CheckField label={t('details.hw.readonly')} checked={readonly} onChange={setReadonly} />
      <CheckField label={t('details.hw.shareable')} checked={shareable} onChange={setShareable} />
      <FormFooter running={details.live !== null} busy={edit.busy} args={args} />
    </form>
  );
}

/** A NIC's kinds of source, for the NIC form and "Add hardware". */
export const nicTypeOptions = (t: ReturnType<typeof useT>) =>
  [['network', t('details.hw.nicNetwork')], ['bridge', t('details.hw.nicBridge')], ['direct', t('details.hw.nicDirect')], ['user', t('details.hw.nicUser')]] as const;

/** NIC source (virtual network, bridge, macvtap, user), model, MAC, link state (live too). */
export function NicForm(props: FormProps & { device: InterfaceDevice }) {
  const { details, device: d } = props;
  const t = useT();
  const known = ['network', 'bridge', 'direct', 'user'];
  const [type, setType] = useState(known.includes(d.type) ? d.type : 'network');
  const [source, setSource] = useState(d.source ?? '');
  const [mode, setMode] = useState(d.sourceMode ?? 'bridge');
  const [model, setModel] = useState(d.model ?? 'virtio');
  const [mac, setMac] = useState(d.mac ?? '');
  const [link, setLink] = useState(d.linkState ?? 'up');
  const [live, setLive] = useState(true);
  const edit = useFormEdit(props);

  const e: NicEdit = { kind: 'interface', id: d.id };
  if (type !== d.type) e.type = type as NicEdit['type'];
  if (type !== 'user' && (source !== (d.source ?? '') || type !== d.type)) e.source = source;
  if (type === 'direct' && mode !== (d.sourceMode ?? 'bridge')) e.sourceMode = mode as NicEdit['sourceMode'];
  if (model !== (d.model ?? 'virtio')) e.model = model as NicEdit['model'];
  if (mac !== (d.mac ?? '') && /^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/.test(mac)) e.mac = mac;
  if (link !== (d.linkState ?? 'up')) e.linkState = link as NicEdit['linkState'];
  const args = edit.argsOf(changes(e) ? [e] : [], live);

  return (
    <form className="form hw-form" data-testid="hw-form-nic" onSubmit={(ev) => (ev.preventDefault(), void edit.apply(args))}>
      <h3>{t('details.hw.nicTitle')}</h3>
      {!known.includes(d.type) && <p className="note">{t('details.hw.nicOtherType', { type: d.type })}</p>}
      <div className="form-row">
        <SelectField
          label={t('details.hw.nicType')}
          value={type}
          onChange={setType}
          testId="hw-nic-type"
          options={nicTypeOptions(t)}
        />
        {type !== 'user' && (
          <TextField label={type === 'network' ? t('details.hw.nicNetworkName') : type === 'bridge' ? t('details.hw.nicBridgeName') : t('details.hw.nicHostDev')} value={source} onChange={setSource} testId="hw-nic-source" />
        )}
        {type === 'direct' && <SelectField label={t('details.hw.nicMode')} value={mode} onChange={setMode} options={['bridge', 'vepa', 'private', 'passthrough']} />}
      </div>
      <div className="form-row">
        <SelectField label={t('details.hw.model')} value={model} onChange={setModel} options={['virtio', 'e1000', 'e1000e', 'rtl8139', 'vmxnet3']} testId="hw-nic-model" />
        <TextField label="MAC" value={mac} onChange={setMac} mono pattern="([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}" />
        <SelectField label={t('details.hw.link')} value={link} onChange={setLink} options={[['up', t('details.hw.linkUp')], ['down', t('details.hw.linkDown')]]} />
      </div>
      <FormFooter running={details.live !== null} live={{ value: live, set: setLive, hint: t('details.hw.nicLiveHint') }} busy={edit.busy} args={args} />
    </form>
  );
}
