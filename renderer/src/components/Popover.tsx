import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

interface PopoverProps {
  /** Content of the toggle button. */
  label: ReactNode;
  /** Accessible name and tooltip of the toggle button. */
  title: string;
  /** Hover text when it should say more than the name (defaults to the title). */
  tooltip?: string;
  testId?: string;
  className?: string;
  children: ReactNode;
}

/**
 * A button with a small panel below it. Closes on Escape, on a click outside and when focus
 * leaves it, like a menu would; the panel is not modal.
 */
export function Popover({ label, title, tooltip, testId, className, children }: PopoverProps) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const panelId = useId();

  useEffect(() => {
    if (!open) return;
    const onPointer = (e: PointerEvent) => {
      if (!ref.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  return (
    <div
      ref={ref}
      className={className ? `popover ${className}` : 'popover'}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.stopPropagation();
          setOpen(false);
          ref.current?.querySelector<HTMLButtonElement>('.popover-toggle')?.focus();
        }
      }}
      onBlur={(e) => {
        if (open && !ref.current?.contains(e.relatedTarget as Node | null)) setOpen(false);
      }}
    >
      <button
        type="button"
        className="popover-toggle"
        data-testid={testId}
        title={tooltip ?? title}
        aria-label={title}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
      >
        {label}
      </button>
      {open && (
        <div className="popover-panel" id={panelId} role="group" aria-label={title} tabIndex={-1}>
          {children}
        </div>
      )}
    </div>
  );
}
