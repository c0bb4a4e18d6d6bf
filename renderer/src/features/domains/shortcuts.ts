/**
 * Keyboard shortcuts of the VM list (active while the list has focus), as a pure mapping from a
 * key event to a list command, plus the table the help popover shows.
 *
 * Alt+letter shortcuts are matched by the letter typed when it is a–z, and otherwise by the
 * physical key (on macOS Option+S types "ß", so event.key alone would never match).
 */
import type { PlainMessageKey } from '../../i18n/translate';
import type { VmCommand } from './domain-actions';

export interface KeyInput {
  key: string;
  code: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

export type ListCommand =
  | { kind: 'command'; command: VmCommand }
  | { kind: 'selectAll' }
  /** Enter / double-click: the focused VM's details, or with no VM selected the active host's page. */
  | { kind: 'open' }
  | { kind: 'clear' }
  | { kind: 'move'; by: 'line' | 'page' | 'end'; dir: 1 | -1; extend: boolean };

const altLetters: Readonly<Record<string, VmCommand>> = {
  s: 'start',
  d: 'shutdown',
  b: 'reboot',
  f: 'destroy',
  p: 'suspend',
  r: 'resume',
};

function letterOf(e: KeyInput): string | null {
  if (/^[a-z]$/i.test(e.key)) return e.key.toLowerCase();
  const m = /^Key([A-Z])$/.exec(e.code);
  return m ? m[1]!.toLowerCase() : null;
}

export function shortcutFor(e: KeyInput, mac: boolean): ListCommand | null {
  const primary = mac ? e.metaKey : e.ctrlKey;
  const other = mac ? e.ctrlKey : e.metaKey;
  if (other) return null;

  if (e.altKey) {
    if (primary || e.shiftKey) return null;
    const letter = letterOf(e);
    const command = letter === null ? undefined : altLetters[letter];
    return command ? { kind: 'command', command } : null;
  }
  if (primary) {
    if (!e.shiftKey && letterOf(e) === 'a') return { kind: 'selectAll' };
    // ⌘⌫ is how a Mac keyboard without a Delete key deletes.
    if (mac && e.key === 'Backspace') return { kind: 'command', command: 'delete' };
    return null;
  }

  const extend = e.shiftKey;
  switch (e.key) {
    case 'Enter':
      return e.shiftKey ? null : { kind: 'open' };
    case 'Delete':
      return e.shiftKey ? null : { kind: 'command', command: 'delete' };
    case 'Escape':
      return { kind: 'clear' };
    case 'ArrowDown':
      return { kind: 'move', by: 'line', dir: 1, extend };
    case 'ArrowUp':
      return { kind: 'move', by: 'line', dir: -1, extend };
    case 'PageDown':
      return { kind: 'move', by: 'page', dir: 1, extend };
    case 'PageUp':
      return { kind: 'move', by: 'page', dir: -1, extend };
    case 'End':
      return { kind: 'move', by: 'end', dir: 1, extend };
    case 'Home':
      return { kind: 'move', by: 'end', dir: -1, extend };
    default:
      return null;
  }
}

export interface ShortcutHelpEntry {
  keys: readonly string[];
  label: PlainMessageKey;
}

/** What the help popover lists; key names are the same in every language, as on the keycaps. */
export function shortcutHelp(mac: boolean): ShortcutHelpEntry[] {
  const alt = mac ? '⌥' : 'Alt';
  const primary = mac ? '⌘' : 'Ctrl';
  return [
    { keys: [alt, 'S'], label: 'action.start' },
    { keys: [alt, 'D'], label: 'action.shutdown' },
    { keys: [alt, 'B'], label: 'action.reboot' },
    { keys: [alt, 'F'], label: 'action.destroy' },
    { keys: [alt, 'P'], label: 'action.suspend' },
    { keys: [alt, 'R'], label: 'action.resume' },
    { keys: [mac ? '⌘⌫' : 'Delete'], label: 'shortcuts.delete' },
    { keys: [primary, 'A'], label: 'shortcuts.selectAll' },
    { keys: ['↑', '↓'], label: 'shortcuts.move' },
    { keys: ['Shift', '↑/↓'], label: 'shortcuts.extend' },
    { keys: [`${primary}+click`], label: 'shortcuts.toggle' },
    { keys: ['Shift+click'], label: 'shortcuts.range' },
    { keys: ['Esc'], label: 'shortcuts.clear' },
    { keys: ['Enter'], label: 'shortcuts.open' },
  ];
}

export function isMacPlatform(platform: string): boolean {
  return /mac|iphone|ipad/i.test(platform);
}

/** The shortcut of a command, for button tooltips ("Start (Alt+S)"); null when it has none. */
export function commandShortcut(command: VmCommand, mac: boolean): string | null {
  if (command === 'delete') return mac ? '⌘⌫' : 'Delete';
  const letter = Object.entries(altLetters).find(([, c]) => c === command)?.[0];
  return letter ? `${mac ? '⌥' : 'Alt+'}${letter.toUpperCase()}` : null;
}
