/**
 * Key combinations for the VNC keys menu, as X11 keysyms (what the RFB protocol sends:
 * https://github.com/rfbproto/rfbproto/blob/master/rfbproto.rst#keyevent), and the detector
 * for the keyboard-grab release shortcut. Pure, so they are unit-tested.
 */
export interface KeyStroke {
  keysym: number;
  /** The DOM `code`, which QEMU's extended key events use to pick the scancode. */
  code: string;
}

const MODIFIERS: Record<string, KeyStroke> = {
  ctrl: { keysym: 0xffe3, code: 'ControlLeft' },
  control: { keysym: 0xffe3, code: 'ControlLeft' },
  alt: { keysym: 0xffe9, code: 'AltLeft' },
  shift: { keysym: 0xffe1, code: 'ShiftLeft' },
  super: { keysym: 0xffeb, code: 'MetaLeft' },
  win: { keysym: 0xffeb, code: 'MetaLeft' },
  meta: { keysym: 0xffeb, code: 'MetaLeft' },
  altgr: { keysym: 0xfe03, code: 'AltRight' },
};

const NAMED: Record<string, KeyStroke> = {
  del: { keysym: 0xffff, code: 'Delete' },
  delete: { keysym: 0xffff, code: 'Delete' },
  backspace: { keysym: 0xff08, code: 'Backspace' },
  tab: { keysym: 0xff09, code: 'Tab' },
  enter: { keysym: 0xff0d, code: 'Enter' },
  return: { keysym: 0xff0d, code: 'Enter' },
  esc: { keysym: 0xff1b, code: 'Escape' },
  escape: { keysym: 0xff1b, code: 'Escape' },
  space: { keysym: 0x20, code: 'Space' },
  printscreen: { keysym: 0xff61, code: 'PrintScreen' },
  print: { keysym: 0xff61, code: 'PrintScreen' },
  sysrq: { keysym: 0xff15, code: 'PrintScreen' },
  home: { keysym: 0xff50, code: 'Home' },
  end: { keysym: 0xff57, code: 'End' },
  pageup: { keysym: 0xff55, code: 'PageUp' },
  pagedown: { keysym: 0xff56, code: 'PageDown' },
  insert: { keysym: 0xff63, code: 'Insert' },
  left: { keysym: 0xff51, code: 'ArrowLeft' },
  up: { keysym: 0xff52, code: 'ArrowUp' },
  right: { keysym: 0xff53, code: 'ArrowRight' },
  down: { keysym: 0xff54, code: 'ArrowDown' },
};

function keyOf(name: string): KeyStroke | undefined {
  const k = name.trim().toLowerCase();
  if (MODIFIERS[k]) return MODIFIERS[k];
  if (NAMED[k]) return NAMED[k];
  const f = /^f([1-9]|1[0-2])$/.exec(k);
  if (f) return { keysym: 0xffbe + Number(f[1]) - 1, code: `F${f[1]}` };
  if (/^[a-z]$/.test(k)) return { keysym: k.charCodeAt(0), code: `Key${k.toUpperCase()}` };
  if (/^[0-9]$/.test(k)) return { keysym: k.charCodeAt(0), code: `Digit${k}` };
  return undefined;
}

/** "Ctrl+Alt+F2" → its keys in press order; undefined when a part is unknown. */
export function parseCombo(text: string): KeyStroke[] | undefined {
  const parts = text.split('+').map((p) => p.trim()).filter(Boolean);
  if (parts.length === 0 || parts.length > 6) return undefined;
  const keys = parts.map(keyOf);
  return keys.every((k): k is KeyStroke => k !== undefined) ? keys : undefined;
}

export interface KeyEvent {
  keysym: number;
  code: string;
  down: boolean;
}

/** Press every key in order, release in reverse: what a person does with a chord. */
export function chordEvents(keys: readonly KeyStroke[]): KeyEvent[] {
  return [...keys.map((k) => ({ ...k, down: true })), ...[...keys].reverse().map((k) => ({ ...k, down: false }))];
}

/** The fixed entries of the keys menu. */
export const PRESET_COMBOS: readonly string[] = ['Ctrl+Alt+Del', ...Array.from({ length: 12 }, (_, i) => `Ctrl+Alt+F${i + 1}`), 'PrintScreen', 'Ctrl+Alt+Backspace'];

/**
 * The keysym that types one character: Latin-1 maps to itself, other Unicode to
 * 0x01000000 + code point (X11's rule); control characters to their keys.
 */
export function keysymForChar(ch: string): number | undefined {
  const cp = ch.codePointAt(0);
  if (cp === undefined) return undefined;
  if (ch === '\n' || ch === '\r') return 0xff0d;
  if (ch === '\t') return 0xff09;
  if (cp < 0x20 || cp === 0x7f) return undefined;
  if (cp <= 0xff) return cp;
  return 0x01000000 + cp;
}

/** Characters a US keyboard types with Shift (QEMU turns a keysym into a scancode of its keymap
 * and does not press Shift for it: `$` alone arrives as `4`). */
const SHIFTED = new Set('~!@#$%^&*()_+{}|:"<>?');

export interface TypingEvent {
  keysym: number;
  code: string | null;
  down: boolean;
}

/**
 * Key presses that type `text` ("type the clipboard"): Shift is held around upper-case letters
 * and shifted symbols, as a person types them.
 */
export function typingEvents(text: string): TypingEvent[] {
  const out: TypingEvent[] = [];
  let shift = false;
  // \r\n counts as one Enter.
  for (const ch of text.replace(/\r\n/g, '\n')) {
    const keysym = keysymForChar(ch);
    if (keysym === undefined) continue;
    const needsShift = (ch >= 'A' && ch <= 'Z') || SHIFTED.has(ch);
    if (needsShift !== shift) {
      out.push({ keysym: 0xffe1, code: 'ShiftLeft', down: needsShift });
      shift = needsShift;
    }
    out.push({ keysym, code: null, down: true }, { keysym, code: null, down: false });
  }
  if (shift) out.push({ keysym: 0xffe1, code: 'ShiftLeft', down: false });
  return out;
}

/**
 * Keyboard grab release: pressing Ctrl and Alt together and releasing them with no other key
 * in between (virt-manager's default) releases the grab. Ctrl+Alt+Del and friends do not.
 */
export class GrabReleaseDetector {
  private down = new Set<string>();
  private armed = false;
  private spoiled = false;

  /** Feed keydown/keyup `key` values; returns true when the release shortcut completed. */
  feed(type: 'keydown' | 'keyup', key: string): boolean {
    const isMod = key === 'Control' || key === 'Alt';
    if (type === 'keydown') {
      if (!isMod) this.spoiled = true;
      this.down.add(key);
      if (this.down.has('Control') && this.down.has('Alt')) this.armed = true;
      return false;
    }
    this.down.delete(key);
    if (this.down.size > 0) return false;
    const fire = this.armed && !this.spoiled;
    this.armed = false;
    this.spoiled = false;
    return fire;
  }
}
