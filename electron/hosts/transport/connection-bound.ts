/**
 * Long-lived programs that never read their stdin (`virsh event --loop`, `pool-event --loop`)
 * would outlive the app: when the app dies (SIGKILL, crash) or its SSH connection vanishes,
 * sshd closes the channel's pipes, but such a program notices only at its next write, which
 * for an event watcher may be days away; locally the same holds for plain pipes. Each keeps
 * a libvirtd client connection open meanwhile.
 *
 * So they run behind a constant POSIX sh wrapper that watches its own stdin and ends the
 * program at EOF, i.e. when the app's end of the pipe or channel is gone, for whatever
 * reason. The program's argv arrives as "$@" and is never read as code. The wrapper's $0 is
 * a tag naming the app instance and connection, so a new connection can end what an earlier
 * one of the same instance left behind (leftoverCleanupArgv).
 *
 * Why not a pty (sshd hangs up a pty's session when the channel closes)? A pty merges stderr
 * into stdout and turns LF into CRLF; a pipe keeps virsh's streams apart.
 */

/** A background non-interactive sh reads fd 0 from /dev/null, so stdin is kept on fd 3. */
const WRAPPER =
  'exec 3<&0; ' +
  '"$@" </dev/null 3<&- & c=$!; ' +
  // Ends the program at EOF on the app's pipe. `read` is a builtin: no extra process.
  '{ while read -r _ <&3; do :; done; kill -TERM "$c"; } 2>/dev/null & w=$!; ' +
  'exec 3<&-; ' +
  // Killed itself (channel signal, local kill): take the program along.
  'trap \'kill -TERM "$c" "$w" 2>/dev/null; exit 143\' HUP INT TERM; ' +
  'wait "$c"; s=$?; kill "$w" 2>/dev/null; exit "$s"';

const TAG_PREFIX = 'virtdeck-bound';

/** The tag of every wrapped program of one app instance's connection. */
export function connectionTag(instanceId: string, connectionId: string): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(instanceId) || !/^[A-Za-z0-9_-]{1,64}$/.test(connectionId))
    throw new Error('connectionTag: ids must be plain words');
  return `${TAG_PREFIX}:${instanceId}:${connectionId}`;
}

/** argv that runs `argv` until it exits or the app's stdin pipe/channel closes. */
export function boundToConnection(argv: readonly string[], tag: string): string[] {
  return ['sh', '-c', WRAPPER, tag, ...argv];
}

/**
 * `pkill` argv that ends every wrapped program an earlier connection with this tag left
 * (an app that was killed before its channels could be closed). The pattern has `[:]` where
 * the tag has `:`, so it never matches the command line of the pkill (or the shell running it)
 * that carries the pattern. Exit 1 (nothing matched) and 127 (no pkill) are both fine.
 */
export function leftoverCleanupArgv(tag: string): string[] {
  const pattern = `sh -c .* ${tag.replaceAll(':', '[:]')}( |$)`;
  return ['pkill', '-TERM', '-f', '--', pattern];
}
