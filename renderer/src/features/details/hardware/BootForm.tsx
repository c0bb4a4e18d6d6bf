import { useState } from 'react';
import { useApi } from '../../../api/ApiProvider';
import { useT } from '../../../i18n/I18nProvider';
import type { FormProps } from './CpuMemoryForms';
import { useEdit } from './use-edit';

const DEVS = ['hd', 'cdrom', 'network', 'fd'] as const;
type BootDev = (typeof DEVS)[number];

/** Boot order (with up/down), boot menu, BIOS/UEFI, and direct kernel boot. */
export function BootForm(props: FormProps) {
  const { hostId, details } = props;
  const t = useT();
  const api = useApi();
  const os = details.config.os;
  const perDevice = details.config.devices.some((d) => 'bootOrder' in d && d.bootOrder !== undefined);
  const initial = [...(os.bootDevs.filter((d): d is BootDev => (DEVS as readonly string[]).includes(d))), ...DEVS.filter((d) => !os.bootDevs.includes(d))];
  const [order, setOrder] = useState<BootDev[]>(initial);
  const [enabled, setEnabled] = useState<Set<BootDev>>(new Set(os.bootDevs.filter((d): d is BootDev => (DEVS as readonly string[]).includes(d))));
  const [menu, setMenu] = useState(os.bootMenu);
  const [firmware, setFirmware] = useState<'bios' | 'efi'>(os.firmware === 'efi' ? 'efi' : 'bios');
  const [kernel, setKernel] = useState(os.kernel ?? '');
  const [initrd, setInitrd] = useState(os.initrd ?? '');
  const [cmdline, setCmdline] = useState(os.cmdline ?? '');
  const edit = useEdit(props);

  const move = (i: number, by: -1 | 1) => {
    const next = [...order];
    const j = i + by;
    if (j < 0 || j >= next.length) return;
    [next[i], next[j]] = [next[j]!, next[i]!];
    setOrder(next);
  };
  const bootDevs = order.filter((d) => enabled.has(d));
  const submit = () =>
    edit.run(() =>
      api.request('details.edit', {
        hostId, uuid: details.uuid, etag: details.etag, live: false,
        edit: {
          kind: 'boot',
          // With per-device <boot order=…> libvirt refuses <os><boot>: leave those alone then.
          ...(perDevice ? {} : { bootDevs }),
          bootMenu: menu,
          ...(firmware !== (os.firmware === 'efi' ? 'efi' : 'bios') ? { firmware } : {}),
          kernel,
          initrd,
          cmdline,
        },
      }),
    );

  return (
    <form className="form hw-form" data-testid="hw-form-boot" onSubmit={(e) => (e.preventDefault(), void submit())}>
      <h3>{t('details.hw.boot')}</h3>
      {perDevice ? (
        <p className="note">{t('details.hw.perDeviceBoot')}</p>
      ) : (
        <fieldset>
          <legend>{t('details.hw.bootOrder')}</legend>
          <ol className="boot-order">
            {order.map((d, i) => (
              <li key={d}>
                <label className="checkbox">
                  <input
                    type="checkbox"
                    checked={enabled.has(d)}
                    onChange={(e) => {
                      const next = new Set(enabled);
                      if (e.target.checked) next.add(d);
                      else next.delete(d);
                      setEnabled(next);
                    }}
                    data-testid={`hw-boot-${d}`}
                  />
                  {t(`details.hw.bootDev.${d}`)}
                </label>
                <button type="button" className="icon-button" aria-label={t('details.hw.up')} disabled={i === 0} onClick={() => move(i, -1)}>
                  ▲
                </button>
                <button type="button" className="icon-button" aria-label={t('details.hw.down')} disabled={i === order.length - 1} onClick={() => move(i, 1)}>
                  ▼
                </button>
              </li>
            ))}
          </ol>
        </fieldset>
      )}
      <label className="checkbox">
        <input type="checkbox" checked={menu} onChange={(e) => setMenu(e.target.checked)} />
        {t('details.hw.bootMenu')}
      </label>
      <label>
        {t('details.hw.firmware')}
        <select value={firmware} onChange={(e) => setFirmware(e.target.value as 'bios' | 'efi')}>
          <option value="bios">BIOS</option>
          <option value="efi">UEFI</option>
        </select>
      </label>
      {os.loader?.path && <p className="muted mono">{t('details.hw.loader', { path: os.loader.path })}{os.nvram?.path ? ` · NVRAM ${os.nvram.path}` : ''}</p>}
      <fieldset>
        <legend>{t('details.hw.kernelBoot')}</legend>
        <label>
          {t('details.hw.kernel')}
          <input value={kernel} onChange={(e) => setKernel(e.target.value)} className="mono" />
        </label>
        <label>
          {t('details.hw.initrd')}
          <input value={initrd} onChange={(e) => setInitrd(e.target.value)} className="mono" />
        </label>
        <label>
          {t('details.hw.cmdline')}
          <input value={cmdline} onChange={(e) => setCmdline(e.target.value)} className="mono" />
        </label>
      </fieldset>
      {details.live !== null && <p className="note">{t('details.hw.nextBoot')}</p>}
      <div className="form-buttons">
        <button type="submit" className="primary" disabled={edit.busy} data-testid="hw-apply">
          {t('details.hw.apply')}
        </button>
      </div>
    </form>
  );
}
