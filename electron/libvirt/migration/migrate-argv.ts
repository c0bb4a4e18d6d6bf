/**
 * The `virsh migrate` line run on the source, built from the options (one function for the
 * preview and the run). Flags: https://libvirt.org/manpages/virsh.html#migrate
 *  - `--p2p`: the source's libvirtd opens the connection to the destination itself (through the relay);
 *  - `--tunnelled`: QEMU's data goes through that connection too (path 2);
 *  - `--migrateuri tcp://ADDR`: where the source's QEMU sends the data (path 1), when given.
 * No `--postcopy`: a failure after switch-over would lose the VM.
 */
import type { MigrationOptions } from '../../../shared/model/migration';

export interface MigrateTarget {
  /** What the source's libvirtd dials: the relay's `qemu+unix:///system?socket=…`, or path 4's qemu+libssh URI. */
  destUri: string;
  /** tcp://ADDR for path 1; undefined lets the destination name its own (qemu.conf migration_host). */
  migrateUri?: string | undefined;
}

/** virsh's argv after `virsh -c URI`. */
export function migrateArgv(uuid: string, o: MigrationOptions, t: MigrateTarget): string[] {
  const a = ['migrate', '--live', '--p2p'];
  if (o.path === 'relay-tunnelled') a.push('--tunnelled');
  if (o.persistent) a.push('--persistent', '--undefinesource');
  if (o.copyStorage === 'all') a.push('--copy-storage-all');
  if (o.copyStorage === 'inc') a.push('--copy-storage-inc');
  if (o.bandwidthMiBps !== undefined) a.push('--bandwidth', String(o.bandwidthMiBps));
  if (o.autoConverge) a.push('--auto-converge');
  if (o.unsafe) a.push('--unsafe');
  a.push('--domain', uuid, '--desturi', t.destUri);
  if ((o.path === 'relay' || o.path === 'direct') && t.migrateUri) a.push('--migrateuri', t.migrateUri);
  return a;
}

/** Set while the job runs: `virsh migrate` has no flag for the maximum downtime. */
export const setMaxDowntimeArgv = (uuid: string, ms: number) => ['migrate-setmaxdowntime', '--domain', uuid, '--downtime', String(ms)];

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.1|::1|\[::1\])$/i;

/**
 * The destination's address as the source should reach it: the user's, else the host name
 * Virtdeck uses for the destination. A local destination, or one reached as 127.x.x.1/localhost,
 * names its own (`migration_host` in its qemu.conf, else its host name): tcp://localhost from
 * the source would point at the source itself.
 */
export function migrationUri(o: MigrationOptions, destSshHost: string | undefined): string | undefined {
  const addr = o.destAddress ?? (destSshHost && !LOOPBACK.test(destSshHost) ? destSshHost : undefined);
  if (!addr) return undefined;
  return `tcp://${addr.includes(':') && !addr.startsWith('[') ? `[${addr}]` : addr}`;
}

/** The address Virtdeck uses for a host: its SSH HostName after ~/.ssh/config; none for a local host. */
export const virtdeckAddressOf = (h: { sshTarget(): { host: string } | undefined; uri: { remote: boolean; host?: string | undefined } }) =>
  h.sshTarget()?.host ?? (h.uri.remote ? h.uri.host : undefined);
