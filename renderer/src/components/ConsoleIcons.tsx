/**
 * The two console icons as inline SVG: emoji (🖥 ⌨) depend on the OS having a colour emoji font,
 * and a machine without one (a server's browser, a minimal Linux desktop) shows empty boxes.
 */
const common = { width: 14, height: 14, viewBox: '0 0 16 16', fill: 'none', stroke: 'currentColor', strokeWidth: 1.4, 'aria-hidden': true } as const;

export function DisplayIcon() {
  return (
    <svg {...common}>
      <rect x="1.5" y="2" width="13" height="9" rx="1" />
      <path d="M5.5 14h5M8 11v3" />
    </svg>
  );
}

export function TerminalIcon() {
  return (
    <svg {...common}>
      <rect x="1.5" y="2.5" width="13" height="11" rx="1" />
      <path d="M4 6l2.5 2L4 10M8 10.5h4" />
    </svg>
  );
}
