import { useState, type ReactNode } from 'react';
import type { PreviewableRequest } from '../../../../shared/api/commands';
import type { RequestArgs } from '../../../../shared/contract';
import type { AppErrorShape } from '../../../../shared/errors';
import { ErrorText } from '../../components/ErrorText';
import { Modal } from '../../components/Modal';
import { useT } from '../../i18n/I18nProvider';
import { formatError, toErrorShape } from '../../lib/format-error';
import { CommandPreview } from './CommandPreview';

export interface ActionDialogProps<K extends PreviewableRequest> {
  title: string;
  /** The request and its arguments; null while the form is incomplete (the run button is disabled). */
  request: K;
  args: RequestArgs<K> | null;
  confirmLabel: string;
  danger?: boolean;
  testId?: string;
  /** Show the commands expanded from the start. */
  previewOpen?: boolean;
  /** Sends the request; the dialog closes when it resolves and shows the error (virsh's text) when it rejects. */
  onRun: (args: RequestArgs<K>) => Promise<unknown>;
  onClose: () => void;
  children?: ReactNode;
}

/** A dialog for one mutating action: its form (children), the "Show command" disclosure, and run / cancel. */
export function ActionDialog<K extends PreviewableRequest>({ title, request, args, confirmLabel, danger, testId, previewOpen, onRun, onClose, children }: ActionDialogProps<K>) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppErrorShape | null>(null);
  const run = async () => {
    if (args === null) return;
    setBusy(true);
    setError(null);
    try {
      await onRun(args);
      onClose();
    } catch (e) {
      setError(toErrorShape(e));
      setBusy(false);
    }
  };
  return (
    <Modal title={title} onCancel={onClose} testId={testId} className="action-dialog">
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        {children}
        <CommandPreview request={request} args={args} {...(previewOpen ? { open: true } : {})} />
        {error && <ErrorText testId="action-error">{formatError(t, error)}</ErrorText>}
        <div className="modal-buttons">
          <button type="button" data-testid="action-cancel" onClick={onClose} {...(danger ? { 'data-autofocus': true } : {})}>
            {t('common.cancel')}
          </button>
          <button type="submit" data-testid="action-run" className={danger ? 'danger' : 'primary'} disabled={busy || args === null}>
            {busy ? t('commands.running') : confirmLabel}
          </button>
        </div>
      </form>
    </Modal>
  );
}
