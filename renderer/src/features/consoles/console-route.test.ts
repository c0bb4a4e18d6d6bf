import { describe, expect, it } from 'vitest';
import { CONSOLE_WINDOW_HASH } from '../../../../shared/console-bridge';
import { consoleHash, parseConsoleHash } from './console-route';

const uuid = '5d7e57a1-0000-4e2e-8d0c-7e57c0ffee01';

describe('console window route (#console=…)', () => {
  it('round-trips a VNC and a serial console', () => {
    for (const r of [{ kind: 'vnc' as const, hostId: 'h1', uuid }, { kind: 'serial' as const, hostId: 'h_2', uuid, devname: 'serial0' }]) {
      const hash = consoleHash(r);
      expect(parseConsoleHash(hash)).toEqual(r);
      // The desktop app only opens windows for hashes of exactly this shape.
      expect(CONSOLE_WINDOW_HASH.test(hash)).toBe(true);
    }
  });

  it('is no route for other hashes or bad values', () => {
    expect(parseConsoleHash('')).toBeNull();
    expect(parseConsoleHash('#settings')).toBeNull();
    expect(parseConsoleHash(`#console=rdp&host=h&uuid=${uuid}`)).toBeNull();
    expect(parseConsoleHash('#console=vnc&host=h&uuid=nope')).toBeNull();
    expect(parseConsoleHash(`#console=vnc&host=../x&uuid=${uuid}`)).toBeNull();
  });
});
