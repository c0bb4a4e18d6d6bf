/**
 * The "New VM" shortcut: Ctrl+N (⌘N on macOS) in the desktop app, as in virt-manager. In a
 * browser Ctrl+N opens a new browser window before the page sees it, so browser mode uses Alt+N
 * (⌥N; matched by the physical key, since on macOS ⌥N types a dead key, not "n").
 */
import type { KeyInput } from '../domains/shortcuts';

export type ShortcutMode = 'desktop' | 'web';

export function isNewVmShortcut(e: KeyInput, mode: ShortcutMode, mac: boolean): boolean {
  const isN = e.code === 'KeyN' || e.key.toLowerCase() === 'n';
  if (!isN || e.shiftKey) return false;
  const primary = mac ? e.metaKey : e.ctrlKey;
  const other = mac ? e.ctrlKey : e.metaKey;
  if (other) return false;
  return mode === 'desktop' ? primary && !e.altKey : e.altKey && !primary;
}

/** What button tooltips and the help show. */
export function newVmShortcutLabel(mode: ShortcutMode, mac: boolean): string {
  if (mode === 'desktop') return mac ? '⌘N' : 'Ctrl+N';
  return mac ? '⌥N' : 'Alt+N';
}
