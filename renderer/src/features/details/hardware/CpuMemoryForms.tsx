import { useState } from 'react';
import type { HardwareEdit } from '../../../../../shared/model/details';
import { useT } from '../../../i18n/I18nProvider';
import { CheckField, FormFooter, NumberField, SelectField, TextField } from './fields';
import { useFormEdit, type FormProps } from './use-edit';

export type { FormProps } from './use-edit';

const MiB = 1024;
const toMiB = (kib: number | undefined) => (kib === undefined ? '' : String(Math.round(kib / MiB)));
const fromMiB = (s: string) => Math.round(Number(s) * MiB);

/** vCPUs (max/current, placement, cpuset) and the CPU model and topology: one definition change. */
export function CpuForm(props: FormProps) {
  const { details } = props;
  const t = useT();
  const c = details.config;
  const [max, setMax] = useState(String(c.vcpu.max));
  const [current, setCurrent] = useState(String(c.vcpu.current));
  const [placement, setPlacement] = useState(c.vcpu.placement ?? 'static');
  const [cpuset, setCpuset] = useState(c.vcpu.cpuset ?? '');
  const [mode, setMode] = useState<string>(c.cpu.mode ?? 'default');
  const [model, setModel] = useState(c.cpu.model ?? '');
  const [manualTopo, setManualTopo] = useState(c.cpu.topology !== undefined);
  const [topo, setTopo] = useState(c.cpu.topology ?? { sockets: 1, cores: c.vcpu.max, threads: 1 });
  const [live, setLive] = useState(true);
  const edit = useFormEdit(props);
  const cpuChanged = mode !== (c.cpu.mode ?? 'default') || model !== (c.cpu.model ?? '') || manualTopo !== (c.cpu.topology !== undefined) || JSON.stringify(topo) !== JSON.stringify(c.cpu.topology ?? topo);

  const edits: HardwareEdit[] = [
    {
      kind: 'vcpus',
      max: Number(max),
      current: Number(current),
      ...(placement !== (c.vcpu.placement ?? 'static') ? { placement: placement as 'static' } : {}),
      cpuset,
    },
  ];
  if (cpuChanged) edits.push({ kind: 'cpu', mode: mode as 'custom', ...(mode === 'custom' ? { model } : {}), topology: manualTopo ? { sockets: topo.sockets, cores: topo.cores, threads: topo.threads } : null });
  const args = edit.argsOf(edits, live);

  return (
    <form className="form hw-form" data-testid="hw-form-cpus" onSubmit={(e) => (e.preventDefault(), void edit.apply(args))}>
      <h3>{t('details.hw.cpus')}</h3>
      <div className="form-row">
        <NumberField label={t('details.hw.vcpuCurrent')} min={1} max={Number(max)} value={current} onChange={setCurrent} testId="hw-vcpu-current" />
        <NumberField label={t('details.hw.vcpuMax')} min={1} max={4096} value={max} onChange={setMax} testId="hw-vcpu-max" />
        <SelectField label={t('details.hw.placement')} value={placement} onChange={setPlacement} options={['static', 'auto']} />
        <TextField label={t('details.hw.cpuset')} value={cpuset} placeholder="0-3,^2" onChange={setCpuset} />
      </div>
      <SelectField
        label={t('details.hw.cpuMode')}
        value={mode}
        onChange={setMode}
        testId="hw-cpu-mode"
        options={[['default', t('details.hw.cpuDefault')], 'host-passthrough', 'host-model', 'maximum', ['custom', t('details.hw.cpuCustom')]]}
      />
      {mode === 'custom' && <TextField label={t('details.hw.cpuModel')} value={model} placeholder="Skylake-Client" onChange={setModel} />}
      <CheckField label={t('details.hw.topology')} checked={manualTopo} onChange={setManualTopo} />
      {manualTopo && (
        <div className="form-row">
          {(['sockets', 'cores', 'threads'] as const).map((k) => (
            <NumberField key={k} label={t(`details.hw.${k}`)} min={1} value={String(topo[k])} onChange={(v) => setTopo({ ...topo, [k]: Number(v) })} />
          ))}
        </div>
      )}
      <FormFooter running={details.live !== null} live={{ value: live, set: setLive, hint: t('details.hw.cpuLiveHint') }} busy={edit.busy} args={args} />
    </form>
  );
}

/** Maximum and current memory, memtune limits, hugepages, and what the balloon is. */
export function MemoryForm(props: FormProps) {
  const { details } = props;
  const t = useT();
  const m = details.config.memory;
  const [max, setMax] = useState(toMiB(m.maxKiB));
  const [current, setCurrent] = useState(toMiB(m.currentKiB));
  const [hard, setHard] = useState(toMiB(m.hardLimitKiB));
  const [soft, setSoft] = useState(toMiB(m.softLimitKiB));
  const [swap, setSwap] = useState(toMiB(m.swapHardLimitKiB));
  const [hugepages, setHugepages] = useState(m.hugepages);
  const [live, setLive] = useState(true);
  const edit = useFormEdit(props);
  const limit = (s: string, was: number | undefined) => (s === toMiB(was) ? undefined : s.trim() === '' ? (was === undefined ? undefined : null) : fromMiB(s));
  const balloon = details.config.devices.find((d) => d.kind === 'memballoon');

  const args = edit.argsOf(
    [
      {
        kind: 'memory',
        // An unchanged field keeps its exact value (MiB rounding must not rewrite it).
        maxKiB: max === toMiB(m.maxKiB) ? m.maxKiB : fromMiB(max),
        currentKiB: current === toMiB(m.currentKiB) ? m.currentKiB : fromMiB(current),
        hardLimitKiB: limit(hard, m.hardLimitKiB),
        softLimitKiB: limit(soft, m.softLimitKiB),
        swapHardLimitKiB: limit(swap, m.swapHardLimitKiB),
        hugepages,
      },
    ],
    live,
  );

  return (
    <form className="form hw-form" data-testid="hw-form-memory" onSubmit={(e) => (e.preventDefault(), void edit.apply(args))}>
      <h3>{t('details.hw.memory')}</h3>
      <div className="form-row">
        <NumberField label={t('details.hw.memCurrent')} min={1} value={current} onChange={setCurrent} testId="hw-memory-current" />
        <NumberField label={t('details.hw.memMax')} min={1} value={max} onChange={setMax} testId="hw-memory-max" />
      </div>
      <fieldset>
        <legend>{t('details.hw.memtune')}</legend>
        <div className="form-row">
          <NumberField label={t('details.hw.hardLimit')} min={1} value={hard} placeholder={t('details.hw.noLimit')} onChange={setHard} />
          <NumberField label={t('details.hw.softLimit')} min={1} value={soft} placeholder={t('details.hw.noLimit')} onChange={setSoft} />
          <NumberField label={t('details.hw.swapLimit')} min={1} value={swap} placeholder={t('details.hw.noLimit')} onChange={setSwap} />
        </div>
      </fieldset>
      <CheckField label={t('details.hw.hugepages')} checked={hugepages} onChange={setHugepages} />
      <p className="muted">{balloon && balloon.kind === 'memballoon' && balloon.model !== 'none' ? t('details.hw.balloonYes', { model: balloon.model ?? '' }) : t('details.hw.balloonNo')}</p>
      <FormFooter running={details.live !== null} live={{ value: live, set: setLive, hint: t('details.hw.memLiveHint') }} busy={edit.busy} args={args} />
    </form>
  );
}
