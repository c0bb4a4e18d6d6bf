import type { NewDeviceInput } from '../../../../../shared/model/details';
import { useT } from '../../../i18n/I18nProvider';
import { CheckField, SelectField, TextField } from './fields';

/** The "Add hardware" kinds whose whole form is a few choices (AddHardwareDialog has the rest). */
export const OTHER_KINDS = ['input', 'watchdog', 'tpm', 'sound', 'channel', 'filesystem'] as const;
export type OtherKind = (typeof OTHER_KINDS)[number];

/** `usb`: the VM has a USB controller (the test guest, for one, has <controller type='usb' model='none'/>). */
export function defaultOther(kind: OtherKind, usb: boolean): NewDeviceInput {
  switch (kind) {
    case 'input':
      return { kind, type: 'tablet', bus: usb ? 'usb' : 'virtio' };
    case 'watchdog':
      return { kind, model: 'i6300esb', action: 'reset' };
    case 'tpm':
      return { kind, model: 'tpm-crb', version: '2.0' };
    case 'sound':
      return { kind, model: 'ich9' };
    case 'channel':
      return { kind, target: 'qemu-ga' };
    case 'filesystem':
      return { kind, driver: 'virtiofs', source: '', target: '', readonly: false };
  }
}

/** The fields of one of OTHER_KINDS; every change produces the next device. */
export function AddOtherFields({ device: d, onChange }: { device: NewDeviceInput; onChange: (d: NewDeviceInput) => void }) {
  const t = useT();
  switch (d.kind) {
    case 'input':
      return (
        <div className="form-row">
          <SelectField label={t('details.hw.type')} value={d.type ?? 'tablet'} onChange={(v) => onChange({ ...d, type: v as 'tablet', ...(v === 'tablet' && d.bus === 'ps2' ? { bus: 'usb' as const } : {}) })} options={['tablet', 'keyboard', 'mouse']} testId="add-input-type" />
          <SelectField label={t('details.hw.bus')} value={d.bus ?? 'usb'} onChange={(v) => onChange({ ...d, bus: v as 'usb' })} options={d.type === 'tablet' ? ['usb', 'virtio'] : ['usb', 'virtio', 'ps2']} testId="add-input-bus" />
        </div>
      );
    case 'watchdog':
      return (
        <div className="form-row">
          <SelectField label={t('details.hw.model')} value={d.model ?? 'i6300esb'} onChange={(v) => onChange({ ...d, model: v as 'itco' })} options={['i6300esb', 'itco', 'ib700']} />
          <SelectField label={t('details.hw.action')} value={d.action ?? 'reset'} onChange={(v) => onChange({ ...d, action: v as 'reset' })} options={['reset', 'shutdown', 'poweroff', 'pause', 'none', 'dump', 'inject-nmi']} />
        </div>
      );
    case 'tpm':
      return (
        <div className="form-row">
          <SelectField label={t('details.hw.model')} value={d.model ?? 'tpm-crb'} onChange={(v) => onChange({ ...d, model: v as 'tpm-crb' })} options={['tpm-crb', 'tpm-tis']} />
          <SelectField label={t('details.add.tpmVersion')} value={d.version ?? '2.0'} onChange={(v) => onChange({ ...d, version: v as '2.0' })} options={['2.0', '1.2']} />
        </div>
      );
    case 'sound':
      return <SelectField label={t('details.hw.model')} value={d.model ?? 'ich9'} onChange={(v) => onChange({ ...d, model: v as 'ich9' })} options={['ich9', 'ich6', 'ac97', 'usb']} />;
    case 'channel':
      return (
        <SelectField
          label={t('details.add.channelTarget')}
          value={d.target ?? 'qemu-ga'}
          onChange={(v) => onChange({ ...d, target: v as 'qemu-ga' })}
          options={[['qemu-ga', t('details.add.channel.qemu-ga')], ['spice', t('details.add.channel.spice')]]}
        />
      );
    case 'filesystem':
      return (
        <>
          <div className="form-row">
            <SelectField label={t('details.hw.driver')} value={d.driver ?? 'virtiofs'} onChange={(v) => onChange({ ...d, driver: v as 'virtiofs' })} options={[['virtiofs', 'virtiofs'], ['path', '9p']]} />
            <TextField label={t('details.add.fsSourceDir')} value={d.source} onChange={(v) => onChange({ ...d, source: v })} mono required />
            <TextField label={t('details.add.fsTag')} value={d.target} onChange={(v) => onChange({ ...d, target: v })} required pattern="[A-Za-z0-9._\-]{1,36}" />
          </div>
          <CheckField label={t('details.hw.readonly')} checked={d.readonly ?? false} onChange={(v) => onChange({ ...d, readonly: v })} />
          {(d.driver ?? 'virtiofs') === 'virtiofs' && <p className="muted">{t('details.add.virtiofsNote')}</p>}
        </>
      );
    default:
      return null;
  }
}
