/**
 * Shown in the details editor of a VM defined by the wizard with "Customize before install":
 * "Begin installation" starts it (the backend then defines the final configuration), "Cancel
 * installation" undefines it and deletes the volumes the wizard made for it.
 */
import { useState } from 'react';
import type { AppErrorShape } from '../../../../shared/errors';
import { useApi } from '../../api/ApiProvider';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorText } from '../../components/ErrorText';
import { useT } from '../../i18n/I18nProvider';
import { formatError, toErrorShape } from '../../lib/format-error';
import { useDomainsStore } from '../../stores/domains';
import { selectPhase, setPhase, usePhaseStore } from './phase-store';
import { openChosenConsole } from './use-create';
import { forgetAfterInstall, useWizardStore } from './wizard-store';

export function InstallBar({ hostId, uuid, onClose }: { hostId: string; uuid: string; onClose: () => void }) {
  const t = useT();
  const api = useApi();
  const phase = usePhaseStore(selectPhase(hostId, uuid));
  const consoleChoice = useWizardStore((s) => s.afterInstall[uuid] ?? 'vnc');
  const name = useDomainsStore((s) => s.byHost[hostId]?.domains.find((d) => d.uuid === uuid)?.name);
  const [busy, setBusy] = useState(false);
  const [confirm, setConfirm] = useState(false);
  const [error, setError] = useState<AppErrorShape | null>(null);
  const [undone, setUndone] = useState<string[] | null>(null);
  if (phase !== 'customizing' && undone === null) return null;

  const begin = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.request('newvm.beginInstall', { hostId, uuid });
      setPhase(hostId, uuid, r.phase);
      forgetAfterInstall(uuid);
      onClose();
      openChosenConsole(hostId, uuid, name ?? uuid, consoleChoice);
    } catch (e) {
      setError(toErrorShape(e));
      setBusy(false);
    }
  };
  const cancel = async () => {
    setConfirm(false);
    setBusy(true);
    setError(null);
    try {
      const r = await api.request('newvm.cancel', { hostId, uuid });
      setPhase(hostId, uuid, 'done');
      forgetAfterInstall(uuid);
      setUndone(r.undone);
    } catch (e) {
      setError(toErrorShape(e));
    }
    setBusy(false);
  };

  if (undone !== null) {
    return (
      <div className="newvm-install-bar" data-testid="newvm-cancelled" role="status">
        <span>{t('newvm.install.cancelled', { undone: undone.join(', ') || '—' })}</span>
        <button type="button" className="primary" onClick={onClose}>
          {t('details.close')}
        </button>
      </div>
    );
  }
  return (
    <div className="newvm-install-bar" data-testid="newvm-install-bar">
      <span className="grow">{t('newvm.install.customizing')}</span>
      <button type="button" data-testid="newvm-install-cancel" className="danger" disabled={busy} onClick={() => setConfirm(true)}>
        {t('newvm.install.cancel')}
      </button>
      <button type="button" data-testid="newvm-begin-install" className="primary" disabled={busy} onClick={() => void begin()}>
        {busy ? t('commands.running') : t('newvm.install.begin')}
      </button>
      {error && <ErrorText testId="newvm-install-error">{formatError(t, error)}</ErrorText>}
      {confirm && (
        <ConfirmDialog title={t('newvm.install.cancelTitle')} message={t('newvm.install.cancelConfirm', { name: name ?? uuid })} confirmLabel={t('newvm.install.cancel')} danger onCancel={() => setConfirm(false)} onConfirm={() => void cancel()} />
      )}
    </div>
  );
}
