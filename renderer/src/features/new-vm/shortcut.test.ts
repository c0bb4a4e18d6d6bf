import { describe, expect, it } from 'vitest';
import { isNewVmShortcut, newVmShortcutLabel } from './shortcut';

const key = (over: Partial<{ key: string; code: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }>) => ({
  key: 'n',
  code: 'KeyN',
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...over,
});

describe('New VM shortcut', () => {
  it('is Ctrl+N in the desktop app and ⌘N on a Mac', () => {
    expect(isNewVmShortcut(key({ ctrlKey: true }), 'desktop', false)).toBe(true);
    expect(isNewVmShortcut(key({ metaKey: true }), 'desktop', true)).toBe(true);
    expect(isNewVmShortcut(key({ ctrlKey: true }), 'desktop', true)).toBe(false);
    expect(isNewVmShortcut(key({ altKey: true }), 'desktop', false)).toBe(false);
  });

  it('is Alt+N in browser mode, where the browser keeps Ctrl+N for a new window', () => {
    expect(isNewVmShortcut(key({ altKey: true }), 'web', false)).toBe(true);
    expect(isNewVmShortcut(key({ ctrlKey: true }), 'web', false)).toBe(false);
    // macOS: ⌥N types a dead key; the physical key still says N.
    expect(isNewVmShortcut(key({ altKey: true, key: 'Dead' }), 'web', true)).toBe(true);
  });

  it('leaves Shift and other letters alone', () => {
    expect(isNewVmShortcut(key({ ctrlKey: true, shiftKey: true }), 'desktop', false)).toBe(false);
    expect(isNewVmShortcut(key({ ctrlKey: true, key: 'm', code: 'KeyM' }), 'desktop', false)).toBe(false);
  });

  it('is labelled per mode and platform', () => {
    expect(newVmShortcutLabel('desktop', false)).toBe('Ctrl+N');
    expect(newVmShortcutLabel('web', true)).toBe('⌥N');
  });
});
