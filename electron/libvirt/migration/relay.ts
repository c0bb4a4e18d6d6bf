/**
 * The relay of path 1 and 2 (issue 15): a unix socket on the SOURCE host that the source's
 * libvirtd dials as its destination URI (`qemu+unix:///system?socket=…`); Virtdeck carries each
 * connection to the destination's /var/run/libvirt/libvirt-sock over its own SSH connection to
 * the destination. The source needs no credentials for the destination.
 *
 * The socket is root-equivalent access to the destination while it exists, so:
 *  - it lives in a fresh 0700 directory of the SSH user (`mktemp -d`), under a random name;
 *  - a stale file is removed first (sshd's StreamLocalBindUnlink is off by default, so the bind fails otherwise);
 *  - it is unforwarded and its directory deleted when the migration ends, whatever the outcome;
 *  - every relayed connection is an activity log entry (open → closed, bytes each way).
 * A local source (qemu:///system on this computer) gets a socket Virtdeck itself listens on, in a
 * 0700 directory of this user: no SSH is involved on that side.
 */
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { ActivityLog } from '../../core/activity-log';
import type { HostConnection } from '../../hosts/host-connection';
import { MKTEMP_ARGV, privateDir, type PrivateDir } from './private-dir';

export const LIBVIRT_SOCKET = '/var/run/libvirt/libvirt-sock';

/** The relay as commands, for "Show command" (what Virtdeck does on the source's side). */
export function relayCommands(source: HostConnection): string[][] {
  return source.uri.remote
    ? [MKTEMP_ARGV, ['rm', '-f', '--', 'DIR/libvirt-RANDOM.sock']]
    : [];
}

/** How the relay is made for this source, in one sentence (shown in the dialog). */
export function relayDescription(source: HostConnection, dest: HostConnection): string {
  const there = source.uri.remote
    ? `a unix socket on ${source.config.name}, forwarded over Virtdeck's SSH connection (sshd streamlocal forwarding)`
    : `a unix socket Virtdeck listens on, on this computer`;
  const to = dest.uri.remote ? `over Virtdeck's SSH connection to ${dest.config.name}` : `on this computer`;
  return `The source's libvirtd reaches the destination through ${there}; Virtdeck passes each connection to libvirtd's socket ${to}.`;
}

export class MigrationRelay {
  connections = 0;
  private open = new Set<Duplex>();
  private closed = false;

  private constructor(
    private readonly source: HostConnection,
    private readonly dir: PrivateDir,
    readonly socketPath: string,
    private stop: () => Promise<void>,
  ) {}

  /** The destination URI the source's libvirtd is given. */
  get destUri(): string {
    return `qemu+unix:///system?socket=${this.socketPath}`;
  }

  static async open(source: HostConnection, dest: HostConnection, activity: ActivityLog): Promise<MigrationRelay> {
    const name = `libvirt-${randomBytes(12).toString('hex')}.sock`;
    const dir = await privateDir(source);
    const socketPath = `${dir.path}/${name}`;
    let relay: MigrationRelay | undefined;
    try {
      if (source.uri.remote) await source.run(['rm', '-f', '--', socketPath], { timeoutMs: 30_000 });
      const stop = await source.listenUnix(socketPath, (stream) => (relay ? relay.carry(stream, dest, activity) : stream.destroy()));
      relay = new MigrationRelay(source, dir, socketPath, stop);
      return relay;
    } catch (e) {
      await dir.remove().catch(() => undefined);
      throw e;
    }
  }

  /** One connection of the source's libvirtd, carried to the destination's libvirtd; logged. */
  private carry(inbound: Duplex, dest: HostConnection, activity: ActivityLog): void {
    if (this.closed) return void inbound.destroy();
    this.connections++;
    const done = activity.start(this.source.id, ['relay', this.socketPath, '→', `${dest.config.name}:${LIBVIRT_SOCKET}`]);
    this.open.add(inbound);
    let finished = false;
    const finish = (err?: unknown) => {
      if (finished) return;
      finished = true;
      this.open.delete(inbound);
      done(err);
    };
    dest.openUnixTunnel(LIBVIRT_SOCKET).then(
      (outbound) => {
        this.open.add(outbound);
        inbound.pipe(outbound);
        outbound.pipe(inbound);
        const end = () => {
          inbound.destroy();
          outbound.destroy();
          this.open.delete(outbound);
          finish();
        };
        inbound.once('close', end);
        outbound.once('close', end);
        inbound.on('error', () => end());
        outbound.on('error', () => end());
      },
      (e: unknown) => {
        inbound.destroy();
        finish(e);
      },
    );
  }

  /** Unforwards, ends relayed connections and deletes the socket's directory. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.stop().catch(() => undefined);
    for (const s of this.open) s.destroy();
    this.open.clear();
    await this.dir.remove();
  }
}
