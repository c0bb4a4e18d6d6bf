/**
 * Quoting for a POSIX shell (`sh -c`): the command string sshd hands to the user's login shell
 * for an SSH exec request, and the "equivalent command" text the UI shows for pasting. Each
 * argument is bare when it is only safe characters, else wrapped in single quotes (the one POSIX
 * form with no expansion at all; an embedded ' becomes '\''). virsh's own line parser needs
 * different quoting: electron/virsh/quote.ts. No quoting carries a NUL byte: a program's argv
 * cannot hold one, so the transports refuse such arguments before quoting.
 */
export function quoteForPosixShell(arg: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** argv as one `sh -c` command line that the shell splits back into exactly that argv. */
export function joinForPosixShell(argv: readonly string[]): string {
  return argv.map(quoteForPosixShell).join(' ');
}
