/**
 * One migration, with an explicit lifecycle:
 *   queued → preflight → running → done | failed | cancelled
 * A live job opens the relay (relay.ts), runs `virsh migrate` on the source on its own channel,
 * polls `domjobinfo --rawstats` on the source for progress (only the source has the figures),
 * sets the maximum downtime once libvirt's job runs, and on any end closes the relay. A failed
 * or cancelled job leaves the VM on the source; anything left of it on the destination is
 * removed (pre-flight proved the name and UUID were free there, so it can only be ours).
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/errors';
import type { MigrationOptions, MigrationOutcome, MigrationProgress } from '../../../shared/model/migration';
import type { ActivityLog } from '../../core/activity-log';
import type { HostConnection } from '../../hosts/host-connection';
import { parseJobStats, progressFromStats } from '../../virsh/parse/jobinfo';
import { abortArgv, completedJobArgv, jobInfoArgv } from '../domain-job';
import { migrateArgv, migrationUri, setMaxDowntimeArgv, virtdeckAddressOf } from './migrate-argv';
import { preflightOfflineReport, runOfflineMove } from './offline-move';
import { preflightLive } from './preflight';
import { MigrationRelay } from './relay';
import { prepareDirect } from './direct';

const POLL_MS = 1000;
const MIGRATE_TIMEOUT_MS = 6 * 60 * 60_000;

export interface JobDeps {
  source: HostConnection;
  dest: HostConnection;
  uuid: string;
  options: MigrationOptions;
  activity: ActivityLog;
  onProgress(p: MigrationProgress): void;
}

export type JobState = 'queued' | 'preflight' | 'running' | 'done' | 'failed' | 'cancelled';

const words = (s: string) => s.trim().replace(/^error:\s*/gm, '').split('\n').filter(Boolean).join(' ');

export class MigrationJob {
  readonly id = randomUUID();
  state: JobState = 'queued';
  name = '';
  progress: MigrationProgress;
  outcome?: MigrationOutcome;
  relayedConnections = 0;
  /** The relay's socket while it exists (tests check it is gone after). */
  relaySocket?: string;
  private cancelRequested = false;
  private readonly abort = new AbortController();
  private t0 = 0;
  /** Files a storage copy creates on the destination (pre-flight proved none existed there). */
  private copiedFiles: string[] = [];

  constructor(private readonly d: JobDeps) {
    this.progress = { jobId: this.id, phase: 'preflight', message: 'queued' };
  }

  private emit(p: Omit<MigrationProgress, 'jobId'>): void {
    this.progress = { jobId: this.id, ...p };
    this.d.onProgress(this.progress);
  }

  async run(): Promise<MigrationOutcome> {
    const { source, dest, uuid, options } = this.d;
    this.t0 = performance.now();
    if (this.cancelRequested) return this.finish('cancelled', 'cancelled before it started');
    this.state = 'preflight';
    this.emit({ phase: 'preflight', message: 'checking' });
    try {
      if (options.path === 'offline') return await this.runOffline();
      const facts = await preflightLive(source, dest, uuid, options);
      this.name = facts.needs.name;
      // Only --copy-storage-all: pre-flight proved these paths free on the destination (incremental targets are the user's).
      if (options.copyStorage === 'all') this.copiedFiles = facts.needs.disks.filter((d) => d.device === 'disk' && !d.readonly && d.path).map((d) => d.path!);
      const failed = facts.report.checks.filter((c) => !c.ok);
      if (failed.length) return this.finish('failed', `Pre-flight: ${failed.map((c) => c.message).join(' ')}`);
      if (this.cancelRequested) return this.finish('cancelled', 'cancelled before anything moved');
      this.state = 'running';
      return await this.runLive();
    } catch (e) {
      return this.finish(this.cancelRequested ? 'cancelled' : 'failed', AppError.from(e).message);
    }
  }

  private async runLive(): Promise<MigrationOutcome> {
    const { source, dest, uuid, options } = this.d;
    const relay = options.path === 'direct' ? undefined : await MigrationRelay.open(source, dest, this.d.activity);
    if (relay) this.relaySocket = relay.socketPath;
    let direct: Awaited<ReturnType<typeof prepareDirect>> | undefined;
    let polling = true;
    try {
      this.emit({ phase: options.copyStorage === 'none' ? 'memory' : 'disks', message: 'starting' });
      if (!relay) direct = await prepareDirect(source, dest, options.directKeyFile ?? '');
      const destUri = relay ? relay.destUri : direct!.destUri;
      const argv = migrateArgv(uuid, options, { destUri, migrateUri: migrationUri(options, virtdeckAddressOf(dest)) });
      const migrating = source.run(['virsh', ...argv], { job: true, timeoutMs: MIGRATE_TIMEOUT_MS, allowFailure: true });
      let wake = () => {};
      const stopped = new Promise<void>((r) => (wake = r));
      const poller = this.poll(() => polling, stopped);
      const res = await migrating;
      polling = false;
      wake(); // the poller's sleep ends now: the result does not wait for the next tick
      await poller;
      this.relayedConnections = relay?.connections ?? 0;
      if (res.code === 0) return await this.succeeded();
      const why = words(res.stderr) || `virsh migrate exited with ${res.code}`;
      const left = await this.removeLeftovers();
      return this.finish(this.cancelRequested ? 'cancelled' : 'failed', `virsh migrate: ${why}${left}`);
    } finally {
      polling = false;
      await relay?.close();
      await direct?.close();
    }
  }

  /** Progress every second from the source; the max downtime is set once libvirt's job runs. */
  private async poll(active: () => boolean, stopped: Promise<void>): Promise<void> {
    const { source, uuid, options } = this.d;
    let downtimeSet = options.maxDowntimeMs === undefined;
    while (active()) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([new Promise((r) => (timer = setTimeout(r, POLL_MS))), stopped]);
      clearTimeout(timer);
      if (!active()) return;
      const r = await source.run(['virsh', ...jobInfoArgv(uuid)], { allowFailure: true, timeoutMs: 15_000 }).catch(() => undefined);
      if (!r || r.code !== 0 || !active()) continue;
      const stats = parseJobStats(r.stdout);
      if (stats.type !== 'Unbounded') continue;
      if (this.cancelRequested) await source.run(['virsh', ...abortArgv(uuid)], { allowFailure: true, timeoutMs: 15_000 }).catch(() => undefined);
      if (!downtimeSet) {
        downtimeSet = true;
        await source.run(['virsh', ...setMaxDowntimeArgv(uuid, options.maxDowntimeMs!)], { allowFailure: true, timeoutMs: 15_000 }).catch(() => undefined);
      }
      if (active()) this.emit(progressFromStats(stats));
    }
  }

  /** The completed job's numbers, from the destination (libvirt hands them over in the migration cookie). */
  private async succeeded(): Promise<MigrationOutcome> {
    const r = await this.d.dest.run(['virsh', ...completedJobArgv(this.d.uuid)], { allowFailure: true, timeoutMs: 15_000 }).catch(() => undefined);
    const f = r && r.code === 0 ? parseJobStats(r.stdout).fields : {};
    return this.finish('done', undefined, { downtimeMs: f['downtime'], bytes: f['data_processed'] ?? f['memory_processed'] });
  }

  /**
   * After a failure: libvirt normally tears the destination's half down itself; if a domain with
   * this UUID is still there while the source keeps it, it is destroyed and undefined.
   */
  private async removeLeftovers(): Promise<string> {
    const { source, dest, uuid } = this.d;
    const removed: string[] = [];
    // libvirt pre-creates copied volumes on the destination and leaves them after a failure.
    for (const file of this.copiedFiles) {
      const r = await dest.run(['virsh', 'vol-delete', '--vol', file], { allowFailure: true, timeoutMs: 60_000 }).catch(() => undefined);
      if (r?.code === 0) removed.push(file);
    }
    const vols = removed.length ? ` (the partly copied ${removed.join(', ')} on ${dest.config.name} was deleted)` : '';
    const there = await dest.run(['virsh', 'domstate', '--domain', uuid], { allowFailure: true, timeoutMs: 15_000 }).catch(() => undefined);
    if (!there || there.code !== 0) return vols;
    const here = await source.run(['virsh', 'domstate', '--domain', uuid], { allowFailure: true, timeoutMs: 15_000 });
    if (here.code !== 0) return ` (the VM is no longer on ${source.config.name}; it was left on ${dest.config.name})`;
    await dest.run(['virsh', 'destroy', '--domain', uuid], { allowFailure: true, timeoutMs: 60_000 });
    await dest.run(['virsh', 'undefine', '--domain', uuid], { allowFailure: true, timeoutMs: 60_000 });
    return ` (its half-made copy on ${dest.config.name} was removed)${vols}`;
  }

  private async runOffline(): Promise<MigrationOutcome> {
    const { source, dest, uuid, options } = this.d;
    const input = { source, dest, uuid, deleteSourceDisks: options.deleteSourceDisks, signal: this.abort.signal, onProgress: (p: Omit<MigrationProgress, 'jobId'>) => this.emit(p) };
    const pre = await preflightOfflineReport(input);
    this.name = pre.name; // the outcome and the activity log name the VM, as for a live job
    const failed = pre.checks.filter((c) => !c.ok);
    if (failed.length) return this.finish('failed', `Pre-flight: ${failed.map((c) => c.message).join(' ')}`);
    if (this.cancelRequested) return this.finish('cancelled', 'cancelled before anything moved');
    this.state = 'running';
    const res = await runOfflineMove(input);
    return this.finish('done', undefined, { bytes: res.disks.reduce((n, x) => n + x.bytes, 0) });
  }

  /** Cancel: before libvirt's job runs, it never starts; while it runs, `domjobabort` on the source. */
  async cancel(): Promise<boolean> {
    if (this.state === 'done' || this.state === 'failed' || this.state === 'cancelled') return false;
    this.cancelRequested = true;
    this.abort.abort();
    if (this.state === 'running' && this.d.options.path !== 'offline')
      await this.d.source.run(['virsh', ...abortArgv(this.d.uuid)], { allowFailure: true, timeoutMs: 15_000 }).catch(() => undefined);
    return true;
  }

  private finish(state: 'done' | 'failed' | 'cancelled', error?: string, nums: { downtimeMs?: number | undefined; bytes?: number | undefined } = {}): MigrationOutcome {
    this.state = state;
    const o: MigrationOutcome = {
      jobId: this.id, sourceHostId: this.d.source.id, destHostId: this.d.dest.id, uuid: this.d.uuid, name: this.name, state,
      seconds: Math.round((performance.now() - this.t0) / 10) / 100, relayedConnections: this.relayedConnections,
    };
    if (error !== undefined) o.error = error;
    if (nums.downtimeMs !== undefined) o.downtimeMs = nums.downtimeMs;
    if (nums.bytes !== undefined) o.bytes = nums.bytes;
    this.outcome = o;
    this.emit({ phase: state === 'done' ? 'done' : state, ...(error ? { message: error } : {}) });
    return o;
  }
}
