import { useEffect, useState } from 'react';
import type { AppErrorShape } from '../../../../shared/errors';
import type { DeletePlan, DeleteResult } from '../../../../shared/model/domain';
import type { HostId } from '../../../../shared/model/host';
import { useApi } from '../../api/ApiProvider';
import { ErrorText } from '../../components/ErrorText';
import { Modal } from '../../components/Modal';
import { useT } from '../../i18n/I18nProvider';
import { formatError, toErrorShape } from '../../lib/format-error';
import { CommandPreview } from '../activity/CommandPreview';
import { openDomainDialog, type VmRef } from '../../stores/ui';
import { runDelete } from './commands';
import { isActive } from './domain-actions';
import { baseOfUsers } from '../guards/base-of';

type Phase =
  | { kind: 'loading' }
  | { kind: 'loadFailed'; error: AppErrorShape }
  | { kind: 'ready'; plan: DeletePlan }
  | { kind: 'deleting'; plan: DeletePlan }
  | { kind: 'failed'; plan: DeletePlan; error: AppErrorShape }
  | { kind: 'partly'; result: DeleteResult };

/**
 * Deletes one VM. Its disks are listed with a checkbox each, all unchecked: deleting a volume
 * cannot be undone and disks (install media especially) may be shared with other VMs. A disk
 * that another VM's disk (a linked clone, a cloud overlay) is built on is shown as kept, with
 * whose base it is, and cannot be ticked: the backend refuses it anyway.
 */
export function DeleteDialog({ hostId, vm }: { hostId: HostId; vm: VmRef }) {
  const t = useT();
  const api = useApi();
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());
  const close = () => openDomainDialog(null);

  useEffect(() => {
    let current = true;
    api.request('domains.deletePlan', { hostId, uuid: vm.uuid }).then(
      (plan) => current && setPhase({ kind: 'ready', plan }),
      (e: unknown) => current && setPhase({ kind: 'loadFailed', error: toErrorShape(e) }),
    );
    return () => {
      current = false;
    };
  }, [api, hostId, vm.uuid]);

  const plan = 'plan' in phase ? phase.plan : null;
  // In the VM's disk order, so the preview lists the vol-delete lines in the order they run.
  const sources = plan ? [...plan.disks.map((d) => d.source), ...plan.snapshotFiles.map((f) => f.path)].filter((s) => checked.has(s)) : [];
  const toggle = (source: string) =>
    setChecked((s) => {
      const next = new Set(s);
      if (next.has(source)) next.delete(source);
      else next.add(source);
      return next;
    });

  const confirm = async () => {
    if (!plan) return;
    setPhase({ kind: 'deleting', plan });
    try {
      const result = await runDelete(api, hostId, vm, sources);
      if (result.volumeErrors.length > 0) setPhase({ kind: 'partly', result });
      else close();
    } catch (e) {
      setPhase({ kind: 'failed', plan, error: toErrorShape(e) });
    }
  };

  return (
    <Modal title={t('delete.title', { name: vm.name })} onCancel={close} testId="delete-dialog" className="wide">
      {phase.kind === 'loading' && <p className="muted">{t('common.loading')}</p>}
      {phase.kind === 'loadFailed' && (
        <ErrorText testId="delete-error">{t('delete.planFailed', { message: formatError(t, phase.error) })}</ErrorText>
      )}
      {plan && (
        <>
          <p>{t('delete.intro', { name: plan.name })}</p>
          {isActive(plan) && (
            <div className="warning" data-testid="delete-running-warning">
              {t('delete.runningWarning', { name: plan.name })}
            </div>
          )}
          {plan.disks.length > 0 ? (
            <fieldset className="disk-list">
              <legend>{t('delete.disksLegend')}</legend>
              {plan.disks.map((disk) => (
                <label key={disk.target} className="checkbox disk" title={disk.source}>
                  <input
                    type="checkbox"
                    data-testid={`delete-disk-${disk.target}`}
                    checked={checked.has(disk.source)}
                    disabled={disk.source === '' || disk.baseOf !== undefined || phase.kind === 'deleting'}
                    onChange={() => toggle(disk.source)}
                  />
                  <span className="mono disk-target">{disk.target}</span>
                  <span className="badge">{disk.device}</span>
                  <span className="mono disk-source">{disk.source || t('delete.noSource')}</span>
                  {disk.baseOf && (
                    <span className="warn-text" data-testid={`delete-disk-${disk.target}-kept`}>
                      {t('guards.baseOf', { users: baseOfUsers(t, disk.baseOf) })}
                    </span>
                  )}
                </label>
              ))}
              <div className="hint">{t('delete.disksHint')}</div>
            </fieldset>
          ) : (
            <p className="muted">{t('delete.noDisks')}</p>
          )}
          {plan.snapshotFiles.length > 0 && (
            <fieldset className="disk-list" data-testid="delete-snapshot-files">
              <legend>{t('snapshots.vmDelete.legend')}</legend>
              {plan.snapshotFiles.map((f) => (
                <label key={f.path} className="checkbox disk" title={f.path}>
                  <input type="checkbox" checked={checked.has(f.path)} disabled={f.baseOf !== undefined || phase.kind === 'deleting'} onChange={() => toggle(f.path)} />
                  <span className="badge">{t(`snapshots.vmDelete.${f.role}`, { name: f.snapshot })}</span>
                  <span className="mono disk-source">{f.path}</span>
                  {f.baseOf && <span className="warn-text">{t('guards.baseOf', { users: baseOfUsers(t, f.baseOf) })}</span>}
                </label>
              ))}
            </fieldset>
          )}
        </>
      )}
      {plan && phase.kind !== 'partly' && (
        <CommandPreview request="domains.delete" args={{ hostId, uuid: vm.uuid, deleteSources: sources }} />
      )}
      {phase.kind === 'failed' && (
        <ErrorText testId="delete-error">{t('delete.failed', { message: formatError(t, phase.error) })}</ErrorText>
      )}
      {phase.kind === 'partly' && (
        <div className="error-text" role="alert" data-testid="delete-volume-errors">
          <div>
            <p>{t('delete.volumeErrors', { name: vm.name })}</p>
            <ul className="volume-errors">
              {phase.result.volumeErrors.map((v) => (
                <li key={v.source}>
                  <span className="mono">{v.source}</span>: {v.message}
                </li>
              ))}
            </ul>
          </div>
        </div>
      )}
      <div className="modal-buttons">
        <button type="button" data-testid="delete-cancel" data-autofocus onClick={close}>
          {phase.kind === 'partly' ? t('common.close') : t('common.cancel')}
        </button>
        {phase.kind !== 'partly' && (
          <button
            type="button"
            className="danger"
            data-testid="delete-confirm"
            disabled={!plan || phase.kind === 'deleting'}
            onClick={() => void confirm()}
          >
            {phase.kind === 'deleting'
              ? t('delete.deleting')
              : checked.size > 0
                ? t('delete.confirmWithDisks', { count: checked.size })
                : t('delete.confirm')}
          </button>
        )}
      </div>
    </Modal>
  );
}
