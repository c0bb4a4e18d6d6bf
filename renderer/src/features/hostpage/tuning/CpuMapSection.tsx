import { useState } from 'react';
import type { CpuMap, NumaCell, VmPinning } from '../../../../../shared/api/tuning-cpu';
import { ErrorText } from '../../../components/ErrorText';
import { useT } from '../../../i18n/I18nProvider';
import { formatError } from '../../../lib/format-error';
import { useHostData } from '../../storage/use-host-data';
import { MemtuneDialog } from './MemtuneDialog';
import { PinDialog } from './PinDialog';
import { groupCell, pinsOnCpu } from './cpu-map-layout';

const mib = (kib: number | null) => (kib === null ? '?' : kib >= 1024 * 1024 ? `${(kib / 1024 / 1024).toFixed(1)} GiB` : `${Math.round(kib / 1024)} MiB`);

/** One NUMA cell: sockets → cores → thread CPUs, each CPU listing what is pinned to it. */
function Cell({ cell, map, onPick }: { cell: NumaCell; map: CpuMap; onPick: (vm: string, what: string) => void }) {
  const t = useT();
  return (
    <div className="cpu-cell" data-testid={`cpu-cell-${cell.id}`}>
      <div className="cpu-cell-head">
        {t('tuning.cpu.cell', { id: cell.id })} · <span className="muted">{t('tuning.cpu.cellMem', { mem: mib(cell.memoryKiB) })}</span>
      </div>
      {groupCell(cell).map((s) => (
        <div key={s.socket} className="cpu-socket">
          <div className="muted">{t('tuning.cpu.socket', { id: s.socket })}</div>
          <div className="cpu-cores">
            {s.cores.map((c) => (
              <div key={c.core} className="cpu-core" title={t('tuning.cpu.core', { id: c.core })}>
                {c.cpus.map((cpu) => (
                  <div key={cpu.id} className="cpu-thread" data-testid={`cpu-${cpu.id}`}>
                    <div className="cpu-thread-id">{t('tuning.cpu.cpu', { id: cpu.id })}</div>
                    {pinsOnCpu(map, cpu.id).map((p) => (
                      <button type="button" key={`${p.vm}/${p.what}`} className="cpu-pin link mono" data-testid="cpu-pin" data-vm={p.vm} data-what={p.what} onClick={() => onPick(p.vm, p.what)}>
                        {p.vm}:{p.what}
                      </button>
                    ))}
                  </div>
                ))}
              </div>
            ))}
          </div>
        </div>
      ))}
    </div>
  );
}

function VmRow({ vm, onPin, onMemtune }: { vm: VmPinning; onPin: () => void; onMemtune: () => void }) {
  const t = useT();
  return (
    <tr data-testid={`pin-vm-${vm.name}`}>
      <td>{vm.name}</td>
      <td className="muted">{vm.running ? t('tuning.cpu.running') : t('tuning.cpu.off')}</td>
      <td>{vm.vcpus === vm.maxVcpus ? vm.vcpus : `${vm.vcpus} / ${vm.maxVcpus}`}</td>
      <td className="mono" data-testid={`pin-vm-vcpus-${vm.name}`}>
        {vm.vcpuPins.length === 0 ? <span className="muted">{vm.defaultCpuset ?? t('tuning.cpu.any')}</span> : vm.vcpuPins.map((p) => `v${p.vcpu}→${p.cpuset}`).join(' ')}
      </td>
      <td className="mono">{vm.emulatorPin ?? <span className="muted">{t('tuning.cpu.any')}</span>}</td>
      <td className="mono">{vm.numatune ? `${vm.numatune.mode} ${vm.numatune.nodeset ?? vm.numatune.placement ?? ''}` : ''}</td>
      <td className="device-actions">
        <button type="button" className="link" data-testid={`pin-open-${vm.name}`} onClick={onPin}>
          {t('tuning.cpu.pin')}
        </button>
        <button type="button" className="link" data-testid={`memtune-open-${vm.name}`} onClick={onMemtune}>
          {t('tuning.cpu.memtune')}
        </button>
      </td>
    </tr>
  );
}

/** The CPU map with every VM's pinning, and per VM the pin form and its memory limits. */
export function CpuMapSection({ hostId }: { hostId: string }) {
  const t = useT();
  const r = useHostData(hostId, (a) => a.request('tuning.cpuMap', { hostId }), ['domains.changed']);
  const [dialog, setDialog] = useState<{ vm: VmPinning; kind: 'pin' | 'memtune'; initial?: string } | null>(null);
  // A pin drawn on the map opens its form: unpin or move it from there.
  const pick = (name: string, what: string) => {
    const vm = map?.vms.find((v) => v.name === name);
    if (vm) setDialog({ vm, kind: 'pin', initial: what });
  };
  const map = r.data;
  return (
    <section className="tuning-section" data-testid="cpu-map">
      <h3>{t('tuning.cpu.title')}</h3>
      <p className="muted">{t('tuning.cpu.intro')}</p>
      {r.error && <ErrorText>{formatError(t, r.error)}</ErrorText>}
      {map && (
        <>
          <p data-testid="cpu-map-summary">{t('tuning.cpu.summary', { cpus: map.hostCpus, sockets: map.sockets, cells: map.cells.length })}</p>
          <div className="cpu-cells">
            {map.cells.map((c) => (
              <Cell key={c.id} cell={c} map={map} onPick={pick} />
            ))}
          </div>
          {map.vms.length === 0 ? (
            <p className="muted">{t('tuning.cpu.noVms')}</p>
          ) : (
            <table className="device-table">
              <thead>
                <tr>
                  <th>{t('tuning.cpu.vm')}</th>
                  <th />
                  <th>{t('tuning.cpu.vcpus')}</th>
                  <th>{t('tuning.cpu.vcpuPins')}</th>
                  <th>{t('tuning.cpu.emulator')}</th>
                  <th>{t('tuning.cpu.numa')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {map.vms.map((vm) => (
                  <VmRow key={vm.uuid} vm={vm} onPin={() => setDialog({ vm, kind: 'pin' })} onMemtune={() => setDialog({ vm, kind: 'memtune' })} />
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      {dialog?.kind === 'pin' && map && <PinDialog hostId={hostId} map={map} vm={dialog.vm} {...(dialog.initial ? { initial: dialog.initial } : {})} onDone={r.reload} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'memtune' && <MemtuneDialog hostId={hostId} vm={dialog.vm} onClose={() => setDialog(null)} />}
    </section>
  );
}

