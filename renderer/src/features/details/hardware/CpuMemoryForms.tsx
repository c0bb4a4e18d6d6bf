import { useState } from 'react';
import type { DomainDetails } from '../../../../../shared/model/details';
import { useApi } from '../../../api/ApiProvider';
import { useT } from '../../../i18n/I18nProvider';
import { useEdit, type Outcome } from './use-edit';

export interface FormProps {
  hostId: string;
  details: DomainDetails;
  onChanged: () => void;
  /** Where an edit's result or error is shown (the Hardware tab, which outlives the form). */
  onOutcome: (o: Outcome) => void;
}

const MiB = 1024;
const toMiB = (kib: number | undefined) => (kib === undefined ? '' : String(Math.round(kib / MiB)));
const fromMiB = (s: string) => Math.round(Number(s) * MiB);

/** "Apply to the running VM now" — offered only while it runs, on forms libvirt can apply live. */
export function LiveToggle({ running, live, setLive, hint }: { running: boolean; live: boolean; setLive: (v: boolean) => void; hint: string }) {
  const t = useT();
  if (!running) return null;
  return (
    <label className="checkbox">
      <input type="checkbox" checked={live} onChange={(e) => setLive(e.target.checked)} data-testid="hw-live" />
      {t('details.hw.applyNow')} <span className="muted">{hint}</span>
    </label>
  );
}

export function CpuForm(props: FormProps) {
  const { hostId, details } = props;
  const t = useT();
  const api = useApi();
  const c = details.config;
  const running = details.live !== null;
  const [max, setMax] = useState(String(c.vcpu.max));
  const [current, setCurrent] = useState(String(c.vcpu.current));
  const [cpuset, setCpuset] = useState(c.vcpu.cpuset ?? '');
  const [mode, setMode] = useState<string>(c.cpu.mode ?? 'default');
  const [model, setModel] = useState(c.cpu.model ?? '');
  const [manualTopo, setManualTopo] = useState(c.cpu.topology !== undefined);
  const [topo, setTopo] = useState(c.cpu.topology ?? { sockets: 1, cores: c.vcpu.max, threads: 1 });
  const [live, setLive] = useState(true);
  const edit = useEdit(props);
  const cpuChanged = mode !== (c.cpu.mode ?? 'default') || model !== (c.cpu.model ?? '') || manualTopo !== (c.cpu.topology !== undefined) || JSON.stringify(topo) !== JSON.stringify(c.cpu.topology ?? topo);

  const submit = () =>
    edit.run(async () => {
      let res = await api.request('details.edit', {
        hostId, uuid: details.uuid, etag: details.etag, live,
        edit: { kind: 'vcpus', max: Number(max), current: Number(current), cpuset },
      });
      if (cpuChanged) {
        const second = await api.request('details.edit', {
          hostId, uuid: details.uuid, etag: res.etag, live: false,
          edit: { kind: 'cpu', mode: mode as 'custom', ...(mode === 'custom' ? { model } : {}), topology: manualTopo ? topo : null },
        });
        res = { ...second, liveApplied: res.liveApplied && !second.needsRestart, needsRestart: res.needsRestart || second.needsRestart };
      }
      return res;
    });

  return (
    <form className="form hw-form" data-testid="hw-form-cpus" onSubmit={(e) => (e.preventDefault(), void submit())}>
      <h3>{t('details.hw.cpus')}</h3>
      <div className="form-row">
        <label>
          {t('details.hw.vcpuCurrent')}
          <input type="number" min={1} max={Number(max)} value={current} onChange={(e) => setCurrent(e.target.value)} data-testid="hw-vcpu-current" />
        </label>
        <label>
          {t('details.hw.vcpuMax')}
          <input type="number" min={1} max={4096} value={max} onChange={(e) => setMax(e.target.value)} data-testid="hw-vcpu-max" />
        </label>
        <label>
          {t('details.hw.cpuset')}
          <input value={cpuset} placeholder="0-3,^2" onChange={(e) => setCpuset(e.target.value)} />
        </label>
      </div>
      <label>
        {t('details.hw.cpuMode')}
        <select value={mode} onChange={(e) => setMode(e.target.value)} data-testid="hw-cpu-mode">
          <option value="default">{t('details.hw.cpuDefault')}</option>
          <option value="host-passthrough">host-passthrough</option>
          <option value="host-model">host-model</option>
          <option value="maximum">maximum</option>
          <option value="custom">{t('details.hw.cpuCustom')}</option>
        </select>
      </label>
      {mode === 'custom' && (
        <label>
          {t('details.hw.cpuModel')}
          <input value={model} placeholder="Skylake-Client" onChange={(e) => setModel(e.target.value)} />
        </label>
      )}
      <label className="checkbox">
        <input type="checkbox" checked={manualTopo} onChange={(e) => setManualTopo(e.target.checked)} />
        {t('details.hw.topology')}
      </label>
      {manualTopo && (
        <div className="form-row">
          {(['sockets', 'cores', 'threads'] as const).map((k) => (
            <label key={k}>
              {t(`details.hw.${k}`)}
              <input type="number" min={1} value={topo[k]} onChange={(e) => setTopo({ ...topo, [k]: Number(e.target.value) })} />
            </label>
          ))}
        </div>
      )}
      <LiveToggle running={running} live={live} setLive={setLive} hint={t('details.hw.cpuLiveHint')} />
      <div className="form-buttons">
        <button type="submit" className="primary" disabled={edit.busy} data-testid="hw-apply">
          {t('details.hw.apply')}
        </button>
      </div>
    </form>
  );
}

export function MemoryForm(props: FormProps) {
  const { hostId, details } = props;
  const t = useT();
  const api = useApi();
  const m = details.config.memory;
  const running = details.live !== null;
  const [max, setMax] = useState(toMiB(m.maxKiB));
  const [current, setCurrent] = useState(toMiB(m.currentKiB));
  const [hard, setHard] = useState(toMiB(m.hardLimitKiB));
  const [soft, setSoft] = useState(toMiB(m.softLimitKiB));
  const [swap, setSwap] = useState(toMiB(m.swapHardLimitKiB));
  const [hugepages, setHugepages] = useState(m.hugepages);
  const [live, setLive] = useState(true);
  const edit = useEdit(props);
  const limit = (s: string, was: number | undefined) => (s.trim() === '' ? (was === undefined ? undefined : null) : fromMiB(s));
  const balloon = details.config.devices.find((d) => d.kind === 'memballoon');

  const submit = () =>
    edit.run(() =>
      api.request('details.edit', {
        hostId, uuid: details.uuid, etag: details.etag, live,
        edit: {
          kind: 'memory',
          // An unchanged field keeps its exact value (MiB rounding must not rewrite it).
          maxKiB: max === toMiB(m.maxKiB) ? m.maxKiB : fromMiB(max),
          currentKiB: current === toMiB(m.currentKiB) ? m.currentKiB : fromMiB(current),
          hardLimitKiB: hard === toMiB(m.hardLimitKiB) ? undefined : limit(hard, m.hardLimitKiB),
          softLimitKiB: soft === toMiB(m.softLimitKiB) ? undefined : limit(soft, m.softLimitKiB),
          swapHardLimitKiB: swap === toMiB(m.swapHardLimitKiB) ? undefined : limit(swap, m.swapHardLimitKiB),
          hugepages,
        },
      }),
    );

  return (
    <form className="form hw-form" data-testid="hw-form-memory" onSubmit={(e) => (e.preventDefault(), void submit())}>
      <h3>{t('details.hw.memory')}</h3>
      <div className="form-row">
        <label>
          {t('details.hw.memCurrent')}
          <input type="number" min={1} value={current} onChange={(e) => setCurrent(e.target.value)} data-testid="hw-memory-current" />
        </label>
        <label>
          {t('details.hw.memMax')}
          <input type="number" min={1} value={max} onChange={(e) => setMax(e.target.value)} data-testid="hw-memory-max" />
        </label>
      </div>
      <fieldset>
        <legend>{t('details.hw.memtune')}</legend>
        <div className="form-row">
          <label>
            {t('details.hw.hardLimit')}
            <input type="number" min={1} value={hard} placeholder={t('details.hw.noLimit')} onChange={(e) => setHard(e.target.value)} />
          </label>
          <label>
            {t('details.hw.softLimit')}
            <input type="number" min={1} value={soft} placeholder={t('details.hw.noLimit')} onChange={(e) => setSoft(e.target.value)} />
          </label>
          <label>
            {t('details.hw.swapLimit')}
            <input type="number" min={1} value={swap} placeholder={t('details.hw.noLimit')} onChange={(e) => setSwap(e.target.value)} />
          </label>
        </div>
      </fieldset>
      <label className="checkbox">
        <input type="checkbox" checked={hugepages} onChange={(e) => setHugepages(e.target.checked)} />
        {t('details.hw.hugepages')}
      </label>
      <p className="muted">{balloon && balloon.kind === 'memballoon' && balloon.model !== 'none' ? t('details.hw.balloonYes', { model: balloon.model ?? '' }) : t('details.hw.balloonNo')}</p>
      <LiveToggle running={running} live={live} setLive={setLive} hint={t('details.hw.memLiveHint')} />
      <div className="form-buttons">
        <button type="submit" className="primary" disabled={edit.busy} data-testid="hw-apply">
          {t('details.hw.apply')}
        </button>
      </div>
    </form>
  );
}
