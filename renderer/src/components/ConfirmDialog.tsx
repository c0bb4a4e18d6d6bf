import type { ReactNode } from 'react';
import { Modal } from './Modal';
import { useT } from '../i18n/I18nProvider';

interface ConfirmDialogProps {
  title: string;
  message: string;
  confirmLabel: string;
  /** Styles the confirm button as destructive. */
  danger?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  /** Shown under the message, e.g. the "Show command" disclosure. */
  children?: ReactNode;
}

export function ConfirmDialog({ title, message, confirmLabel, danger, onConfirm, onCancel, children }: ConfirmDialogProps) {
  const t = useT();
  return (
    <Modal title={title} onCancel={onCancel} testId="confirm-dialog">
      <p className="confirm-message">{message}</p>
      {children}
      <div className="modal-buttons">
        {/* Cancel is focused first so Enter never confirms a destructive action by accident. */}
        <button type="button" data-testid="confirm-cancel" data-autofocus onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button type="button" data-testid="confirm-ok" className={danger ? 'danger' : 'primary'} onClick={onConfirm}>
          {confirmLabel}
        </button>
      </div>
    </Modal>
  );
}
