import { useState, type ReactNode } from 'react';
import type { Device, HardwareEdit } from '../../../../../shared/model/details';
import { useT } from '../../../i18n/I18nProvider';
import { FormFooter, SelectField, TextField, type Options } from './fields';
import { useFormEdit, type FormProps } from './use-edit';

type DeviceEdit = Extract<HardwareEdit, { id: string }>;

/** The read-only facts of a device, as label/value rows. */
function Facts({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <dl className="facts">
      {rows
        .filter(([, v]) => v !== undefined && v !== '')
        .map(([k, v]) => (
          <div key={k} className="fact">
            <dt>{k}</dt>
            <dd className="mono">{v}</dd>
          </div>
        ))}
    </dl>
  );
}

/** One select or text field that becomes one device edit. */
interface Knob {
  label: string;
  value: string;
  options?: Options;
  testId?: string;
  toEdit: (v: string) => DeviceEdit;
}

function knobsFor(d: Device, t: ReturnType<typeof useT>): Knob[] {
  const model = t('details.hw.model');
  switch (d.kind) {
    case 'video':
      return [
        { label: model, value: d.model ?? 'vga', options: ['virtio', 'qxl', 'vga', 'cirrus', 'bochs', 'ramfb', 'none'], toEdit: (v) => ({ kind: 'video', id: d.id, model: v as 'vga' }) },
        { label: t('details.hw.vram'), value: d.vram === undefined ? '' : String(d.vram), testId: 'hw-video-vram', toEdit: (v) => ({ kind: 'video', id: d.id, vram: v.trim() === '' ? null : Number(v) }) },
        { label: t('details.hw.heads'), value: String(d.heads ?? 1), options: ['1', '2', '3', '4'], testId: 'hw-video-heads', toEdit: (v) => ({ kind: 'video', id: d.id, heads: Number(v) }) },
      ];
    case 'sound':
      return [{ label: model, value: d.model ?? 'ich9', options: ['ich6', 'ich9', 'ac97', 'es1370', 'sb16', 'usb'], toEdit: (v) => ({ kind: 'sound', id: d.id, model: v as 'ich9' }) }];
    case 'watchdog':
      return [
        { label: model, value: d.model ?? 'i6300esb', options: ['i6300esb', 'ib700', 'itco', 'diag288'], toEdit: (v) => ({ kind: 'watchdog', id: d.id, model: v as 'itco' }) },
        { label: t('details.hw.action'), value: d.action ?? 'reset', options: ['reset', 'shutdown', 'poweroff', 'pause', 'none', 'dump', 'inject-nmi'], toEdit: (v) => ({ kind: 'watchdog', id: d.id, action: v as 'reset' }) },
      ];
    case 'rng':
      return d.backendModel === 'random' ? [{ label: t('details.hw.rngBackend'), value: d.backend ?? '/dev/urandom', toEdit: (v) => ({ kind: 'rng', id: d.id, backend: v }) }] : [];
    case 'tpm':
      return [
        { label: model, value: d.model ?? 'tpm-tis', options: ['tpm-tis', 'tpm-crb', 'tpm-spapr', 'spapr-tpm-proxy'], toEdit: (v) => ({ kind: 'tpm', id: d.id, model: v as 'tpm-tis' }) },
        // Only an emulated TPM (swtpm) has a version to choose; a passthrough one is the host's chip.
        ...(d.backendType === 'emulator'
          ? [{ label: t('details.add.tpmVersion'), value: d.version ?? '2.0', options: ['2.0', '1.2'], testId: 'hw-tpm-version', toEdit: (v: string): DeviceEdit => ({ kind: 'tpm', id: d.id, version: v as '2.0' }) }]
          : []),
      ];
    case 'memballoon':
      return [
        { label: model, value: d.model ?? 'virtio', options: ['virtio', 'none'], toEdit: (v) => ({ kind: 'memballoon', id: d.id, model: v as 'virtio' }) },
        { label: t('details.hw.statsPeriod'), value: d.statsPeriod === undefined ? '' : String(d.statsPeriod), toEdit: (v) => ({ kind: 'memballoon', id: d.id, statsPeriod: v.trim() === '' ? null : Number(v) }) },
      ];
    case 'controller':
      return [{ label: model, value: d.model ?? '', toEdit: (v) => ({ kind: 'controller', id: d.id, model: v }) }];
    case 'filesystem':
      return [
        { label: t('details.hw.driver'), value: d.driver ?? 'path', options: ['virtiofs', 'path', 'handle', 'loop', 'nbd'], toEdit: (v) => ({ kind: 'filesystem', id: d.id, driver: v as 'path' }) },
        { label: t('details.hw.fsSource'), value: d.source ?? '', toEdit: (v) => ({ kind: 'filesystem', id: d.id, source: v }) },
        { label: t('details.hw.fsTarget'), value: d.target ?? '', toEdit: (v) => ({ kind: 'filesystem', id: d.id, target: v }) },
        { label: t('details.hw.readonly'), value: d.readonly ? 'yes' : 'no', options: ['yes', 'no'], toEdit: (v) => ({ kind: 'filesystem', id: d.id, readonly: v === 'yes' }) },
      ];
    case 'serial':
    case 'parallel':
      // The backend: pty (libvirt picks the device), a log file, a TCP server, a unix socket.
      return ['pty', 'file', 'tcp', 'unix'].includes(d.type)
        ? [
            { label: t('details.hw.type'), value: d.type, options: ['pty', 'file', 'tcp', 'unix'], testId: 'hw-char-type', toEdit: (v) => ({ kind: 'char', id: d.id, type: v as 'pty' }) },
            { label: t('details.hw.charSource'), value: d.type === 'pty' ? '' : (d.source ?? ''), testId: 'hw-char-source', toEdit: (v) => ({ kind: 'char', id: d.id, source: v }) },
          ]
        : [];
    case 'console':
    case 'channel':
      return d.type === 'file' ? [{ label: t('details.hw.path'), value: d.source ?? '', toEdit: (v) => ({ kind: 'char', id: d.id, sourcePath: v }) }] : [];
    case 'hostdev':
      // Which host device it is stays in the XML tab; whether libvirt detaches it from its host driver is a setting.
      return d.mode === 'subsystem' && (d.type === 'pci' || d.type === 'usb')
        ? [{ label: t('details.hw.managed'), value: d.managed ? 'yes' : 'no', options: [['yes', t('details.yes')], ['no', t('details.no')]], testId: 'hw-hostdev-managed', toEdit: (v) => ({ kind: 'hostdev', id: d.id, managed: v === 'yes' }) }]
        : [];
    case 'input':
      return ['tablet', 'mouse', 'keyboard'].includes(d.type)
        ? [
            { label: t('details.hw.type'), value: d.type, options: ['tablet', 'mouse', 'keyboard'], testId: 'hw-input-type', toEdit: (v) => ({ kind: 'input', id: d.id, type: v as 'tablet' }) },
            { label: t('details.hw.bus'), value: d.bus ?? 'usb', options: ['usb', 'ps2', 'virtio'], testId: 'hw-input-bus', toEdit: (v) => ({ kind: 'input', id: d.id, bus: v as 'usb' }) },
          ]
        : [];
    default:
      return [];
  }
}

function factsFor(d: Device, t: ReturnType<typeof useT>): [string, ReactNode][] {
  const rows: [string, ReactNode][] = [];
  for (const [k, v] of Object.entries(d)) {
    if (k === 'id' || k === 'kind' || v === undefined || typeof v === 'object') continue;
    rows.push([k, typeof v === 'boolean' ? (v ? t('details.yes') : t('details.no')) : String(v)]);
  }
  return rows;
}

/** Everything without a dedicated form: its facts, and the settings a form can change (one define). */
export function DeviceForm(props: FormProps & { device: Device }) {
  const { details, device } = props;
  const t = useT();
  const knobs = knobsFor(device, t);
  const [values, setValues] = useState(knobs.map((k) => k.value));
  const edit = useFormEdit(props);
  const args = edit.argsOf(knobs.flatMap((k, i) => (values[i] === k.value ? [] : [k.toEdit(values[i]!)])));
  const set = (i: number) => (v: string) => setValues(values.map((x, j) => (j === i ? v : x)));
  return (
    <form className="form hw-form" data-testid={`hw-form-${device.kind}`} onSubmit={(e) => (e.preventDefault(), void edit.apply(args))}>
      <Facts rows={factsFor(device, t)} />
      {knobs.map((k, i) =>
        k.options ? (
          <SelectField key={k.label} label={k.label} value={values[i]!} onChange={set(i)} options={k.options} testId={k.testId} />
        ) : (
          <TextField key={k.label} label={k.label} value={values[i]!} onChange={set(i)} mono testId={k.testId} />
        ),
      )}
      {knobs.length > 0 && <FormFooter running={details.live !== null} busy={edit.busy} args={args} />}
    </form>
  );
}
