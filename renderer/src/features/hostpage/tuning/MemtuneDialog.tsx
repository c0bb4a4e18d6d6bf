import { useEffect, useState } from 'react';
import type { VmPinning } from '../../../../../shared/api/tuning-cpu';
import type { RequestArgs } from '../../../../../shared/contract';
import { useApi } from '../../../api/ApiProvider';
import { useT } from '../../../i18n/I18nProvider';
import { ActionDialog } from '../../activity/ActionDialog';
import { ScopeChoice, useLiveTuning } from './PinDialog';

const toMiB = (kib: number | null) => (kib === null ? '' : String(Math.round(kib / 1024)));
/** '' → unlimited (null); a positive number of MiB → KiB; anything else → undefined (invalid). */
const fromMiB = (s: string): number | null | undefined => (s.trim() === '' ? null : /^\d+$/.test(s.trim()) && Number(s) > 0 ? Number(s) * 1024 : undefined);

/** `virsh memtune` for one VM: hard, soft and swap limits, persistent and/or live. */
export function MemtuneDialog({ hostId, vm, onClose }: { hostId: string; vm: VmPinning; onClose: () => void }) {
  const t = useT();
  const api = useApi();
  const live = useLiveTuning(hostId, vm.uuid);
  const [vals, setVals] = useState<{ hard: string; soft: string; swap: string } | null>(null);
  const [config, setConfig] = useState(true);
  const [liveOn, setLiveOn] = useState(false);
  useEffect(() => {
    let current = true;
    api.request('tuning.memtune', { hostId, uuid: vm.uuid }).then(
      (m) => current && (setVals({ hard: toMiB(m.hardKiB), soft: toMiB(m.softKiB), swap: toMiB(m.swapHardKiB) }), setLiveOn(m.live.memtune.available)),
      () => current && setVals({ hard: '', soft: '', swap: '' }),
    );
    return () => {
      current = false;
    };
  }, [api, hostId, vm.uuid]);
  const hard = fromMiB(vals?.hard ?? '');
  const soft = fromMiB(vals?.soft ?? '');
  const swap = fromMiB(vals?.swap ?? '');
  const args: RequestArgs<'tuning.setMemtune'> | null =
    vals && hard !== undefined && soft !== undefined && swap !== undefined && (config || liveOn) ? { hostId, uuid: vm.uuid, hardKiB: hard, softKiB: soft, swapHardKiB: swap, config, live: liveOn } : null;
  const field = (k: 'hard' | 'soft' | 'swap', label: string) => (
    <label>
      {label}{' '}
      <input data-testid={`memtune-${k}`} inputMode="numeric" placeholder={t('tuning.memtune.unlimited')} value={vals?.[k] ?? ''} disabled={!vals} onChange={(e) => vals && setVals({ ...vals, [k]: e.target.value })} />
    </label>
  );
  return (
    <ActionDialog
      title={t('tuning.memtune.title', { vm: vm.name })}
      request="tuning.setMemtune"
      args={args}
      confirmLabel={t('tuning.pin.run')}
      testId="memtune-dialog"
      onRun={(a) => api.request('tuning.setMemtune', a)}
      onClose={onClose}
    >
      {field('hard', t('tuning.memtune.hard'))}
      {field('soft', t('tuning.memtune.soft'))}
      {field('swap', t('tuning.memtune.swap'))}
      <p className="muted">{t('tuning.memtune.note')}</p>
      <ScopeChoice config={config} live={liveOn} liveInfo={live?.memtune ?? null} onChange={(c, l) => (setConfig(c), setLiveOn(l))} />
    </ActionDialog>
  );
}
