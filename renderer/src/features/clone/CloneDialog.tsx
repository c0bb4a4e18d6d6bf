/**
 * Clone a VM (or "New VM from template": the same dialog, linked disks by default): a name, and
 * per disk copy / linked / share / skip with the pool and the new file name. Modes libvirt or
 * safety rule out are shown disabled with the reason. A running source gets a Shut down button
 * instead of a Clone that would fail. Copies show progress from the new volume's allocation.
 */
import { useEffect, useMemo, useState } from 'react';
import type { RequestArgs } from '../../../../shared/contract';
import type { CloneDiskChoice, CloneDiskMode, CloneOptions } from '../../../../shared/model/clone';
import type { HostId } from '../../../../shared/model/host';
import { useApi } from '../../api/ApiProvider';
import { ErrorText } from '../../components/ErrorText';
import { useT } from '../../i18n/I18nProvider';
import { formatError, toErrorShape } from '../../lib/format-error';
import type { AppErrorShape } from '../../../../shared/errors';
import { openDomainDialog, type VmRef } from '../../stores/ui';
import { ActionDialog } from '../activity/ActionDialog';
import { SelectField, TextField } from '../details/hardware/fields';
import { runDomainAction } from '../domains/commands';
import { refreshTemplates } from './template-store';

interface Props {
  hostId: HostId;
  vm: VmRef;
  fromTemplate?: boolean;
}

type DiskForm = { mode: CloneDiskMode; poolUuid: string; newName: string };

export function CloneDialog({ hostId, vm, fromTemplate }: Props) {
  const t = useT();
  const api = useApi();
  const [opts, setOpts] = useState<CloneOptions | null>(null);
  const [loadError, setLoadError] = useState<AppErrorShape | null>(null);
  const [reload, setReload] = useState(0);
  const [name, setName] = useState('');
  const [disks, setDisks] = useState<Record<string, DiskForm>>({});
  const [progress, setProgress] = useState<Record<string, number>>({});
  const opId = useMemo(() => `clone-${Math.random().toString(36).slice(2)}`, []);

  useEffect(() => {
    let live = true;
    api.request('clones.options', { hostId, uuid: vm.uuid }).then(
      (o) => {
        if (!live) return;
        setOpts(o);
        setName((n) => n || o.defaultName);
        setDisks((d) => (Object.keys(d).length > 0 ? d : Object.fromEntries(o.disks.map((x) => [x.target, { mode: x.defaultMode, poolUuid: x.pool?.uuid ?? '', newName: x.proposedName }]))));
      },
      (e) => live && setLoadError(toErrorShape(e)),
    );
    return () => {
      live = false;
    };
  }, [api, hostId, vm.uuid, reload]);

  useEffect(() => api.on('clones.progress', (p) => p.opId === opId && setProgress((s) => ({ ...s, [p.target]: p.total > 0 ? Math.round((100 * p.done) / p.total) : 100 }))), [api, opId]);

  const close = () => openDomainDialog(null);
  const choices: CloneDiskChoice[] = opts
    ? opts.disks.map((d) => {
        const f = disks[d.target];
        if (!f) return { target: d.target, mode: d.defaultMode };
        const copying = f.mode === 'copy' || f.mode === 'linked';
        return { target: d.target, mode: f.mode, ...(copying && f.poolUuid ? { poolUuid: f.poolUuid } : {}), ...(copying && f.newName.trim() ? { newName: f.newName } : {}) };
      })
    : [];
  const args: RequestArgs<'clones.create'> | null = opts && !opts.running && name.trim() !== '' && !name.includes('/') ? { hostId, uuid: vm.uuid, name, disks: choices, opId } : null;
  const set = (target: string, patch: Partial<DiskForm>) => setDisks((s) => ({ ...s, [target]: { ...s[target]!, ...patch } }));

  return (
    <ActionDialog
      title={t(fromTemplate ? 'clone.titleFromTemplate' : 'clone.title', { name: vm.name })}
      request="clones.create"
      args={args}
      confirmLabel={t('clone.run')}
      testId="clone-dialog"
      onRun={async (a) => {
        await api.request('clones.create', a);
        void refreshTemplates(api, hostId);
      }}
      onClose={close}
    >
      {loadError && <ErrorText>{formatError(t, loadError)}</ErrorText>}
      {!opts && !loadError && <p className="muted">{t('clone.loading')}</p>}
      {opts?.running && (
        <div className="note" data-testid="clone-running">
          <p>{t('clone.running', { name: opts.sourceName })}</p>
          <button
            type="button"
            data-testid="clone-shutdown"
            onClick={async () => {
              await runDomainAction(api, hostId, [vm], 'shutdown');
              setTimeout(() => setReload((n) => n + 1), 2000);
            }}
          >
            {t('clone.shutdown', { name: opts.sourceName })}
          </button>
        </div>
      )}
      {opts && (
        <>
          <TextField label={t('clone.name')} value={name} onChange={setName} required testId="clone-name" />
          {opts.warnings.map((w) => (
            <p key={w} className="note" data-testid="clone-warning">
              {w}
            </p>
          ))}
          {opts.disks.length > 0 && <h4>{t('clone.disks')}</h4>}
          {opts.disks.map((d) => {
            const f = disks[d.target] ?? { mode: d.defaultMode, poolUuid: d.pool?.uuid ?? '', newName: d.proposedName };
            const copying = f.mode === 'copy' || f.mode === 'linked';
            const pct = progress[d.target];
            return (
              <fieldset key={d.target} className="clone-disk" data-testid={`clone-disk-${d.target}`}>
                <legend>
                  {t('clone.disk', { target: d.target, device: d.device })} <span className="mono muted">{d.source ?? ''}</span>
                </legend>
                <SelectField
                  label={t('clone.mode')}
                  value={f.mode}
                  onChange={(v) => set(d.target, { mode: v as CloneDiskMode })}
                  options={d.modes.filter((m) => m.ok).map((m) => [m.mode, t(`clone.mode.${m.mode}`)] as [string, string])}
                  testId={`clone-mode-${d.target}`}
                />
                {d.backing.length > 0 && (
                  <p className="mono small" data-testid={`clone-chain-${d.target}`}>
                    {t('clone.chain', { chain: [d.source ?? '', ...d.backing].join(' → ') })}
                  </p>
                )}
                {d.modes
                  .filter((m) => !m.ok)
                  .map((m) => (
                    <p key={m.mode} className="muted small" data-testid={`clone-off-${d.target}-${m.mode}`}>
                      {t('clone.off', { mode: t(`clone.mode.${m.mode}`), reason: m.reason ?? '' })}
                    </p>
                  ))}
                {copying && (
                  <>
                    <SelectField label={t('clone.pool')} value={f.poolUuid} onChange={(v) => set(d.target, { poolUuid: v })} options={opts.pools.map((p) => [p.uuid, p.name] as [string, string])} testId={`clone-pool-${d.target}`} />
                    <TextField label={t('clone.newName')} value={f.newName} onChange={(v) => set(d.target, { newName: v })} mono testId={`clone-newname-${d.target}`} />
                  </>
                )}
                {pct !== undefined && (
                  <label>
                    {t('clone.progress', { target: d.target, percent: String(pct) })}
                    <progress max={100} value={pct} data-testid={`clone-progress-${d.target}`} />
                  </label>
                )}
              </fieldset>
            );
          })}
        </>
      )}
    </ActionDialog>
  );
}
