/**
 * quoteVirshArg / virshCommandLine against a REAL `virsh -q -c test:///default` (libvirt 9.0.0
 * here), fed through stdin exactly like the app does. Skipped when no virsh binary is installed.
 *
 * Names libvirt itself refuses as domain names (checked below, so they are round-tripped through
 * `echo` only): anything containing '/' ("name … cannot contain '/'"), LF ("invalid char in
 * name"), the empty name ("missing name information"), and control characters other than TAB/LF/CR
 * (XML 1.0 cannot carry them: "invalid xmlChar value 1"). CR is accepted when written as &#13;.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDominfo, parseListUuidName } from './parse';
import { quoteVirshArg, virshCommand, virshCommandLine } from './quote';
import { between, markers, runVirshLines, type VirshRun } from './testing/realVirsh';

const ALL_CONTROLS = Array.from({ length: 31 }, (_, i) => String.fromCharCode(i + 1)).join('') + '\x7f';

/** Hostile names that libvirt accepts as domain names. */
const DEFINABLE = [
  'a b', "it's", 'say "hi"', '`id`', '`touch pwned-backtick`', '$(touch pwned-dollar)', 'a;b', 'a|b', 'a#b', '#hash-first',
  'back\\slash', 'trailing-backslash\\', "\\'", 'tab\there', '\x7fdel', 'cr\rx', '日本語 ünïcødé', 'emoji 🎉', '\u0085nel',
  '-leading-dash', '--double', '--', '-', "'", '"', "''", ' lead-space', 'trail-space ', '!!', '~root', '*', '$HOME', '${HOME}',
  '; echo pwned', '&& touch pwned-and', '> pwned-redirect', 'x'.repeat(300),
];
/** Hostile strings libvirt refuses as names: round-tripped through `echo` only. */
const ECHO_ONLY = ['$(touch /tmp/pwned)', 'ctl\x01x', 'new\nline', '', 'sl/ash', ALL_CONTROLS, '\x16', '\x1b[A', 'x'.repeat(5000)];
const HOSTILE = [...DEFINABLE, ...ECHO_ONLY];

/** Parses the output of virsh `echo --shell` (sh single-quote style, see virBufferEscapeShell). */
function splitShellWords(s: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === ' ') {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
      continue;
    }
    inWord = true;
    if (c === "'") {
      const j = s.indexOf("'", i + 1);
      cur += s.slice(i + 1, j);
      i = j;
    } else if (c === '\\') {
      cur += s[++i] ?? '';
    } else cur += c;
  }
  if (inWord) words.push(cur);
  return words;
}

/** XML text content for <name>: escapes markup and writes CR/LF/controls as char refs. */
function xmlText(s: string): string {
  return s.replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`).replace(/[\x00-\x08\x0a-\x1f]/g, (c) => `&#${c.charCodeAt(0)};`);
}
function domainXml(name: string, uuid: string): string {
  return `<domain type='test'><name>${xmlText(name)}</name><uuid>${uuid}</uuid><memory>1024</memory><os><type>hvm</type></os></domain>`;
}
const uuidFor = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

describe('quoteVirshArg (pure)', () => {
  it('leaves plain words bare and single-quotes everything else', () => {
    expect(quoteVirshArg('dominfo')).toBe('dominfo');
    expect(quoteVirshArg('--domain')).toBe('--domain');
    expect(quoteVirshArg('a b')).toBe("'a b'");
    expect(quoteVirshArg("it's")).toBe(`'it'\\''s'`);
    expect(quoteVirshArg('')).toBe("''");
    expect(quoteVirshArg('#x')).toBe("'#x'");
  });
  it('prefixes every control character (and DEL) with C-v', () => {
    expect(quoteVirshArg('a\tb\nc\x7f')).toBe("'a\x16\tb\x16\nc\x16\x7f'");
    expect(quoteVirshArg(ALL_CONTROLS).length).toBe(ALL_CONTROLS.length * 2 + 2);
  });
  it('never emits a bare control character', () => {
    for (const s of HOSTILE) expect(quoteVirshArg(s).replace(/\x16[\x00-\x1f\x7f]/g, '')).not.toMatch(/[\x00-\x1f\x7f]/);
  });
  it('refuses what cannot round-trip', () => {
    expect(() => quoteVirshArg('a\0b')).toThrow(/NUL/);
    expect(() => quoteVirshArg('\uD800x')).toThrow(/surrogate/);
    expect(() => quoteVirshArg('x\uDC00')).toThrow(/surrogate/);
    expect(quoteVirshArg('🎉')).toBe("'🎉'");
  });
  it('builds command lines', () => {
    expect(virshCommandLine(['dominfo', '--domain', 'a b'])).toBe("dominfo --domain 'a b'");
    expect(virshCommand('domstats', { raw: true, state: true, 'list-active': false, timeout: 5 }, ['--double', 'a b'])).toBe(
      "domstats --raw --state --timeout 5 -- --double 'a b'",
    );
    expect(() => virshCommandLine([])).toThrow();
    expect(() => virshCommand('x', { 'bad key': true })).toThrow();
  });
});

describe('quoting against a real virsh -q -c test:///default', () => {
  let dir = '';
  let tmpPwnedBefore = false;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'virtdeck-quote-'));
    tmpPwnedBefore = existsSync('/tmp/pwned');
  });
  afterAll(() => {
    // Nothing may have been executed: no file created by any $(…) / `…` / redirection.
    expect(readdirSync(dir).filter((f) => f.includes('pwned'))).toEqual([]);
    if (!tmpPwnedBefore) expect(existsSync('/tmp/pwned')).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });

  it('echo receives every hostile string as exactly one argument', async () => {
    // `echo -- B''0-B ARG E''0-E` prints "B0-B ARG E0-E"; the echoed input keeps the quotes.
    const lines = HOSTILE.map((s, i) => `echo -- B''${i}-B ${quoteVirshArg(s)} E''${i}-E`);
    const r = await runVirshLines(lines, { cwd: dir });
    expect(r.stderr).toBe('');
    HOSTILE.forEach((s, i) => {
      const start = r.stdout.indexOf(`B${i}-B `);
      const end = r.stdout.indexOf(` E${i}-E`, start);
      expect(start, `arg #${i}`).toBeGreaterThanOrEqual(0);
      expect(r.stdout.slice(start + `B${i}-B `.length, end), `arg #${i} ${JSON.stringify(s)}`).toBe(s);
    });
  });

  it('virshCommandLine keeps argument boundaries (checked with echo --shell)', async () => {
    const line = `echo --shell -- S''TART ${virshCommandLine(HOSTILE)} S''TOP`;
    const r = await runVirshLines([line], { cwd: dir });
    expect(r.stderr).toBe('');
    const out = r.stdout.slice(r.stdout.indexOf('START '), r.stdout.lastIndexOf(' STOP') + 5);
    expect(splitShellWords(out)).toEqual(['START', ...HOSTILE, 'STOP']);
  });

  it('leading dashes: quoting does not hide options, `--` and named values do', async () => {
    const r = await runVirshLines(["echo '--shell' x", "echo -- '--shell' x", "echo '-x'", 'domuuid --double']);
    expect(r.stdout).toContain("virsh # echo '--shell' x\nx"); // --shell was taken as an option
    expect(r.stdout).toContain('--shell x'); // after `--` it is data
    expect(r.stdout).toContain("virsh # echo '-x'\n-x"); // single dash: data
    expect(r.stderr).toContain("command 'domuuid' doesn't support option --double");
  });

  let defineRun: VirshRun | undefined;
  const defineLines = (): string[] => {
    const lines: string[] = [];
    DEFINABLE.forEach((name, i) => {
      const file = join(dir, `dom-${i}.xml`);
      writeFileSync(file, domainXml(name, uuidFor(i + 1)));
      const m = markers(`d${i}`);
      lines.push(
        virshCommandLine(['define', '--file', file]),
        m.beginLine,
        virshCommandLine(['domuuid', '--domain', name]),
        virshCommand('domuuid', {}, [name]),
        m.endLine,
        markers(`i${i}`).beginLine,
        virshCommand('dominfo', { domain: name }),
        markers(`i${i}`).endLine,
      );
    });
    const m = markers('list');
    lines.push(m.beginLine, 'list --all --uuid --name', m.endLine);
    return lines;
  };
  const defined = async (): Promise<VirshRun> => (defineRun ??= await runVirshLines(defineLines(), { cwd: dir }));
  /** stdout of the single command between a marker pair: minus readline's echo of that command
   *  line and of the end-marker line ("virsh # echo @@E''ND-…"). */
  const commandOutput = (r: VirshRun, id: string) => {
    const seg = between(r.stdout, id);
    return seg.slice(seg.indexOf('\n') + 1, seg.lastIndexOf('virsh # '));
  };

  it('defines a domain for every accepted hostile name and finds it again by name', async () => {
    const r = await defined();
    expect(r.stderr).toBe('');
    DEFINABLE.forEach((name, i) => {
      const seg = between(r.stdout, `d${i}`);
      expect(seg.split(`\n${uuidFor(i + 1)}\n`).length - 1, `domuuid of ${JSON.stringify(name)} (--domain and --)`).toBe(2);
    });
  });

  it('dominfo reports the exact name (parseDominfo keeps leading/trailing blanks)', async () => {
    const r = await defined();
    DEFINABLE.forEach((name, i) => {
      const info = parseDominfo(commandOutput(r, `i${i}`));
      expect(info.name, JSON.stringify(name)).toBe(name);
      expect(info.uuid).toBe(uuidFor(i + 1));
    });
  });

  it('list --all --uuid --name lists them all with exact names', async () => {
    const r = await defined();
    const listed = new Map(parseListUuidName(commandOutput(r, 'list')).map((d) => [d.uuid, d.name]));
    DEFINABLE.forEach((name, i) => expect(listed.get(uuidFor(i + 1))).toBe(name));
    expect(listed.size).toBe(DEFINABLE.length + 1); // + the driver's own "test"
  });

  it('libvirt refuses the ECHO_ONLY names (documents why they are not defined)', async () => {
    const refused: Array<[string, RegExp]> = [
      ['$(touch /tmp/pwned)', /cannot contain '\/'/],
      ['sl/ash', /cannot contain '\/'/],
      ['new\nline', /invalid char in name/],
      ['', /missing name information/],
      ['ctl\x01x', /invalid xmlChar value 1/],
    ];
    for (const [i, [name, why]] of refused.entries()) {
      const file = join(dir, `refused-${i}.xml`);
      writeFileSync(file, domainXml(name, uuidFor(900 + i)));
      const r = await runVirshLines([virshCommandLine(['define', '--file', file])], { cwd: dir });
      expect(r.stderr, JSON.stringify(name)).toMatch(why);
    }
  });
});
