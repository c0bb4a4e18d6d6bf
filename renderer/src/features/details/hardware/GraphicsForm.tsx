import { useState } from 'react';
import type { Device, HardwareEdit } from '../../../../../shared/model/details';
import { useT } from '../../../i18n/I18nProvider';
import { CheckField, FormFooter, NumberField, SelectField, TextField } from './fields';
import { changes, useFormEdit, type FormProps } from './use-edit';

type GraphicsDevice = Extract<Device, { kind: 'graphics' }>;

/** VNC/SPICE: listen address, port or autoport, password (the password can change on the running VM too). */
export function GraphicsForm(props: FormProps & { device: GraphicsDevice }) {
  const { details, device: d } = props;
  const t = useT();
  const liveDev = details.live?.devices.find((x) => x.id === d.id) as GraphicsDevice | undefined;
  const [type, setType] = useState(d.type === 'spice' ? 'spice' : 'vnc');
  const [listen, setListen] = useState(d.listen ?? '');
  const [auto, setAuto] = useState(d.autoport);
  const [port, setPort] = useState(String(d.port ?? 5900));
  const [password, setPassword] = useState('');
  const [clearPassword, setClearPassword] = useState(false);
  const [live, setLive] = useState(true);
  const edit = useFormEdit(props);

  const e: Extract<HardwareEdit, { kind: 'graphics' }> = { kind: 'graphics', id: d.id };
  if (type !== d.type) e.type = type as 'vnc';
  if (listen !== (d.listen ?? '')) e.listen = listen;
  if (auto !== d.autoport || (!auto && Number(port) !== d.port)) e.port = auto ? null : Number(port);
  if (clearPassword) e.password = '';
  else if (password !== '') e.password = password;
  const args = edit.argsOf(changes(e) ? [e] : [], live);

  return (
    <form className="form hw-form" data-testid="hw-form-graphics" onSubmit={(ev) => (ev.preventDefault(), void edit.apply(args))}>
      <h3>{t('details.hw.graphicsTitle')}</h3>
      {liveDev?.port && <p className="muted">{t('details.hw.livePort', { port: liveDev.port })}</p>}
      <div className="form-row">
        <SelectField label={t('details.hw.type')} value={type} onChange={setType} options={[['vnc', 'VNC'], ['spice', 'SPICE']]} />
        <TextField label={t('details.hw.listen')} value={listen} placeholder="127.0.0.1" onChange={setListen} />
      </div>
      <CheckField label={t('details.hw.autoport')} checked={auto} onChange={setAuto} />
      {!auto && <NumberField label={t('details.hw.port')} min={5900} max={65535} value={port} onChange={setPort} />}
      <TextField type="password" label={d.hasPassword ? t('details.hw.newPassword') : t('details.hw.password')} value={password} disabled={clearPassword} onChange={setPassword} />
      {d.hasPassword && <CheckField label={t('details.hw.clearPassword')} checked={clearPassword} onChange={setClearPassword} />}
      <FormFooter running={details.live !== null} live={{ value: live, set: setLive, hint: t('details.hw.graphicsLiveHint') }} busy={edit.busy} args={args} />
    </form>
  );
}
