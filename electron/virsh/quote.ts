/**
 * Quoting for lines written to an interactive `virsh -q -c URI` process.
 *
 * A line goes through two parsers, and both were checked against virsh 9.0.0 (see quote.test.ts):
 *
 * 1. GNU readline (virsh reads stdin through it even when stdin is a pipe). A TAB triggers
 *    completion and other control characters edit the line (C-a, C-u, ESC…). Prefixing a
 *    character with C-v (0x16, readline `quoted-insert`) inserts it literally — this works for
 *    every byte 0x01-0x1f and 0x7f, including LF and CR, so even a newline can be put inside an
 *    argument. Bytes >= 0x80 (UTF-8) pass through, also with LC_ALL=C and no inputrc.
 *    https://tiswww.case.edu/php/chet/readline/readline.html#Commands-For-Text
 *
 * 2. virsh's own tokenizer (vshCommandStringGetArg in tools/vsh.c): sh-like without any
 *    expansion. '…' is literal (a newline inside it stays part of the argument), "…" honours
 *    backslash escapes, a backslash outside quotes escapes the next character, unquoted blank,
 *    `;` and LF end a token/command, and `#` at the start of a token starts a comment.
 *    https://libvirt.org/manpages/virsh.html#description
 *
 * So each argument is wrapped in single quotes, an embedded `'` becomes `'\''` (close, escaped
 * quote, reopen — verified with virsh) and every control character gets a C-v in front.
 *
 * Options are recognised AFTER unquoting: quoting does not stop `--foo` from being an option.
 *  - a token `--x…` (x alphanumeric) is an option name; `-x` (single dash) and `---x` are plain data;
 *  - `--` ends option parsing: later tokens are positional data, even `--double`;
 *  - the value of a named option is taken verbatim: `--domain --double` names domain "--double".
 * Hence: pass user-controlled strings as the VALUE of a named option (`--domain NAME`), or after `--`.
 *
 * virsh itself refuses an EMPTY value for most options ("Option argument is empty"); `''` is still
 * a valid argument for commands that accept it (e.g. echo).
 *
 * Caveat for whoever reads the output: readline echoes "virsh # <line>" to stdout; when an
 * argument contains LF, that echo spans several lines.
 */

/** readline's quoted-insert (C-v): the next character is inserted literally. */
const QUOTED_INSERT = '\x16';

/** Arguments made only of these characters need no quotes (keeps logged command lines readable). */
const SAFE_BARE = /^[A-Za-z0-9_@%+=:,./-]+$/;

const CONTROL = /[\x00-\x1f\x7f]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Quotes one argument so that virsh's interactive reader receives exactly `arg`.
 * Throws for NUL (cannot exist in a C string) and for lone UTF-16 surrogates (would be sent as
 * U+FFFD, i.e. not round-trip).
 */
export function quoteVirshArg(arg: string): string {
  if (arg.includes('\0')) throw new Error('virsh arguments cannot contain a NUL character');
  if (LONE_SURROGATE.test(arg)) throw new Error('virsh arguments must be well-formed Unicode (lone surrogate found)');
  if (SAFE_BARE.test(arg)) return arg;
  const body = arg.replace(/'/g, `'\\''`).replace(CONTROL, (c) => QUOTED_INSERT + c);
  return `'${body}'`;
}

/**
 * Builds one command line (no trailing newline) from argv, e.g.
 * `virshCommandLine(['dominfo', '--domain', name])`. The caller appends "\n" when writing.
 */
export function virshCommandLine(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error('virshCommandLine: empty argv');
  return argv.map(quoteVirshArg).join(' ');
}

/** Option values for {@link virshCommand}: true → `--flag`; false/undefined → omitted. */
export type VirshOptions = Record<string, string | number | boolean | undefined>;

/**
 * Convenience builder: `virshCommand('domstats', { raw: true, state: true }, names)` →
 * `domstats --raw --state -- 'a b' …`. Option values are passed as `--key value` (taken verbatim
 * by virsh even when they start with `--`); positionals go after `--` so none is read as an option.
 */
export function virshCommand(cmd: string, options: VirshOptions = {}, positionals: readonly string[] = []): string {
  const argv = [cmd];
  for (const [key, value] of Object.entries(options)) {
    if (!/^[a-z0-9][a-z0-9-]*$/i.test(key)) throw new Error(`invalid virsh option name: ${key}`);
    if (value === undefined || value === false) continue;
    argv.push(`--${key}`);
    if (value !== true) argv.push(String(value));
  }
  if (positionals.length > 0) argv.push('--', ...positionals);
  return virshCommandLine(argv);
}
