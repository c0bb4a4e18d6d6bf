import type { Client, ClientChannel } from 'ssh2';
import { AppError } from '../../../shared/errors';
import { ChannelLimiter } from './channel-limiter';
import { joinForPosixShell } from '../../../shared/posix-shell';
import type { ExitInfo, ProcessHandle, SpawnOptions, Transport } from './transport';

/**
 * Session channels Virtdeck opens at most per host: sshd's default MaxSessions (10). Long-lived
 * ones (the virsh session, three event watchers, serial consoles, transfers) may take 8; two
 * stay for short commands (ChannelLimiter). A refusal right at the limit (sshd frees a slot a
 * moment after the close) is retried below. VNC tunnels are direct-tcpip and not counted.
 */
export const MAX_CHANNELS = 10;

/** Programs run as exec channels on the host's single ssh2 connection. */
export class SshTransport implements Transport {
  readonly kind = 'ssh' as const;
  private readonly limiter: ChannelLimiter;
  private readonly open = new Set<ClientChannel>();
  private closed = false;

  constructor(
    private readonly client: Client,
    maxChannels = MAX_CHANNELS,
  ) {
    this.limiter = new ChannelLimiter(maxChannels);
  }

  /** How many channels this connection uses at most (the host's sshd may allow more). */
  get maxChannels(): number {
    return this.limiter.max;
  }

  async spawn(argv: readonly string[], opts: SpawnOptions = {}): Promise<ProcessHandle> {
    if (this.closed) throw new AppError('disconnected', 'the SSH connection is closed');
    if (argv.some((a) => a.includes('\0'))) throw new AppError('invalid_args', 'an argument cannot contain a NUL byte');
    const release = await this.limiter.acquire({
      lane: opts.lane ?? 'short',
      ...(opts.waitTimeoutMs !== undefined ? { timeoutMs: opts.waitTimeoutMs } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      onWait: (waiting) => opts.onWait?.(waiting, this.limiter.waitMessage),
    });
    const command = joinForPosixShell(argv);
    let channel: ClientChannel | undefined;
    // The exit status is recorded from inside ssh2's callback: a quick program's data, status
    // and close often arrive in the same packet batch as the channel's opening, before any
    // continuation of ours runs, and an 'exit' event with no listener is lost (code null).
    const exit: { code: number | null; signal: string | null } = { code: null, signal: null };
    // sshd frees a session slot a moment after we see a channel close: a refusal right after
    // a burst of short channels is retried briefly before it is reported.
    for (let attempt = 0; !channel; attempt++) {
      try {
        channel = await new Promise<ClientChannel>((resolve, reject) => {
          const cb = (err: Error | undefined, ch: ClientChannel) => {
            if (err) return reject(err);
            ch.on('exit', (code: number | null, signal?: string) => {
              exit.code = code;
              exit.signal = signal ?? null;
            });
            resolve(ch);
          };
          if (opts.pty)
            this.client.exec(command, { pty: { term: opts.pty.term ?? 'xterm-256color', rows: opts.pty.rows, cols: opts.pty.cols } }, cb);
          else this.client.exec(command, cb);
        });
      } catch (err) {
        const e = channelError(err);
        if (e.code === 'channel_refused' && attempt < 3 && !this.closed) {
          await new Promise((r) => setTimeout(r, 150 * 2 ** attempt));
          continue;
        }
        release();
        throw e;
      }
    }
    // The connection was closed while the channel was being opened: close() did not see it.
    if (this.closed) {
      hangUp(channel);
      release();
      throw new AppError('disconnected', 'the SSH connection is closed');
    }
    this.open.add(channel);
    const exited = new Promise<ExitInfo>((resolve) => {
      channel.once('close', () => {
        this.open.delete(channel);
        release();
        // No exit status and a closed transport means the connection dropped under us.
        resolve({ code: exit.code, signal: exit.signal, lost: this.closed && exit.code === null && exit.signal === null });
      });
    });
    return {
      stdin: channel,
      stdout: channel,
      stderr: channel.stderr,
      exited,
      kill: () => hangUp(channel),
      // ssh2 takes rows first, then columns (and pixel sizes, unknown here).
      ...(opts.pty ? { resize: (rows: number, cols: number) => channel.setWindow(rows, cols, 0, 0) } : {}),
    };
  }

  /** Called when the connection is gone: in-flight channels end, waiters fail. */
  close(): void {
    this.closed = true;
    for (const ch of this.open) {
      hangUp(ch);
      ch.destroy();
    }
    this.limiter.drain();
  }
}

/**
 * Ends a program on the host. Closing an exec channel only closes its pipes: a program that
 * neither reads stdin nor writes often (`virsh net-event --loop`) would live on, holding a
 * libvirtd connection, until its next write hits SIGPIPE. So it is sent SIGTERM first, which
 * sshd delivers since OpenSSH 7.9 (older servers ignore the request; a dropped connection cannot
 * send it either, so there the program ends at its next event).
 */
function hangUp(channel: ClientChannel): void {
  channel.signal('TERM');
  channel.close();
  // ssh2 reports a channel closed only once its output was read to the end: a killed program's
  // leftovers are not wanted, so they are drained, or the channel (and its slot) would hang.
  channel.resume();
  channel.stderr.resume();
}

function channelError(err: unknown): AppError {
  const msg = err instanceof Error ? err.message : String(err);
  if (/Channel open failure/i.test(msg))
    return new AppError(
      'channel_refused',
      `The SSH server refused a new session channel (${msg}). sshd allows MaxSessions channels per connection (default 10); close some consoles or raise MaxSessions in sshd_config.`,
    );
  if (/No response from server|Not connected/i.test(msg)) return new AppError('disconnected', `SSH connection lost: ${msg}`);
  return new AppError('internal', msg);
}
