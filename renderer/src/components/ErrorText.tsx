import type { ReactNode } from 'react';

/** An inline error line; role=alert so screen readers announce it when it appears. */
export function ErrorText({ children, testId, onDismiss, dismissLabel }: {
  children: ReactNode;
  testId?: string;
  onDismiss?: () => void;
  dismissLabel?: string;
}) {
  return (
    <div className="error-text" role="alert" data-testid={testId}>
      <span className="error-body">{children}</span>
      {onDismiss && (
        <button type="button" className="link" onClick={onDismiss}>
          {dismissLabel}
        </button>
      )}
    </div>
  );
}
