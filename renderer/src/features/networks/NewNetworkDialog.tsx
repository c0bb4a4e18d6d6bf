import { useMemo, useState } from 'react';
import type { HostInterface, NetworkMode } from '../../../../shared/model/network';
import { useApi } from '../../api/ApiProvider';
import { useT } from '../../i18n/I18nProvider';
import { ActionDialog } from '../activity/ActionDialog';
import { emptyNetworkForm, hasAddresses, validateNetworkForm, type NetworkForm, type NetworkFormField } from './network-form';

const MODES: readonly NetworkMode[] = ['nat', 'route', 'isolated', 'open', 'bridge'];

/** "New virtual network": NAT, routed, isolated, open, or an existing host bridge. */
export function NewNetworkDialog({ hostId, interfaces, onClose }: { hostId: string; interfaces: readonly HostInterface[]; onClose: () => void }) {
  const t = useT();
  const api = useApi();
  const [uuid] = useState(() => crypto.randomUUID());
  const [form, setForm] = useState<NetworkForm>(emptyNetworkForm);
  const [start, setStart] = useState(true);
  const [autostart, setAutostart] = useState(false);
  const [touched, setTouched] = useState(false);
  const result = useMemo(() => validateNetworkForm(form), [form]);
  const args = result.spec ? { hostId, uuid, spec: result.spec, start, autostart } : null;
  const set = <K extends NetworkFormField>(k: K, v: NetworkForm[K]) => {
    setTouched(true);
    setForm((f) => ({ ...f, [k]: v }));
  };
  const err = (k: NetworkFormField) => (touched && result.errors?.[k] ? <span className="field-error">{t(`storage.form.${result.errors[k]}`)}</span> : null);
  const text = (k: NetworkFormField, label: string, placeholder?: string) => (
    <>
      <label htmlFor={`net-form-${k}`}>{label}</label>
      <input id={`net-form-${k}`} data-testid={`net-form-${k}`} value={String(form[k])} placeholder={placeholder} spellCheck={false} aria-invalid={touched && result.errors?.[k] ? true : undefined} onChange={(e) => set(k, e.target.value as never)} />
      {err(k)}
    </>
  );
  const check = (k: NetworkFormField, label: string) => (
    <label className="checkbox">
      <input type="checkbox" data-testid={`net-form-${k}`} checked={Boolean(form[k])} onChange={(e) => set(k, e.target.checked as never)} />
      {label}
    </label>
  );
  const bridges = interfaces.filter((i) => i.type === 'bridge');
  const addr = hasAddresses(form.mode);

  return (
    <ActionDialog title={t('networks.newTitle')} testId="network-dialog" request="networks.define" args={args} confirmLabel={t('storage.create')} onRun={(a) => api.request('networks.define', a)} onClose={onClose}>
      {text('name', t('storage.field.name'))}
      <label htmlFor="net-form-mode">{t('networks.mode')}</label>
      <select id="net-form-mode" data-testid="net-form-mode" value={form.mode} onChange={(e) => set('mode', e.target.value as NetworkMode)}>
        {MODES.map((m) => (
          <option key={m} value={m}>
            {t(`networks.modeName.${m}`)}
          </option>
        ))}
      </select>
      <span className="hint">{t(`networks.modeHint.${form.mode}`)}</span>
      {text('bridgeName', form.mode === 'bridge' ? t('networks.hostBridge') : t('networks.bridgeOptional'), form.mode === 'bridge' ? bridges[0]?.name ?? 'br0' : 'virbr10')}
      {form.mode === 'bridge' && bridges.length > 0 && <span className="hint">{t('networks.bridgesFound', { names: bridges.map((b) => b.name).join(', ') })}</span>}
      {(form.mode === 'nat' || form.mode === 'route') && text('forwardDev', t('networks.forwardDev'), 'eth0')}
      {addr && (
        <>
          {check('ipv4', t('networks.ipv4'))}
          {form.ipv4 && (
            <>
              <div className="form-row">
                {text('ipv4Address', t('networks.address'))}
                {text('ipv4Prefix', t('networks.prefix'))}
              </div>
              {check('dhcp4', t('networks.dhcp'))}
              {form.dhcp4 && (
                <div className="form-row">
                  {text('dhcp4Start', t('networks.rangeStart'))}
                  {text('dhcp4End', t('networks.rangeEnd'))}
                </div>
              )}
              <label htmlFor="net-form-hosts">{t('networks.staticHosts')}</label>
              <textarea id="net-form-hosts" data-testid="net-form-hosts" rows={3} value={form.hosts} placeholder="52:54:00:12:34:56 192.168.100.10 web1" onChange={(e) => set('hosts', e.target.value)} />
              {err('hosts')}
            </>
          )}
          {check('ipv6', t('networks.ipv6'))}
          {form.ipv6 && (
            <>
              <div className="form-row">
                {text('ipv6Address', t('networks.address'))}
                {text('ipv6Prefix', t('networks.prefix'))}
              </div>
              {check('dhcp6', t('networks.dhcp'))}
              {form.dhcp6 && (
                <div className="form-row">
                  {text('dhcp6Start', t('networks.rangeStart'))}
                  {text('dhcp6End', t('networks.rangeEnd'))}
                </div>
              )}
            </>
          )}
          {text('domainName', t('networks.domainName'), 'lab.example')}
        </>
      )}
      <label className="checkbox">
        <input type="checkbox" data-testid="net-form-start" checked={start} onChange={(e) => setStart(e.target.checked)} />
        {t('storage.startNow')}
      </label>
      <label className="checkbox">
        <input type="checkbox" data-testid="net-form-autostart" checked={autostart} onChange={(e) => setAutostart(e.target.checked)} />
        {t('storage.autostartOption')}
      </label>
    </ActionDialog>
  );
}
