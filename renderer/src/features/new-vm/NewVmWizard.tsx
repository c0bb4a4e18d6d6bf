/**
 * The New VM wizard: a dialog over the main window, one component per step (steps/), the form
 * in the wizard store so nothing typed is lost while moving between steps or after an error.
 */
import type { AppErrorShape } from '../../../../shared/errors';
import { ErrorText } from '../../components/ErrorText';
import { Modal } from '../../components/Modal';
import { useI18n } from '../../i18n/I18nProvider';
import { formatError } from '../../lib/format-error';
import { useApi } from '../../api/ApiProvider';
import { useHostsStore } from '../../stores/hosts';
import { useTransfers } from '../storage/TransferList';
import { missingByStep, STEPS, toSpec, type Draft, type StepId } from './draft';
import { FinishStep } from './steps/FinishStep';
import { NetworkStep } from './steps/NetworkStep';
import { OsStep } from './steps/OsStep';
import { ResourcesStep } from './steps/ResourcesStep';
import { HostPicker, SourceStep } from './steps/SourceStep';
import { StorageStep } from './steps/StorageStep';
import { useCreate } from './use-create';
import { usePlan } from './use-plan';
import { useCapabilities, useCapsPrefill, useDetection, useOsDefaults } from './use-wizard-data';
import { closeNewVm, updateDraft, useWizardStore } from './wizard-store';
import './new-vm.css';

export function NewVmWizard() {
  const draft = useWizardStore((s) => s.draft);
  return draft ? <Wizard draft={draft} /> : null;
}

function Wizard({ draft }: { draft: Draft }) {
  const { t } = useI18n();
  const api = useApi();
  const caps = useCapabilities(draft.hostId);
  useCapsPrefill(caps.data, draft);
  const os = useOsDefaults(draft.hostId, draft.osId);
  const detection = useDetection(draft);
  const [transfers, addTransfer] = useTransfers();
  const spec = toSpec(draft);
  const plan = usePlan(draft.hostId, spec, draft.step === 'finish');
  const { busy, error, create, dismiss } = useCreate(draft);
  const hostName = useHostsStore((s) => s.hosts.find((h) => h.config.id === draft.hostId)?.config.name);

  const missing = missingByStep(draft);
  const index = STEPS.indexOf(draft.step);
  const reachable = (i: number) => STEPS.slice(0, i).every((s) => missing[s].length === 0);
  const go = (step: StepId) => updateDraft({ step });
  const upload = transfers.find((x) => x.transferId === draft.uploadTransferId);
  const currentPlan = plan.forKey === plan.key ? plan.plan : null;
  const canCreate = spec !== null && currentPlan !== null && currentPlan.problems.length === 0 && !busy;

  const cancel = () => {
    // Cancelling during an upload leaves nothing: the backend deletes the half-written volume.
    if (upload?.state === 'running') void api.request('storage.transfers.cancel', { transferId: upload.transferId }).catch(() => {});
    closeNewVm();
  };

  return (
    <Modal title={hostName ? t('newvm.titleOn', { host: hostName }) : t('newvm.title')} onCancel={cancel} testId="newvm-wizard" className="newvm-wizard">
      <div className="newvm-layout">
        <ol className="newvm-steps" aria-label={t('newvm.steps')}>
          {STEPS.map((s, i) => (
            <li key={s}>
              <button type="button" className={s === draft.step ? 'tab selected' : 'tab'} aria-current={s === draft.step ? 'step' : undefined} disabled={!reachable(i) || !caps.data} onClick={() => go(s)} data-testid={`newvm-goto-${s}`}>
                {i + 1}. {t(`newvm.step.${s}`)}
              </button>
            </li>
          ))}
        </ol>
        <form
          className="newvm-body"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (draft.step === 'finish') {
              if (canCreate) void create(spec);
            } else if (missing[draft.step].length === 0) go(STEPS[index + 1]!);
          }}
        >
          {draft.step === 'source' && <HostPicker draft={draft} />}
          {caps.error && <ErrorText testId="newvm-caps-error">{t('newvm.capsFailed', { message: formatError(t, caps.error) })}</ErrorText>}
          {!caps.data && !caps.error && <p className="hint" data-testid="newvm-loading">{draft.hostId ? t('newvm.loading') : t('newvm.noHost')}</p>}
          {caps.data && draft.step === 'source' && <SourceStep draft={draft} caps={caps.data} transfers={transfers} onTransfer={addTransfer} />}
          {caps.data && draft.step === 'os' && <OsStep draft={draft} caps={caps.data} detection={detection} osDefaults={os} />}
          {caps.data && draft.step === 'resources' && <ResourcesStep draft={draft} caps={caps.data} os={os.result} />}
          {caps.data && draft.step === 'storage' && <StorageStep draft={draft} caps={caps.data} />}
          {caps.data && draft.step === 'network' && <NetworkStep draft={draft} caps={caps.data} />}
          {caps.data && draft.step === 'finish' && <FinishStep draft={draft} caps={caps.data} os={os.result} plan={plan} specReady={spec !== null} />}
          {caps.data && missing[draft.step].length > 0 && (
            <ul className="newvm-missing" data-testid="newvm-missing">
              {missing[draft.step].map((m) => (
                <li key={m}>{t(m)}</li>
              ))}
            </ul>
          )}
          {error && <CreateError error={error} onDismiss={dismiss} />}
          <div className="modal-buttons">
            <button type="button" onClick={cancel} data-testid="newvm-cancel">
              {t('common.cancel')}
            </button>
            <button type="button" disabled={index === 0} onClick={() => go(STEPS[index - 1]!)} data-testid="newvm-back">
              {t('newvm.back')}
            </button>
            {draft.step !== 'finish' ? (
              <button type="submit" className="primary" disabled={!caps.data || missing[draft.step].length > 0} data-testid="newvm-next">
                {t('newvm.next')}
              </button>
            ) : (
              <button type="submit" className="primary" disabled={!canCreate} data-testid="newvm-create">
                {busy ? t('newvm.creating') : draft.customize ? t('newvm.createCustomize') : t('newvm.create')}
              </button>
            )}
          </div>
        </form>
      </div>
    </Modal>
  );
}

/**
 * A failed create: virsh's message, and what the backend undid (its `detail` is JSON
 * {"undone": [...]} in order; the message repeats it as "Undone: …", shown once here as a list).
 */
function CreateError({ error, onDismiss }: { error: AppErrorShape; onDismiss: () => void }) {
  const { t } = useI18n();
  const undone = parseUndone(error.detail);
  const message = undone ? error.message.replace(/\s*Undone: [\s\S]*$/, '') : error.message;
  return (
    <ErrorText testId="newvm-create-error" onDismiss={onDismiss} dismissLabel={t('common.dismiss')}>
      {t('newvm.createFailed', { message: formatError(t, { ...error, message }) })}
      {undone && undone.length > 0 && (
        <>
          {`\n${t('newvm.undoneTitle')}`}
          <ul className="newvm-undone" data-testid="newvm-undone">
            {undone.map((u, i) => (
              <li key={i}>{u}</li>
            ))}
          </ul>
        </>
      )}
      {!undone && error.detail ? `\n${error.detail}` : ''}
    </ErrorText>
  );
}

function parseUndone(detail: string | undefined): string[] | null {
  if (!detail) return null;
  try {
    const v: unknown = JSON.parse(detail);
    const list = (v as { undone?: unknown }).undone;
    return Array.isArray(list) && list.every((x) => typeof x === 'string') ? list : null;
  } catch {
    return null;
  }
}
