import { describe, expect, it } from 'vitest';
import { GrabReleaseDetector, chordEvents, parseCombo, typingEvents } from './keys';

/** The keys pressed (Shift aside) when typing `text`. */
const keysymsForText = (text: string) => typingEvents(text).filter((e) => e.down && e.keysym !== 0xffe1).map((e) => e.keysym);

describe('VNC key combos (keys menu and the free combo field)', () => {
  it('parses Ctrl+Alt+Del and function keys to X11 keysyms with DOM codes', () => {
    expect(parseCombo('Ctrl+Alt+Del')).toEqual([
      { keysym: 0xffe3, code: 'ControlLeft' },
      { keysym: 0xffe9, code: 'AltLeft' },
      { keysym: 0xffff, code: 'Delete' },
    ]);
    expect(parseCombo('ctrl + alt + f12')?.[2]).toEqual({ keysym: 0xffc9, code: 'F12' });
    expect(parseCombo('PrintScreen')).toEqual([{ keysym: 0xff61, code: 'PrintScreen' }]);
    expect(parseCombo('Super+L')).toEqual([{ keysym: 0xffeb, code: 'MetaLeft' }, { keysym: 0x6c, code: 'KeyL' }]);
  });

  it('rejects unknown keys and empty input', () => {
    expect(parseCombo('Ctrl+Hyper')).toBeUndefined();
    expect(parseCombo('')).toBeUndefined();
    expect(parseCombo('+')).toBeUndefined();
  });

  it('presses keys in order and releases them in reverse', () => {
    const ev = chordEvents(parseCombo('Ctrl+Alt+F1')!);
    expect(ev.map((e) => `${e.code}${e.down ? '↓' : '↑'}`)).toEqual(['ControlLeft↓', 'AltLeft↓', 'F1↓', 'F1↑', 'AltLeft↑', 'ControlLeft↑']);
  });

  it('types text as keysyms: Latin-1 as is, other Unicode with the 0x01000000 prefix, newlines as Enter', () => {
    expect(keysymsForText('aZ é\r\n日\t')).toEqual([0x61, 0x5a, 0x20, 0xe9, 0xff0d, 0x01000000 + 0x65e5, 0xff09]);
    expect(keysymsForText('\x07')).toEqual([]);
  });
});

describe('keyboard grab release shortcut (Ctrl+Alt pressed and released alone)', () => {
  const run = (events: Array<['keydown' | 'keyup', string]>) => {
    const d = new GrabReleaseDetector();
    return events.map(([t, k]) => d.feed(t, k)).some(Boolean);
  };
  it('fires on Ctrl+Alt alone, in either order', () => {
    expect(run([['keydown', 'Control'], ['keydown', 'Alt'], ['keyup', 'Alt'], ['keyup', 'Control']])).toBe(true);
    expect(run([['keydown', 'Alt'], ['keydown', 'Control'], ['keyup', 'Control'], ['keyup', 'Alt']])).toBe(true);
  });
  it('does not fire for Ctrl+Alt+Del or for Ctrl alone', () => {
    expect(run([['keydown', 'Control'], ['keydown', 'Alt'], ['keydown', 'Delete'], ['keyup', 'Delete'], ['keyup', 'Alt'], ['keyup', 'Control']])).toBe(false);
    expect(run([['keydown', 'Control'], ['keyup', 'Control']])).toBe(false);
  });
});

describe('typing text as key presses', () => {
  it('holds Shift around upper-case letters and shifted symbols, and releases it at the end', () => {
    const ev = typingEvents('aB$\n').map((e) => `${e.down ? '+' : '-'}${e.keysym.toString(16)}`);
    expect(ev).toEqual(['+61', '-61', '+ffe1', '+42', '-42', '+24', '-24', '-ffe1', '+ff0d', '-ff0d']);
    expect(typingEvents('A').at(-1)).toEqual({ keysym: 0xffe1, code: 'ShiftLeft', down: false });
  });
});
