import { useState } from 'react';
import type { Device, HardwareEdit } from '../../../../../shared/model/details';
import { useT } from '../../../i18n/I18nProvider';
import { deviceLabel } from './device-label';
import { CheckField, FormFooter, SelectField, TextField } from './fields';
import { useFormEdit, type FormProps } from './use-edit';

const DEVS = ['hd', 'cdrom', 'network', 'fd'] as const;
type BootDev = (typeof DEVS)[number];
const isDev = (d: string): d is BootDev => (DEVS as readonly string[]).includes(d);

/** Devices that can carry <boot order>: disks, NICs, host devices, USB redirection. */
const bootable = (d: Device) => d.kind === 'disk' || d.kind === 'interface' || d.kind === 'hostdev' || (d.kind === 'other' && d.tag === 'redirdev');
const orderOf = (d: Device) => ('bootOrder' in d ? d.bootOrder : undefined);

/** One ordered list with a checkbox (boots or not) and up/down per entry. */
function OrderList<T extends string>({ order, setOrder, enabled, setEnabled, label, testId }: { order: T[]; setOrder: (o: T[]) => void; enabled: Set<T>; setEnabled: (s: Set<T>) => void; label: (k: T) => string; testId: (k: T) => string }) {
  const t = useT();
  const move = (i: number, by: -1 | 1) => {
    const next = [...order];
    [next[i], next[i + by]] = [next[i + by]!, next[i]!];
    setOrder(next);
  };
  return (
    <ol className="boot-order">
      {order.map((k, i) => (
        <li key={k}>
          <CheckField
            label={label(k)}
            checked={enabled.has(k)}
            onChange={(on) => {
              const next = new Set(enabled);
              if (on) next.add(k);
              else next.delete(k);
              setEnabled(next);
            }}
            testId={testId(k)}
          />
          <button type="button" className="icon-button" aria-label={t('details.hw.up')} disabled={i === 0} onClick={() => move(i, -1)} data-testid={`${testId(k)}-up`}>
            ▲
          </button>
          <button type="button" className="icon-button" aria-label={t('details.hw.down')} disabled={i === order.length - 1} onClick={() => move(i, 1)} data-testid={`${testId(k)}-down`}>
            ▼
          </button>
        </li>
      ))}
    </ol>
  );
}

/**
 * Boot order — by device type (<os><boot dev>) or per device (<boot order> on disks, NICs and
 * host devices; libvirt refuses both at once, so choosing one clears the other) — boot menu,
 * BIOS/UEFI with an explicit loader and NVRAM, and direct kernel boot.
 */
export function BootForm(props: FormProps) {
  const { details } = props;
  const t = useT();
  const os = details.config.os;
  const devices = details.config.devices.filter(bootable);
  const perDeviceNow = devices.some((d) => orderOf(d) !== undefined);
  const [perDevice, setPerDevice] = useState(perDeviceNow);
  const [order, setOrder] = useState<BootDev[]>([...os.bootDevs.filter(isDev), ...DEVS.filter((d) => !os.bootDevs.includes(d))]);
  const [enabled, setEnabled] = useState(new Set(os.bootDevs.filter(isDev)));
  const byOrder = [...devices].sort((a, b) => (orderOf(a) ?? 1e9) - (orderOf(b) ?? 1e9));
  const [devOrder, setDevOrder] = useState(byOrder.map((d) => d.id));
  const [devEnabled, setDevEnabled] = useState(new Set(devices.filter((d) => orderOf(d) !== undefined).map((d) => d.id)));
  const [menu, setMenu] = useState(os.bootMenu);
  const wasEfi = os.firmware === 'efi' ? 'efi' : 'bios';
  const [firmware, setFirmware] = useState<'bios' | 'efi'>(wasEfi);
  const [loader, setLoader] = useState(os.loader?.path ?? '');
  const [nvram, setNvram] = useState(os.nvram?.path ?? '');
  const [kernel, setKernel] = useState(os.kernel ?? '');
  const [initrd, setInitrd] = useState(os.initrd ?? '');
  const [cmdline, setCmdline] = useState(os.cmdline ?? '');
  const edit = useFormEdit(props);

  const bootDevs = order.filter((d) => enabled.has(d));
  const deviceOrder = devOrder.filter((id) => devEnabled.has(id));
  const e: Extract<HardwareEdit, { kind: 'boot' }> = { kind: 'boot' };
  if (perDevice) {
    if (!perDeviceNow || deviceOrder.join() !== devices.filter((d) => orderOf(d) !== undefined).sort((a, b) => orderOf(a)! - orderOf(b)!).map((d) => d.id).join()) e.deviceOrder = deviceOrder;
  } else if (perDeviceNow || bootDevs.join() !== os.bootDevs.join()) e.bootDevs = bootDevs;
  if (menu !== os.bootMenu) e.bootMenu = menu;
  if (firmware !== wasEfi) e.firmware = firmware;
  // The loader and NVRAM files are only kept when the firmware stays UEFI.
  if (firmware === 'efi' && firmware === wasEfi) {
    if (loader !== (os.loader?.path ?? '')) e.loader = loader;
    if (nvram !== (os.nvram?.path ?? '')) e.nvram = nvram;
  }
  if (kernel !== (os.kernel ?? '')) e.kernel = kernel;
  if (initrd !== (os.initrd ?? '')) e.initrd = initrd;
  if (cmdline !== (os.cmdline ?? '')) e.cmdline = cmdline;
  const args = edit.argsOf(Object.keys(e).length > 1 ? [e] : []);
  const byId = new Map(devices.map((d) => [d.id, d]));

  return (
    <form className="form hw-form" data-testid="hw-form-boot" onSubmit={(ev) => (ev.preventDefault(), void edit.apply(args))}>
      <h3>{t('details.hw.boot')}</h3>
      <fieldset>
        <legend>{t('details.hw.bootOrder')}</legend>
        <div className="form-row">
          <label className="checkbox">
            <input type="radio" checked={!perDevice} onChange={() => setPerDevice(false)} data-testid="hw-boot-by-type" />
            {t('details.hw.bootByType')}
          </label>
          <label className="checkbox">
            <input type="radio" checked={perDevice} onChange={() => setPerDevice(true)} disabled={devices.length === 0} data-testid="hw-boot-by-device" />
            {t('details.hw.bootByDevice')}
          </label>
        </div>
        {perDevice ? (
          <OrderList order={devOrder} setOrder={setDevOrder} enabled={devEnabled} setEnabled={setDevEnabled} label={(id) => deviceLabel(t, byId.get(id)!)} testId={(id) => `hw-bootdev-${id}`} />
        ) : (
          <OrderList order={order} setOrder={setOrder} enabled={enabled} setEnabled={setEnabled} label={(d) => t(`details.hw.bootDev.${d}`)} testId={(d) => `hw-boot-${d}`} />
        )}
        {perDevice !== perDeviceNow && <p className="muted">{t(perDevice ? 'details.hw.bootSwitchToDevice' : 'details.hw.bootSwitchToType')}</p>}
      </fieldset>
      <CheckField label={t('details.hw.bootMenu')} checked={menu} onChange={setMenu} />
      <SelectField label={t('details.hw.firmware')} value={firmware} onChange={(v) => setFirmware(v as 'bios')} options={[['bios', 'BIOS'], ['efi', 'UEFI']]} />
      {firmware === 'efi' && wasEfi === 'efi' && (
        <div className="form-row">
          <TextField label={t('details.hw.loaderPath')} value={loader} onChange={setLoader} mono placeholder={t('details.hw.autoSelected')} />
          <TextField label={t('details.hw.nvramPath')} value={nvram} onChange={setNvram} mono placeholder={t('details.hw.autoSelected')} />
        </div>
      )}
      <fieldset>
        <legend>{t('details.hw.kernelBoot')}</legend>
        <TextField label={t('details.hw.kernel')} value={kernel} onChange={setKernel} mono />
        <TextField label={t('details.hw.initrd')} value={initrd} onChange={setInitrd} mono />
        <TextField label={t('details.hw.cmdline')} value={cmdline} onChange={setCmdline} mono />
      </fieldset>
      <FormFooter running={details.live !== null} busy={edit.busy} args={args} />
    </form>
  );
}
