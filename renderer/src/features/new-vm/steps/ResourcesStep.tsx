/**
 * Step 3: memory and CPUs, prefilled from the OS (osinfo's recommended values, or twice the
 * minimum as virtinst does), with the host's limits next to them.
 */
import type { NewVmCapabilities } from '../../../../../shared/model/newvm';
import { useT } from '../../../i18n/I18nProvider';
import { formatKiB } from '../../../lib/units';
import type { Draft } from '../draft';
import type { OsDefaultsResult } from '../use-wizard-data';
import { updateDraft } from '../wizard-store';

export function ResourcesStep({ draft, caps, os }: { draft: Draft; caps: NewVmCapabilities; os: OsDefaultsResult | null }) {
  const t = useT();
  const vcpus = Number(draft.vcpus);
  const memMiB = Number(draft.memoryMiB);
  const d = os?.defaults;
  return (
    <div className="form" data-testid="newvm-step-resources">
      <div className="form-row">
        <label>
          {t('newvm.res.memory')}
          <input type="number" min={16} value={draft.memoryMiB} onChange={(e) => updateDraft((x) => ({ memoryMiB: e.target.value, touched: { ...x.touched, memory: true } }))} data-testid="newvm-memory" />
        </label>
        <label>
          {t('newvm.res.vcpus')}
          <input type="number" min={1} value={draft.vcpus} onChange={(e) => updateDraft((x) => ({ vcpus: e.target.value, touched: { ...x.touched, vcpus: true } }))} data-testid="newvm-vcpus" />
        </label>
      </div>
      <p className="hint" data-testid="newvm-host-limits">
        {t('newvm.res.hostLimits', { cpus: caps.hostCpus, memory: formatKiB(caps.hostMemoryKiB) })}
      </p>
      {d && (
        <p className="hint">
          {d.minMemoryMiB !== null
            ? t('newvm.res.recommendedMin', { name: d.name, memory: d.recMemoryMiB, min: d.minMemoryMiB, vcpus: d.recVcpus })
            : t('newvm.res.recommended', { name: d.name, memory: d.recMemoryMiB, vcpus: d.recVcpus })}
        </p>
      )}
      {vcpus > caps.hostCpus && (
        <p className="warning" data-testid="newvm-vcpu-warning">
          {t('newvm.res.vcpuWarning', { vcpus, cpus: caps.hostCpus })}
        </p>
      )}
      {memMiB * 1024 > caps.hostMemoryKiB && <p className="warning">{t('newvm.res.memWarning', { memory: formatKiB(caps.hostMemoryKiB) })}</p>}
      {d?.minMemoryMiB != null && memMiB > 0 && memMiB < d.minMemoryMiB && <p className="warning">{t('newvm.res.belowMin', { min: d.minMemoryMiB })}</p>}
      <label>
        {t('newvm.res.cpuset')}
        <input className="mono" value={draft.cpuset} onChange={(e) => updateDraft({ cpuset: e.target.value })} placeholder={`0-${Math.max(0, caps.hostCpus - 1)}`} data-testid="newvm-cpuset" />
      </label>
      <p className="hint">{t('newvm.res.cpusetHint')}</p>
    </div>
  );
}
