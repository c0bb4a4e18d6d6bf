import type { migrationRequests } from '../../../shared/api/migration';
import { AppError } from '../../../shared/errors';
import { MigrationOptions, type MigrationCommand, type MigrationOutcome, type PreflightReport } from '../../../shared/model/migration';
import type { HostConnection } from '../../hosts/host-connection';
import { MigrationJob } from '../../libvirt/migration/job';
import { abortArgv, jobInfoArgv } from '../../libvirt/domain-job';
import { migrateArgv, migrationUri, setMaxDowntimeArgv, virtdeckAddressOf } from '../../libvirt/migration/migrate-argv';
import { offlineMoveCommands, preflightOfflineReport } from '../../libvirt/migration/offline-move';
import { pathWhy, preflightLive } from '../../libvirt/migration/preflight';
import { LIBVIRT_SOCKET, relayCommands, relayDescription } from '../../libvirt/migration/relay';
import { JobQueue } from '../../libvirt/migration/queue';
import { directUri, verifiedKeyLines } from '../../libvirt/migration/direct';
import { MKTEMP_ARGV } from '../../libvirt/migration/private-dir';
import type { HandlerContext, HandlersFor } from './context';

/**
 * Jobs run at most this many at a time per source host: each holds an exec channel (virsh
 * migrate) and relayed channels on the SSH connection, which sshd caps (MaxSessions); a
 * multi-selection queues behind.
 */
const PER_SOURCE = 2;

type Args = { sourceHostId: string; destHostId: string; uuid: string; options: MigrationOptions };

export function migrationHandlers(ctx: HandlerContext): HandlersFor<keyof typeof migrationRequests> {
  const jobs = new Map<string, MigrationJob>();
  const meta = new Map<string, { sourceHostId: string; destHostId: string; uuid: string }>();
  const conn = (id: string): HostConnection => ctx.hosts.servicesOf(id).host;
  const queue = new JobQueue<MigrationOutcome>(PER_SOURCE, (o) => finished(o));

  /** Logged with its numbers; both lists refetch (the events arrive too, this covers their lag). */
  const finished = (o: MigrationOutcome) => {
    const nums = [`${o.seconds} s`, ...(o.downtimeMs !== undefined ? [`downtime ${o.downtimeMs} ms`] : []), ...(o.bytes !== undefined ? [`${o.bytes} bytes`] : [])];
    ctx.activity.start(o.sourceHostId, ['migration', o.state, o.name || o.uuid, '→', o.destHostId, ...nums])(o.error ? new Error(o.error) : undefined);
    ctx.bus.emit('migration.finished', o);
    for (const id of [o.sourceHostId, o.destHostId]) {
      try {
        ctx.hosts.servicesOf(id).changed('action', [], [o.uuid]);
      } catch {
        /* disconnected meanwhile */
      }
    }
  };

  const preflight = async (a: Args): Promise<PreflightReport> => {
    const source = conn(a.sourceHostId);
    const dest = conn(a.destHostId);
    if (a.options.path !== 'offline') return (await preflightLive(source, dest, a.uuid, a.options)).report;
    const { checks, missingPools } = await preflightOfflineReport({ source, dest, uuid: a.uuid, deleteSourceDisks: a.options.deleteSourceDisks });
    return { checks, path: 'offline', why: pathWhy(a.options), ...(missingPools.length ? { missingPools } : {}), ok: checks.every((c) => c.ok) };
  };

  const commands = async (a: Args): Promise<MigrationCommand[]> => {
    const source = conn(a.sourceHostId);
    const dest = conn(a.destHostId);
    const src = (argv: string[], note?: string): MigrationCommand => ({ host: 'source', hostName: source.config.name, argv: ['virsh', '-c', source.virshUri, ...argv], ...(note ? { note } : {}) });
    if (a.options.path === 'offline') {
      return (await offlineMoveCommands({ source, dest, uuid: a.uuid, deleteSourceDisks: a.options.deleteSourceDisks })).map((c) => ({
        host: c.host, hostName: (c.host === 'source' ? source : dest).config.name, argv: c.argv,
      }));
    }
    const migrateUri = migrationUri(a.options, virtdeckAddressOf(dest));
    if (a.options.path === 'direct') {
      const { target, text } = await verifiedKeyLines(dest);
      return [
        { host: 'source', hostName: source.config.name, argv: MKTEMP_ARGV, note: 'a 0700 directory for the destination’s verified key' },
        { host: 'source', hostName: source.config.name, argv: ['tee', '--', 'DIR/known_hosts'], note: `stdin: ${text.trim()}` },
        src(migrateArgv(a.uuid, a.options, { destUri: directUri(target, a.options.directKeyFile ?? 'KEYFILE', 'DIR/known_hosts'), migrateUri })),
        ...(a.options.maxDowntimeMs !== undefined ? [src(setMaxDowntimeArgv(a.uuid, a.options.maxDowntimeMs), 'once the job runs')] : []),
        src(jobInfoArgv(a.uuid), 'every second while it runs (progress)'),
        src(abortArgv(a.uuid), 'on Cancel'),
        { host: 'source', hostName: source.config.name, argv: ['rm', '-rf', '--', 'DIR'], note: 'afterwards' },
      ];
    }
    const socket = 'DIR/libvirt-RANDOM.sock';
    const migrate = migrateArgv(a.uuid, a.options, { destUri: `qemu+unix:///system?socket=${socket}`, migrateUri });
    return [
      ...relayCommands(source).map((argv) => ({ host: 'source' as const, hostName: source.config.name, argv, note: 'the relay’s socket directory (0700) and a stale socket removed' })),
      { host: 'virtdeck', hostName: 'Virtdeck', argv: ['relay', socket, '→', `${dest.config.name}:${LIBVIRT_SOCKET}`], note: relayDescription(source, dest) },
      src(migrate),
      ...(a.options.maxDowntimeMs !== undefined ? [src(setMaxDowntimeArgv(a.uuid, a.options.maxDowntimeMs), 'once the job runs')] : []),
      src(jobInfoArgv(a.uuid), 'every second while it runs (progress)'),
      src(abortArgv(a.uuid), 'on Cancel'),
    ];
  };

  return {
    'migration.preflight': (a) => preflight(a),
    'migration.commands': (a) => commands(a),
    'migration.start': async (a) => {
      const source = conn(a.sourceHostId);
      const dest = conn(a.destHostId);
      const job = new MigrationJob({ source, dest, uuid: a.uuid, options: a.options, activity: ctx.activity, onProgress: (p) => ctx.bus.emit('migration.progress', p) });
      jobs.set(job.id, job);
      meta.set(job.id, { sourceHostId: a.sourceHostId, destHostId: a.destHostId, uuid: a.uuid });
      queue.push(job, a.sourceHostId);
      return { jobId: job.id };
    },
    'migration.cancel': async ({ jobId }) => {
      const job = jobs.get(jobId);
      if (!job) throw new AppError('not_found', 'no such migration job');
      // A queued job never starts: it ends as cancelled at once.
      if (queue.remove(jobId)) {
        await job.cancel();
        void job.run().then(finished);
        return { cancelled: true };
      }
      return { cancelled: await job.cancel() };
    },
    'migration.jobs': async () =>
      [...jobs.values()].map((j) => {
        const m = meta.get(j.id)!;
        return { jobId: j.id, ...m, name: j.name, progress: j.progress, ...(j.outcome ? { outcome: j.outcome } : {}) };
      }),
  };
}
