import { useEffect, useState } from 'react';
import type { AppErrorShape } from '../../../../../shared/errors';
import type { DomainDetails } from '../../../../../shared/model/details';
import { useApi } from '../../../api/ApiProvider';
import { ErrorText } from '../../../components/ErrorText';
import { useT } from '../../../i18n/I18nProvider';
import { formatError, toErrorShape } from '../../../lib/format-error';
import { formatKiB, formatPct, formatRate } from '../../../lib/units';
import { useStatsStore } from '../../../stores/stats';
import type { PerfHistory } from '../performance/perf-history';

interface Props {
  hostId: string;
  details: DomainDetails;
  history: PerfHistory;
  onChanged: () => void;
}

const last = (xs: (number | null)[]) => xs[xs.length - 1] ?? null;
/** Two rates as one (read + write, rx + tx); null when neither is known. */
const sum = (a: number | null, b: number | null) => (a === null && b === null ? null : (a ?? 0) + (b ?? 0));

export function OverviewTab({ hostId, details, history, onChanged }: Props) {
  const t = useT();
  const api = useApi();
  const d = details;
  const c = d.config;
  const ips = useStatsStore((s) => s.addresses[hostId]?.get(d.uuid));
  const [title, setTitle] = useState(c.title ?? '');
  const [description, setDescription] = useState(c.description ?? '');
  const [error, setError] = useState<AppErrorShape | null>(null);
  const [saved, setSaved] = useState(false);
  // A new definition (this form's save, or a change elsewhere) refreshes the fields.
  useEffect(() => {
    setTitle(c.title ?? '');
    setDescription(c.description ?? '');
  }, [d.etag, c.title, c.description]);
  const running = d.live !== null;
  const dirty = title !== (c.title ?? '') || description !== (c.description ?? '');

  const save = async () => {
    setError(null);
    try {
      await api.request('details.edit', { hostId, uuid: d.uuid, etag: d.etag, live: running, edit: { kind: 'general', title, description } });
      setSaved(true);
      onChanged();
    } catch (e) {
      setError(toErrorShape(e));
    }
  };

  const setAutostart = async (on: boolean) => {
    setError(null);
    try {
      const [r] = await api.request('domains.action', { hostId, uuids: [d.uuid], action: on ? 'autostart' : 'noautostart' });
      if (r && !r.ok && r.error) setError(r.error as AppErrorShape);
      onChanged();
    } catch (e) {
      setError(toErrorShape(e));
    }
  };

  const firmware = c.os.firmware === 'efi' ? t('details.overview.uefi') : t('details.overview.bios');
  const cpu = last(history.cols.cpu);
  const mem = last(history.cols.mem);
  return (
    <div className="overview-tab" data-testid="overview-tab">
      <dl className="facts">
        <dt>{t('details.overview.name')}</dt>
        <dd data-testid="overview-name">{d.name}</dd>
        <dt>UUID</dt>
        <dd className="mono">{d.uuid}</dd>
        <dt>{t('details.overview.state')}</dt>
        <dd data-testid="overview-state">
          {t(`domainState.${d.state}`)} <span className="muted">({d.reason})</span>
        </dd>
        <dt>{t('details.overview.os')}</dt>
        <dd>{[c.os.type, c.os.arch, c.os.machine].filter(Boolean).join(' · ')}</dd>
        <dt>{t('details.overview.firmware')}</dt>
        <dd>
          {firmware}
          {c.os.loader?.path && <span className="muted mono"> {c.os.loader.path}</span>}
        </dd>
        <dt>{t('details.overview.emulator')}</dt>
        <dd className="mono">{c.emulator ?? '—'}</dd>
        <dt>{t('details.overview.hypervisor')}</dt>
        <dd>{c.type}</dd>
        <dt>{t('details.overview.autostart')}</dt>
        <dd>
          <label className="checkbox">
            <input type="checkbox" checked={d.autostart} onChange={(e) => void setAutostart(e.target.checked)} data-testid="overview-autostart" disabled={!d.persistent} />
            {t('details.overview.autostartLabel')}
          </label>
        </dd>
        <dt>{t('details.overview.ips')}</dt>
        <dd className="mono" data-testid="overview-ips">{ips && ips.length > 0 ? ips.join(', ') : '—'}</dd>
        <dt>{t('details.overview.usage')}</dt>
        <dd data-testid="overview-usage">
          {running
            ? t('details.overview.usageLine', {
                cpu: formatPct(cpu) || '—',
                mem: formatKiB(mem) || '—',
                disk: formatRate(sum(last(history.cols.diskRd), last(history.cols.diskWr))) || '—',
                net: formatRate(sum(last(history.cols.netRx), last(history.cols.netTx))) || '—',
              })
            : '—'}
        </dd>
        <dt>{t('details.overview.size')}</dt>
        <dd>{t('details.overview.sizeLine', { vcpus: c.vcpu.current, maxVcpus: c.vcpu.max, mem: formatKiB(c.memory.currentKiB), maxMem: formatKiB(c.memory.maxKiB) })}</dd>
      </dl>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <label>
          {t('details.overview.title')}
          <input value={title} onChange={(e) => (setTitle(e.target.value), setSaved(false))} data-testid="overview-title" maxLength={4096} />
        </label>
        <label>
          {t('details.overview.description')}
          <textarea value={description} rows={4} onChange={(e) => (setDescription(e.target.value), setSaved(false))} data-testid="overview-description" />
        </label>
        {error && <ErrorText>{formatError(t, error)}</ErrorText>}
        {saved && !dirty && <p className="ok-text">{t('details.saved')}</p>}
        <div className="form-buttons">
          <button type="submit" className="primary" disabled={!dirty || !d.persistent} data-testid="overview-save">
            {t('common.save')}
          </button>
        </div>
      </form>
    </div>
  );
}
