import { describe, expect, it } from 'vitest';
import { en } from '../../i18n/en';
import { isMacPlatform, shortcutFor, shortcutHelp, type KeyInput } from './shortcuts';

const key = (k: string, extra: Partial<KeyInput> = {}): KeyInput => ({
  key: k,
  code: /^[a-z]$/i.test(k) ? `Key${k.toUpperCase()}` : k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...extra,
});

describe('shortcutFor', () => {
  it('maps Alt+letters to power actions', () => {
    expect(shortcutFor(key('s', { altKey: true }), false)).toEqual({ kind: 'command', command: 'start' });
    expect(shortcutFor(key('d', { altKey: true }), false)).toEqual({ kind: 'command', command: 'shutdown' });
    expect(shortcutFor(key('f', { altKey: true }), false)).toEqual({ kind: 'command', command: 'destroy' });
    expect(shortcutFor(key('p', { altKey: true }), false)).toEqual({ kind: 'command', command: 'suspend' });
    expect(shortcutFor(key('r', { altKey: true }), false)).toEqual({ kind: 'command', command: 'resume' });
    expect(shortcutFor(key('b', { altKey: true }), false)).toEqual({ kind: 'command', command: 'reboot' });
    expect(shortcutFor(key('S', { altKey: true }), false)).toEqual({ kind: 'command', command: 'start' });
    expect(shortcutFor(key('x', { altKey: true }), false)).toBeNull();
    expect(shortcutFor(key('s', { altKey: true, ctrlKey: true }), false)).toBeNull();
  });

  it('falls back to the physical key when Option types another character (macOS)', () => {
    expect(shortcutFor({ ...key('ß', { altKey: true }), code: 'KeyS' }, true)).toEqual({ kind: 'command', command: 'start' });
  });

  it('uses Cmd on macOS and Ctrl elsewhere for select all', () => {
    expect(shortcutFor(key('a', { ctrlKey: true }), false)).toEqual({ kind: 'selectAll' });
    expect(shortcutFor(key('a', { metaKey: true }), true)).toEqual({ kind: 'selectAll' });
    expect(shortcutFor(key('a', { ctrlKey: true }), true)).toBeNull();
    expect(shortcutFor(key('a', { metaKey: true }), false)).toBeNull();
    expect(shortcutFor(key('a'), false)).toBeNull();
  });

  it('maps Delete, Enter, Escape and navigation keys', () => {
    expect(shortcutFor(key('Delete'), false)).toEqual({ kind: 'command', command: 'delete' });
    expect(shortcutFor(key('Backspace', { metaKey: true }), true)).toEqual({ kind: 'command', command: 'delete' });
    expect(shortcutFor(key('Backspace'), false)).toBeNull();
    expect(shortcutFor(key('Enter'), false)).toEqual({ kind: 'open' });
    expect(shortcutFor(key('Escape'), false)).toEqual({ kind: 'clear' });
    expect(shortcutFor(key('ArrowDown', { shiftKey: true }), false)).toEqual({ kind: 'move', by: 'line', dir: 1, extend: true });
    expect(shortcutFor(key('Home'), false)).toEqual({ kind: 'move', by: 'end', dir: -1, extend: false });
    expect(shortcutFor(key('PageDown'), false)).toEqual({ kind: 'move', by: 'page', dir: 1, extend: false });
  });

  it('documents every shortcut with a translated label', () => {
    for (const mac of [false, true]) for (const entry of shortcutHelp(mac)) expect(en[entry.label]).toBeTruthy();
    expect(isMacPlatform('MacIntel')).toBe(true);
    expect(isMacPlatform('Linux x86_64')).toBe(false);
  });
});
