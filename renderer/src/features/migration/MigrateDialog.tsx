import { useEffect, useMemo, useState } from 'react';
import { commandText } from '../../../../shared/api/commands';
import type { HostId } from '../../../../shared/model/host';
import type { MigrationCommand, PreflightReport } from '../../../../shared/model/migration';
import { useApi } from '../../api/ApiProvider';
import { ErrorText } from '../../components/ErrorText';
import { Modal } from '../../components/Modal';
import { useT } from '../../i18n/I18nProvider';
import { quotedList } from '../../lib/format-list';
import { formatError, toErrorShape } from '../../lib/format-error';
import { useHostsStore } from '../../stores/hosts';
import { openDomainDialog, type VmRef } from '../../stores/ui';
import { CheckField, NumberField, SelectField, TextField } from '../details/hardware/fields';
import { formOptions, initialForm, type MigrateForm } from './migration-form';
import { MigrationJobs } from './MigrationJobs';
import './migration.css';

interface Props {
  hostId: HostId;
  vms: VmRef[];
  destHostId?: HostId | undefined;
  /** Whether the (first) VM runs: picks the live path or the offline move. */
  running: boolean;
}

/**
 * Migrate one VM or a selection to another connected host: options, the pre-flight (re-run as
 * the options change) with the path and why, "Show command", then the jobs' progress here.
 */
export function MigrateDialog({ hostId, vms, destHostId, running }: Props) {
  const t = useT();
  const api = useApi();
  const hosts = useHostsStore((s) => s.hosts);
  const others = hosts.filter((h) => h.config.id !== hostId && h.status.state === 'connected');
  const [dest, setDest] = useState<string>(destHostId ?? others[0]?.config.id ?? '');
  const [form, setForm] = useState<MigrateForm>(() => initialForm(running));
  const set = <K extends keyof MigrateForm>(k: K) => (v: MigrateForm[K]) => setForm((f) => ({ ...f, [k]: v }));
  const options = useMemo(() => formOptions(form), [form]);
  const [reports, setReports] = useState<Array<{ vm: VmRef; report?: PreflightReport; error?: string }> | null>(null);
  const [lines, setLines] = useState<MigrationCommand[]>([]);
  const [jobs, setJobs] = useState<Array<{ jobId: string; vm: VmRef }>>([]);
  const [error, setError] = useState<string | null>(null);
  /** Bumped to run the pre-flight again (after creating a pool on the destination). */
  const [recheck, setRecheck] = useState(0);
  const close = () => openDomainDialog(null);

  useEffect(() => {
    if (!dest || jobs.length) return;
    let live = true;
    setReports(null);
    const timer = setTimeout(() => {
      void Promise.all(
        vms.map((vm) =>
          api.request('migration.preflight', { sourceHostId: hostId, destHostId: dest, uuid: vm.uuid, options }).then(
            (report) => ({ vm, report }),
            (e: unknown) => ({ vm, error: formatError(t, toErrorShape(e)) }),
          ),
        ),
      ).then((r) => live && setReports(r));
      api.request('migration.commands', { sourceHostId: hostId, destHostId: dest, uuid: vms[0]!.uuid, options }).then((l) => live && setLines(l), () => live && setLines([]));
    }, 300);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, t, hostId, dest, vms, options, jobs.length, recheck]);

  const createPool = async (name: string, path: string) => {
    setError(null);
    try {
      await api.request('storage.pools.define', { hostId: dest, spec: { type: 'dir', name, targetPath: path }, build: true, start: true });
      setRecheck((n) => n + 1);
    } catch (e) {
      setError(formatError(t, toErrorShape(e)));
    }
  };
  const missingPools = [...new Map((reports ?? []).flatMap((r) => r.report?.missingPools ?? []).map((p) => [p.name, p])).values()];

  const ok = !!reports && reports.every((r) => r.report?.ok);
  const start = async () => {
    setError(null);
    try {
      const started = [];
      for (const vm of vms) started.push({ jobId: (await api.request('migration.start', { sourceHostId: hostId, destHostId: dest, uuid: vm.uuid, options })).jobId, vm });
      setJobs(started);
    } catch (e) {
      setError(formatError(t, toErrorShape(e)));
    }
  };
  const first = reports?.[0]?.report;
  const names = quotedList(t, vms.map((v) => v.name));

  return (
    <Modal title={t('migration.title', { names })} onCancel={close} testId="migrate-dialog" className="action-dialog migrate-dialog">
      {jobs.length > 0 ? (
        <MigrationJobs jobs={jobs} onClose={close} />
      ) : (
        <form className="form" onSubmit={(e) => (e.preventDefault(), void start())}>
          {others.length === 0 ? (
            <p data-testid="migrate-nodest">{t('migration.noDest')}</p>
          ) : (
            <SelectField label={t('migration.dest')} value={dest} onChange={setDest} testId="migrate-dest" options={others.map((h) => [h.config.id, h.config.name] as [string, string])} />
          )}
          <SelectField label={t('migration.path')} value={form.path} onChange={(v) => set('path')(v as MigrateForm['path'])} testId="migrate-path"
            options={(['relay', 'relay-tunnelled', 'direct', 'offline'] as const).map((p) => [p, t(`migration.path.${p}`)] as [string, string])} />
          {form.path === 'offline' ? (
            <CheckField label={t('migration.deleteSourceDisks')} checked={form.deleteSourceDisks} onChange={set('deleteSourceDisks')} testId="migrate-delete-disks" />
          ) : (
            <>
              <CheckField label={t('migration.persistent')} checked={form.persistent} onChange={set('persistent')} testId="migrate-persistent" />
              <SelectField label={t('migration.copyStorage')} value={form.copyStorage} onChange={(v) => set('copyStorage')(v as MigrateForm['copyStorage'])} testId="migrate-copy"
                options={(['none', 'all', 'inc'] as const).map((c) => [c, t(`migration.copy.${c}`)] as [string, string])} />
              <NumberField label={t('migration.bandwidth')} value={form.bandwidth} onChange={set('bandwidth')} min={1} testId="migrate-bandwidth" />
              <NumberField label={t('migration.maxDowntime')} value={form.maxDowntime} onChange={set('maxDowntime')} min={1} testId="migrate-downtime" />
              <CheckField label={t('migration.autoConverge')} checked={form.autoConverge} onChange={set('autoConverge')} testId="migrate-autoconverge" />
              <CheckField label={t('migration.unsafe')} checked={form.unsafe} onChange={set('unsafe')} testId="migrate-unsafe" />
              {form.path !== 'relay-tunnelled' && <TextField label={t('migration.destAddress')} value={form.destAddress} onChange={set('destAddress')} mono testId="migrate-address" />}
              {form.path === 'direct' && <TextField label={t('migration.directKeyFile')} value={form.directKeyFile} onChange={set('directKeyFile')} mono testId="migrate-keyfile" />}
              {form.path !== 'direct' && <p className="migrate-note" data-testid="migrate-root-note">{t('migration.rootNote')}</p>}
            </>
          )}
          <section className="migrate-preflight" data-testid="migrate-preflight">
            <h3>{t('migration.preflight')}</h3>
            {!reports && <p>{t('migration.checking')}</p>}
            {first && <p data-testid="migrate-why">{first.why} {first.relay}</p>}
            {reports?.map(({ vm, report, error: e }) => (
              <ul key={vm.uuid} data-testid={`migrate-checks-${vm.name}`}>
                {vms.length > 1 && <li className="vm">{vm.name}</li>}
                {e && <li className="check error">{e}</li>}
                {report?.checks.map((c) => (
                  <li key={c.id} className={`check ${c.ok ? c.severity : 'error'}`} data-testid={`migrate-check-${c.id}`}>
                    {c.message}
                    {c.fix && !c.ok && <span className="fix"> — {c.fix}</span>}
                  </li>
                ))}
              </ul>
            ))}
            {missingPools.map((p) => (
              <button key={p.name} type="button" data-testid={`migrate-create-pool-${p.name}`} onClick={() => void createPool(p.name, p.path)}>
                {t('migration.createPool', { name: p.name, path: p.path })}
              </button>
            ))}
          </section>
          <details className="command-preview" data-testid="migrate-commands">
            <summary>{t('migration.commands')}</summary>
            <pre className="mono">{lines.map((l) => `# ${l.hostName}${l.note ? ` (${l.note})` : ''}\n${commandText({ argv: l.argv })}`).join('\n')}</pre>
          </details>
          {error && <ErrorText testId="action-error">{error}</ErrorText>}
          <div className="modal-buttons">
            <button type="button" data-testid="action-cancel" onClick={close}>
              {t('common.cancel')}
            </button>
            <button type="submit" data-testid="migrate-start" className="primary" disabled={!ok || !dest}>
              {t('migration.start')}
            </button>
          </div>
        </form>
      )}
    </Modal>
  );
}
