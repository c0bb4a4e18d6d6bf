import { useEffect, useState } from 'react';
import type { CpuMap, LiveTuning, PinTarget, VmPinning } from '../../../../../shared/api/tuning-cpu';
import type { RequestArgs } from '../../../../../shared/contract';
import { useApi } from '../../../api/ApiProvider';
import { useT } from '../../../i18n/I18nProvider';
import { ActionDialog } from '../../activity/ActionDialog';
import { cpusetIds, toCpuset } from './cpu-map-layout';

/** Where a change goes; live is off with libvirt's reason when it cannot be used. */
export function ScopeChoice({ config, live, liveInfo, onChange }: { config: boolean; live: boolean; liveInfo: { available: boolean; reason: string | null } | null; onChange: (c: boolean, l: boolean) => void }) {
  const t = useT();
  return (
    <fieldset className="tuning-scope">
      <label>
        <input type="checkbox" checked={config} data-testid="scope-config" onChange={(e) => onChange(e.target.checked, live)} /> {t('tuning.scope.config')}
      </label>
      <label>
        <input type="checkbox" checked={live} disabled={!liveInfo?.available} data-testid="scope-live" onChange={(e) => onChange(config, e.target.checked)} /> {t('tuning.scope.live')}
      </label>
      {liveInfo && !liveInfo.available && <p className="muted" data-testid="scope-live-why">{liveInfo.reason}</p>}
    </fieldset>
  );
}

export function useLiveTuning(hostId: string, uuid: string): LiveTuning | null {
  const api = useApi();
  const [info, setInfo] = useState<LiveTuning | null>(null);
  useEffect(() => {
    let current = true;
    api.request('tuning.liveTuning', { hostId, uuid }).then((r) => current && setInfo(r), () => undefined);
    return () => {
      current = false;
    };
  }, [api, hostId, uuid]);
  return info;
}

type Kind = 'vcpu' | 'emulator' | 'numa';

/** Pin or unpin one vCPU, the emulator threads or the memory of a VM; the virsh command is shown first. */
export function PinDialog({ hostId, map, vm, initial = 'v0', onDone, onClose }: { hostId: string; map: CpuMap; vm: VmPinning; /** 'v0', 'v1'… or 'emu': what the form starts on. */ initial?: string; onDone: () => void; onClose: () => void }) {
  const t = useT();
  const api = useApi();
  const live = useLiveTuning(hostId, vm.uuid);
  const startVcpu = /^v(\d+)$/.exec(initial)?.[1];
  const [kind, setKind] = useState<Kind>(initial === 'emu' ? 'emulator' : 'vcpu');
  const [vcpu, setVcpu] = useState(startVcpu !== undefined ? Number(startVcpu) : 0);
  const [mode, setMode] = useState<'strict' | 'preferred' | 'interleave' | 'restrictive'>('strict');
  const [picked, setPicked] = useState<number[]>(() => cpusetIds((initial === 'emu' ? vm.emulatorPin : vm.vcpuPins.find((p) => p.vcpu === vcpu)?.cpuset) ?? ''));
  const [unpin, setUnpin] = useState(false);
  const [config, setConfig] = useState(true);
  const [liveOn, setLiveOn] = useState(false);
  useEffect(() => setLiveOn(live?.pin.available ?? false), [live]);
  const items = kind === 'numa' ? map.cells.map((c) => c.id) : map.cells.flatMap((c) => c.cpus.map((x) => x.id)).sort((a, b) => a - b);
  const target: PinTarget = kind === 'vcpu' ? { kind, vcpu } : kind === 'emulator' ? { kind } : { kind, mode };
  const cpuset = unpin ? null : toCpuset(picked);
  const args: RequestArgs<'tuning.pin'> | null = (cpuset === null || cpuset !== '') && (config || liveOn) ? { hostId, uuid: vm.uuid, target, cpuset, config, live: liveOn } : null;
  const switchKind = (k: Kind) => {
    setKind(k);
    setPicked(k === 'emulator' ? cpusetIds(vm.emulatorPin ?? '') : []);
  };
  // Each vCPU's form starts from its current pin.
  const pickVcpu = (n: number) => {
    setKind('vcpu');
    setVcpu(n);
    setPicked(cpusetIds(vm.vcpuPins.find((p) => p.vcpu === n)?.cpuset ?? ''));
  };
  return (
    <ActionDialog
      title={t('tuning.pin.title', { vm: vm.name })}
      request="tuning.pin"
      args={args}
      confirmLabel={t('tuning.pin.run')}
      testId="pin-dialog"
      onRun={async (a) => {
        try {
          await api.request('tuning.pin', a);
        } finally {
          onDone();
        }
      }}
      onClose={onClose}
    >
      <label>
        {t('tuning.pin.what')}{' '}
        <select data-testid="pin-target" value={kind === 'vcpu' ? `vcpu:${vcpu}` : kind} onChange={(e) => (e.target.value.startsWith('vcpu:') ? pickVcpu(Number(e.target.value.slice(5))) : switchKind(e.target.value as Kind))}>
          {Array.from({ length: Math.max(vm.maxVcpus, vm.vcpus, 1) }, (_, i) => (
            <option key={i} value={`vcpu:${i}`}>
              {t('tuning.pin.vcpu', { n: i })}
            </option>
          ))}
          <option value="emulator">{t('tuning.pin.emulator')}</option>
          <option value="numa">{t('tuning.pin.numa')}</option>
        </select>
      </label>
      {kind === 'numa' && (
        <label>
          {t('tuning.pin.mode')}{' '}
          <select value={mode} data-testid="pin-mode" onChange={(e) => setMode(e.target.value as typeof mode)}>
            {(['strict', 'preferred', 'interleave', 'restrictive'] as const).map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        </label>
      )}
      <fieldset className="pin-cpus">
        <legend>{kind === 'numa' ? t('tuning.pin.cells') : t('tuning.pin.cpus')}</legend>
        {items.map((id) => (
          <label key={id}>
            <input type="checkbox" data-testid={`pin-cpu-${id}`} disabled={unpin} checked={picked.includes(id)} onChange={(e) => setPicked(e.target.checked ? [...picked, id] : picked.filter((x) => x !== id))} /> {id}
          </label>
        ))}
        <label>
          <input type="checkbox" data-testid="pin-unpin" checked={unpin} onChange={(e) => setUnpin(e.target.checked)} /> {t('tuning.pin.unpin')}
        </label>
      </fieldset>
      <ScopeChoice config={config} live={liveOn} liveInfo={live?.pin ?? null} onChange={(c, l) => (setConfig(c), setLiveOn(l))} />
    </ActionDialog>
  );
}
