/**
 * Quoting for the remote login shell that runs an SSH exec request. sshd hands the command
 * string to `$SHELL -c`, so each argument is wrapped in single quotes, the one POSIX form
 * with no expansion at all; an embedded ' becomes '\''.
 */
export function shellQuote(arg: string): string {
  if (arg.includes('\0')) throw new Error('an argument cannot contain a NUL byte');
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

export function shellJoin(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}
