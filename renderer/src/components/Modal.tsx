import { useEffect, useId, useRef, type ReactNode } from 'react';

interface ModalProps {
  title: string;
  /** Escape and the dialog's own cancel gesture call this; the parent decides whether to unmount. */
  onCancel: () => void;
  testId?: string;
  className?: string;
  children: ReactNode;
}

/**
 * A native modal <dialog>: the browser provides the backdrop, focus containment and inertness
 * of the page behind it. Mounted = open; the parent unmounts it to close.
 */
export function Modal({ title, onCancel, testId, className, children }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
    // React's autoFocus runs before showModal(), which would then move focus; re-apply it.
    dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => dialog.close();
  }, []);

  return (
    <dialog
      ref={ref}
      className={className ? `modal ${className}` : 'modal'}
      aria-labelledby={titleId}
      data-testid={testId}
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
    >
      <h2 id={titleId} className="modal-title">
        {title}
      </h2>
      {children}
    </dialog>
  );
}
