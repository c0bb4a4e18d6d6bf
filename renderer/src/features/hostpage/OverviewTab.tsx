import type { HostOverview } from '../../../../shared/model/hostinfo';
import { ErrorText } from '../../components/ErrorText';
import { useT } from '../../i18n/I18nProvider';
import { formatError } from '../../lib/format-error';
import { formatKiB } from '../../lib/units';
import { useHostData } from '../storage/use-host-data';
import { HostCharts } from './HostCharts';

/**
 * Over 100% of the host's CPUs or memory given to running VMs. The seed's rule: guest vCPUs
 * should not exceed the host's CPUs.
 */
export function overcommit(o: HostOverview): { cpuPct: number; memPct: number } {
  return { cpuPct: o.cpus ? (o.running.vcpus / o.cpus) * 100 : 0, memPct: o.memoryKiB ? (o.running.memoryKiB / o.memoryKiB) * 100 : 0 };
}

/** What the host is, what runs on it, and its live figures. */
export function OverviewTab({ hostId }: { hostId: string }) {
  const t = useT();
  const overview = useHostData(hostId, (a) => a.request('hostpage.overview', { hostId }), ['domains.changed']);
  const o = overview.data;
  const oc = o ? overcommit(o) : null;
  return (
    <div className="host-overview" data-testid="host-overview">
      {overview.error && <ErrorText>{formatError(t, overview.error)}</ErrorText>}
      {o && oc && (
        <dl className="host-facts">
          <dt>{t('hostpage.hostname')}</dt>
          <dd data-testid="host-hostname">{o.hostname}</dd>
          <dt>{t('hostpage.versions')}</dt>
          <dd>{[o.libvirtVersion, o.hypervisor].filter(Boolean).join(' · ')}</dd>
          <dt>{t('hostpage.domainTypes')}</dt>
          <dd>{o.domainTypes.join(', ')}</dd>
          <dt>{t('hostpage.cpu')}</dt>
          <dd data-testid="host-cpu-facts">
            {t('hostpage.cpuText', { model: o.cpuModel ?? '?', cpus: o.cpus, sockets: o.sockets, cores: o.coresPerSocket, threads: o.threadsPerCore })}
            {o.mhz ? ` · ${o.mhz} MHz` : ''}
          </dd>
          <dt>{t('hostpage.numa')}</dt>
          <dd>{o.numaCells.map((c) => t('hostpage.numaCell', { id: c.id, cpus: c.cpus, memory: formatKiB(c.memoryKiB) })).join('; ')}</dd>
          <dt>{t('hostpage.memory')}</dt>
          <dd data-testid="host-memory">{formatKiB(o.memoryKiB)}</dd>
          <dt>{t('hostpage.vms')}</dt>
          <dd data-testid="host-vm-counts">{t('hostpage.vmCounts', { running: o.vms.running, defined: o.vms.defined })}</dd>
          <dt>{t('hostpage.overcommit')}</dt>
          <dd data-testid="host-overcommit">
            <span className={oc.cpuPct > 100 ? 'warn-text' : undefined}>
              {t('hostpage.overcommitCpu', { vcpus: o.running.vcpus, cpus: o.cpus, pct: Math.round(oc.cpuPct) })}
            </span>
            {' · '}
            <span className={oc.memPct > 100 ? 'warn-text' : undefined}>
              {t('hostpage.overcommitMem', { used: formatKiB(o.running.memoryKiB), total: formatKiB(o.memoryKiB), pct: Math.round(oc.memPct) })}
            </span>
            {oc.cpuPct > 100 && <span className="muted"> — {t('hostpage.overcommitRule')}</span>}
            {o.running.unknown > 0 && <span className="muted"> ({t('hostpage.overcommitUnknown', { n: o.running.unknown })})</span>}
          </dd>
        </dl>
      )}
      <HostCharts hostId={hostId} />
    </div>
  );
}
