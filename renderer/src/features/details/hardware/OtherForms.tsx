import { useState, type ReactNode } from 'react';
import type { Device, HardwareEdit } from '../../../../../shared/model/details';
import { useApi } from '../../../api/ApiProvider';
import { useT } from '../../../i18n/I18nProvider';
import type { FormProps } from './CpuMemoryForms';
import { useEdit } from './use-edit';

type GraphicsDevice = Extract<Device, { kind: 'graphics' }>;
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

export function GraphicsForm(props: FormProps & { device: GraphicsDevice }) {
  const { hostId, details, device } = props;
  const t = useT();
  const api = useApi();
  const d = device;
  const liveDev = details.live?.devices.find((x) => x.id === d.id) as GraphicsDevice | undefined;
  const [type, setType] = useState(d.type === 'spice' ? 'spice' : 'vnc');
  const [listen, setListen] = useState(d.listen ?? '');
  const [auto, setAuto] = useState(d.autoport);
  const [port, setPort] = useState(String(d.port ?? 5900));
  const [password, setPassword] = useState('');
  const [clearPassword, setClearPassword] = useState(false);
  const edit = useEdit(props);
  const submit = () => {
    const e: Extract<HardwareEdit, { kind: 'graphics' }> = { kind: 'graphics', id: d.id };
    if (type !== d.type) e.type = type as 'vnc';
    if (listen !== (d.listen ?? '')) e.listen = listen;
    if (auto !== d.autoport || (!auto && Number(port) !== d.port)) e.port = auto ? null : Number(port);
    if (clearPassword) e.password = '';
    else if (password !== '') e.password = password;
    return edit.run(() => api.request('details.edit', { hostId, uuid: details.uuid, etag: details.etag, live: false, edit: e }));
  };
  return (
    <form className="form hw-form" data-testid="hw-form-graphics" onSubmit={(e) => (e.preventDefault(), void submit())}>
      <h3>{t('details.hw.graphicsTitle')}</h3>
      {liveDev?.port && <p className="muted">{t('details.hw.livePort', { port: liveDev.port })}</p>}
      <div className="form-row">
        <label>
          {t('details.hw.type')}
          <select value={type} onChange={(e) => setType(e.target.value)}>
            <option value="vnc">VNC</option>
            <option value="spice">SPICE</option>
          </select>
        </label>
        <label>
          {t('details.hw.listen')}
          <input value={listen} placeholder="127.0.0.1" onChange={(e) => setListen(e.target.value)} />
        </label>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={auto} onChange={(e) => setAuto(e.target.checked)} />
        {t('details.hw.autoport')}
      </label>
      {!auto && (
        <label>
          {t('details.hw.port')}
          <input type="number" min={5900} max={65535} value={port} onChange={(e) => setPort(e.target.value)} />
        </label>
      )}
      <label>
        {d.hasPassword ? t('details.hw.newPassword') : t('details.hw.password')}
        <input type="password" autoComplete="new-password" value={password} disabled={clearPassword} onChange={(e) => setPassword(e.target.value)} />
      </label>
      {d.hasPassword && (
        <label className="checkbox">
          <input type="checkbox" checked={clearPassword} onChange={(e) => setClearPassword(e.target.checked)} />
          {t('details.hw.clearPassword')}
        </label>
      )}
      {details.live !== null && <p className="note">{t('details.hw.nextBoot')}</p>}
      <div className="form-buttons">
        <button type="submit" className="primary" disabled={edit.busy} data-testid="hw-apply">
          {t('details.hw.apply')}
        </button>
      </div>
    </form>
  );
}

/** One select or text field that becomes one device edit. */
interface Knob {
  label: string;
  value: string;
  options?: readonly string[];
  toEdit: (v: string) => DeviceEdit;
}

function knobsFor(d: Device, t: ReturnType<typeof useT>): Knob[] {
  switch (d.kind) {
    case 'video':
      return [{ label: t('details.hw.model'), value: d.model ?? 'vga', options: ['virtio', 'qxl', 'vga', 'cirrus', 'bochs', 'ramfb', 'none'], toEdit: (v) => ({ kind: 'video', id: d.id, model: v as 'vga' }) }];
    case 'sound':
      return [{ label: t('details.hw.model'), value: d.model ?? 'ich9', options: ['ich6', 'ich9', 'ac97', 'es1370', 'sb16', 'usb'], toEdit: (v) => ({ kind: 'sound', id: d.id, model: v as 'ich9' }) }];
    case 'watchdog':
      return [
        { label: t('details.hw.model'), value: d.model ?? 'i6300esb', options: ['i6300esb', 'ib700', 'itco', 'diag288'], toEdit: (v) => ({ kind: 'watchdog', id: d.id, model: v as 'itco' }) },
        { label: t('details.hw.action'), value: d.action ?? 'reset', options: ['reset', 'shutdown', 'poweroff', 'pause', 'none', 'dump', 'inject-nmi'], toEdit: (v) => ({ kind: 'watchdog', id: d.id, action: v as 'reset' }) },
      ];
    case 'rng':
      return d.backendModel === 'random' ? [{ label: t('details.hw.rngBackend'), value: d.backend ?? '/dev/urandom', toEdit: (v) => ({ kind: 'rng', id: d.id, backend: v }) }] : [];
    case 'tpm':
      return [{ label: t('details.hw.model'), value: d.model ?? 'tpm-tis', options: ['tpm-tis', 'tpm-crb', 'tpm-spapr', 'spapr-tpm-proxy'], toEdit: (v) => ({ kind: 'tpm', id: d.id, model: v as 'tpm-tis' }) }];
    case 'memballoon':
      return [
        { label: t('details.hw.model'), value: d.model ?? 'virtio', options: ['virtio', 'none'], toEdit: (v) => ({ kind: 'memballoon', id: d.id, model: v as 'virtio' }) },
        { label: t('details.hw.statsPeriod'), value: d.statsPeriod === undefined ? '' : String(d.statsPeriod), toEdit: (v) => ({ kind: 'memballoon', id: d.id, statsPeriod: v.trim() === '' ? null : Number(v) }) },
      ];
    case 'controller':
      return [{ label: t('details.hw.model'), value: d.model ?? '', toEdit: (v) => ({ kind: 'controller', id: d.id, model: v }) }];
    case 'filesystem':
      return [
        { label: t('details.hw.driver'), value: d.driver ?? 'path', options: ['virtiofs', 'path', 'handle', 'loop', 'nbd'], toEdit: (v) => ({ kind: 'filesystem', id: d.id, driver: v as 'path' }) },
        { label: t('details.hw.fsSource'), value: d.source ?? '', toEdit: (v) => ({ kind: 'filesystem', id: d.id, source: v }) },
        { label: t('details.hw.fsTarget'), value: d.target ?? '', toEdit: (v) => ({ kind: 'filesystem', id: d.id, target: v }) },
      ];
    case 'serial':
    case 'console':
    case 'parallel':
    case 'channel':
      return d.type === 'file' ? [{ label: t('details.hw.path'), value: d.source ?? '', toEdit: (v) => ({ kind: 'char', id: d.id, sourcePath: v }) }] : [];
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

/** Everything without a dedicated form: its facts, and the few settings a form can change. */
export function DeviceForm(props: FormProps & { device: Device }) {
  const { hostId, details, device } = props;
  const t = useT();
  const api = useApi();
  const knobs = knobsFor(device, t);
  const [values, setValues] = useState(knobs.map((k) => k.value));
  const edit = useEdit(props);
  const submit = () =>
    edit.run(async () => {
      let etag = details.etag;
      let last = null;
      for (const [i, k] of knobs.entries()) {
        if (values[i] === k.value) continue;
        last = await api.request('details.edit', { hostId, uuid: details.uuid, etag, live: false, edit: k.toEdit(values[i]!) });
        etag = last.etag;
      }
      return last ?? { etag, liveApplied: false, needsRestart: false };
    });
  return (
    <form className="form hw-form" data-testid={`hw-form-${device.kind}`} onSubmit={(e) => (e.preventDefault(), void submit())}>
      <Facts rows={factsFor(device, t)} />
      {knobs.map((k, i) => (
        <label key={k.label}>
          {k.label}
          {k.options ? (
            <select value={values[i]} onChange={(e) => setValues(values.map((v, j) => (j === i ? e.target.value : v)))}>
              {k.options.map((o) => (
                <option key={o}>{o}</option>
              ))}
            </select>
          ) : (
            <input value={values[i]} onChange={(e) => setValues(values.map((v, j) => (j === i ? e.target.value : v)))} className="mono" />
          )}
        </label>
      ))}
      {knobs.length > 0 && details.live !== null && <p className="note">{t('details.hw.nextBoot')}</p>}
      {knobs.length > 0 && (
        <div className="form-buttons">
          <button type="submit" className="primary" disabled={edit.busy} data-testid="hw-apply">
            {t('details.hw.apply')}
          </button>
        </div>
      )}
    </form>
  );
}
