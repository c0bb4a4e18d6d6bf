/**
 * Uploads into a pool and downloads to this computer: `vol-upload --file /dev/stdin` and
 * `vol-download --file /dev/stdout` streamed over the host's transport (an SSH exec channel
 * for remote hosts), with progress, cancel and a clear disk-full error.
 *
 * Nothing half-written is left as if complete:
 *  - an upload goes into a volume created for it; if the upload fails or is cancelled that
 *    volume is deleted (retried after a reconnect if the connection was lost);
 *  - a download is written to `<target>.part` and renamed to the target only once virsh
 *    reported success; otherwise the .part file is removed.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm, stat } from 'node:fs/promises';
import { Readable, Writable } from 'node:stream';
import { AppError } from '../../shared/errors';
import type { Transfer } from '../../shared/model/storage';
import type { HostConnection } from '../hosts/host-connection';
import { parsePoolInfo } from '../virsh/parse/storage';
import { runStep, type Step } from './plan';
import { volumeXml } from './volumes';

const PROGRESS_EVERY_MS = 250;
const KEEP_FINISHED = 20;
const NO_SPACE = /No space left on device|ENOSPC|not enough space/i;

interface Running {
  transfer: Transfer;
  abort: AbortController;
  lastEmit: number;
  /** Told once the transfer reached its final state. */
  onEnd?: (t: Transfer) => void;
}

/** A local file in 256 KiB chunks. */
async function* fileChunks(path: string): AsyncGenerator<Buffer> {
  const fh = await open(path, 'r');
  try {
    for await (const chunk of fh.createReadStream({ highWaterMark: 256 * 1024, autoClose: false })) yield chunk as Buffer;
  } finally {
    await fh.close().catch(() => {});
  }
}

export interface UploadPlan {
  create: Step;
  upload: Step;
  refresh: Step;
}

/** The test driver keeps volumes inside one virsh process: no data can be streamed in or out. */
function refuseTestDriver(host: HostConnection): void {
  if (host.uri.driver === 'test') throw new AppError('unsupported', "libvirt's test driver has no volume data to upload or download; use a real host.");
}

/** The three steps of an upload; the preview shows the same ones. Checks the file and the pool's free space first. */
export async function planUpload(host: HostConnection, poolUuid: string, name: string, localPath: string): Promise<{ plan: UploadPlan; size: number }> {
  refuseTestDriver(host);
  const st = await stat(localPath).catch((e: NodeJS.ErrnoException) => {
    throw new AppError('not_found', `cannot read ${localPath} on this computer: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  });
  if (!st.isFile()) throw new AppError('invalid_args', `${localPath} is not a regular file`);
  return { size: st.size, plan: await planUploadOfSize(host, poolUuid, name, st.size, localPath) };
}

/**
 * The upload steps for `size` bytes from `source` (a path on this computer, or in browser mode
 * the name of the browser's file), after checking the pool has room for them.
 */
export async function planUploadOfSize(host: HostConnection, poolUuid: string, name: string, size: number, source: string): Promise<UploadPlan> {
  refuseTestDriver(host);
  const { available } = parsePoolInfo((await host.run(['virsh', 'pool-info', '--pool', poolUuid, '--bytes'])).stdout);
  if (available !== null && Number(available) < size)
    throw new AppError('invalid_args', `Not enough space in the pool: the file needs ${size} bytes, the pool has ${available} bytes available.`);
  return {
    // Sparse raw volume of exactly the file's size: the upload fills it; vol-create-as would otherwise allocate it all first.
    create: { argv: ['vol-create-as', '--pool', poolUuid, '--name', name, '--capacity', String(size), '--allocation', '0', '--format', 'raw'] },
    upload: { argv: ['vol-upload', '--pool', poolUuid, '--vol', name, '--file', '/dev/stdin'], stdinFile: source },
    // libvirt probes the format again (an uploaded qcow2 shows as qcow2, an ISO as iso/raw).
    refresh: { argv: ['pool-refresh', '--pool', poolUuid] },
  };
}

/** Where a download goes: a .part file renamed when complete, or (browser mode) an HTTP response. */
export interface DownloadSink {
  writable: Writable;
  /** virsh reported success and everything was written: make it look complete. */
  commit(): Promise<void>;
  /** Failed or cancelled: leave nothing that looks complete. */
  discard(): Promise<void>;
}

/** The download step; the total is what vol-download reads (the file's size on disk). */
export async function planDownload(host: HostConnection, poolUuid: string, name: string, localPath: string, overwrite: boolean): Promise<{ step: Step; total: number }> {
  refuseTestDriver(host);
  const exists = await stat(localPath).then(
    () => true,
    () => false,
  );
  if (exists && !overwrite) throw new AppError('invalid_args', `${localPath} already exists on this computer; choose another name or allow overwriting.`);
  return planDownloadTo(host, poolUuid, name, `${localPath}.part`);
}

/** vol-download to stdout, which goes to `target` (a .part file, or the browser's download). */
export async function planDownloadTo(host: HostConnection, poolUuid: string, name: string, target: string): Promise<{ step: Step; total: number }> {
  refuseTestDriver(host);
  const vol = await volumeXml(host, poolUuid, name);
  return {
    // Progress only: a volume beyond 2^53 bytes (8 PiB) cannot be downloaded in practice.
    total: Math.min(Number(vol.physical ?? vol.capacity ?? '0'), Number.MAX_SAFE_INTEGER),
    // -q: without it one-shot virsh ends its output with an empty line, which would land in the file.
    step: { argv: ['-q', 'vol-download', '--pool', poolUuid, '--vol', name, '--file', '/dev/stdout'], stdoutFile: target },
  };
}

/** A download into `<localPath>.part` on this computer, renamed to localPath once complete. */
export async function fileSink(localPath: string, part: string): Promise<DownloadSink> {
  const fh = await open(part, 'w', 0o600);
  return {
    writable: new Writable({
      highWaterMark: 1024 * 1024,
      write: (chunk: Buffer, _enc, cb) => void fh.write(chunk).then(() => cb(), cb),
      // Flushed to disk before the rename makes the file look complete.
      final: (cb) => void fh.sync().then(() => cb(), cb),
    }),
    commit: async () => {
      await fh.close();
      await rename(part, localPath);
    },
    discard: async () => {
      await fh.close().catch(() => {});
      await rm(part, { force: true }).catch(() => {});
    },
  };
}

export class TransferManager {
  private readonly running = new Map<string, Running>();
  private finished: Transfer[] = [];
  /** Volumes of failed uploads still to delete once their host is back. */
  private readonly pendingCleanup: Array<{ host: HostConnection; poolUuid: string; name: string }> = [];

  constructor(
    private readonly emit: (t: Transfer) => void,
    private readonly changed: (hostId: string) => void,
  ) {}

  list(): Transfer[] {
    return [...[...this.running.values()].map((r) => r.transfer), ...this.finished];
  }

  cancel(transferId: string): void {
    const r = this.running.get(transferId);
    if (!r) throw new AppError('not_found', 'no such transfer (it may have finished)');
    r.abort.abort();
  }

  /** Called when a host (re)connects: deletes leftovers of uploads interrupted by a dropped connection. */
  retryCleanup(hostId: string): void {
    for (const job of this.pendingCleanup.filter((j) => j.host.id === hostId)) {
      this.pendingCleanup.splice(this.pendingCleanup.indexOf(job), 1);
      void this.deleteUploaded(job.host, job.poolUuid, job.name);
    }
  }

  startUpload(host: HostConnection, poolUuid: string, name: string, localPath: string, size: number, plan: UploadPlan, id?: string): Transfer {
    return this.startUploadFrom(host, poolUuid, name, localPath, size, plan, () => fileChunks(localPath), id);
  }

  /** An upload whose bytes come from `source` (a local file, or the browser over a WebSocket). */
  startUploadFrom(host: HostConnection, poolUuid: string, name: string, label: string, size: number, plan: UploadPlan, source: (signal: AbortSignal) => AsyncIterable<Buffer>, id?: string, onEnd?: (t: Transfer) => void): Transfer {
    const r = this.begin(host, 'upload', poolUuid, name, label, size, id);
    if (onEnd) r.onEnd = onEnd;
    void (async () => {
      let created = false;
      try {
        await runStep(host, plan.create);
        created = true;
        if (r.abort.signal.aborted) throw new AppError('cancelled', 'cancelled');
        await host.run(['virsh', ...plan.upload.argv], { stream: { stdin: Readable.from(this.counting(source(r.abort.signal), r)) }, signal: r.abort.signal });
        await runStep(host, plan.refresh).catch(() => {}); // the data is in; a failed refresh only delays the format probe
        this.finish(r, 'done');
      } catch (e) {
        if (created) await this.deleteUploaded(host, poolUuid, name);
        this.fail(r, e);
      }
    })();
    return { ...r.transfer };
  }

  startDownload(host: HostConnection, poolUuid: string, name: string, localPath: string, total: number, step: Step, id?: string): Transfer {
    return this.startDownloadTo(host, poolUuid, name, localPath, total, step, () => fileSink(localPath, step.stdoutFile!), id);
  }

  /** A download into whatever `sink` opens (a .part file, or the browser's HTTP response). */
  startDownloadTo(host: HostConnection, poolUuid: string, name: string, label: string, total: number, step: Step, openSink: () => Promise<DownloadSink>, id?: string): Transfer {
    const r = this.begin(host, 'download', poolUuid, name, label, total, id);
    void (async () => {
      let sink: DownloadSink | undefined;
      try {
        sink = await openSink();
        await host.run(['virsh', ...step.argv], { stream: { stdout: this.writeCounting(sink.writable, r) }, signal: r.abort.signal });
        await sink.commit();
        this.finish(r, 'done');
      } catch (e) {
        await sink?.discard();
        this.fail(r, e);
      }
    })();
    return { ...r.transfer };
  }

  /** Aborts a running transfer (e.g. the browser went away); unknown or finished ones are ignored. */
  abort(transferId: string): void {
    this.running.get(transferId)?.abort.abort();
  }

  private begin(host: HostConnection, direction: Transfer['direction'], poolUuid: string, volume: string, localPath: string, total: number, id?: string): Running {
    const transferId = id ?? `t-${randomBytes(6).toString('hex')}`;
    if (this.running.has(transferId)) throw new AppError('invalid_args', `transfer ${transferId} is already running`);
    const transfer: Transfer = { transferId, hostId: host.id, direction, poolUuid, volume, localPath, bytesDone: 0, bytesTotal: total, state: 'running', startedAt: Date.now() };
    const r: Running = { transfer, abort: new AbortController(), lastEmit: 0 };
    this.running.set(transferId, r);
    this.emit({ ...transfer });
    return r;
  }

  private progress(r: Running, n: number): void {
    r.transfer.bytesDone += n;
    const now = Date.now();
    if (now - r.lastEmit >= PROGRESS_EVERY_MS) {
      r.lastEmit = now;
      this.emit({ ...r.transfer });
    }
  }

  /** The source's chunks, counted as the transport pulls them (so progress follows backpressure). */
  private async *counting(source: AsyncIterable<Buffer>, r: Running): AsyncGenerator<Buffer> {
    for await (const chunk of source) {
      this.progress(r, chunk.length);
      yield chunk;
    }
  }

  /** Counts what the sink accepted; one chunk in flight at a time, so the sink's pace is the stream's. */
  private writeCounting(sink: Writable, r: Running): Writable {
    const out = new Writable({
      highWaterMark: 1024 * 1024,
      write: (chunk: Buffer, _enc, cb) => {
        sink.write(chunk, (err) => {
          if (err) return cb(err);
          this.progress(r, chunk.length);
          cb();
        });
      },
      final: (cb) => {
        sink.end(() => cb());
      },
    });
    // The sink's own errors (ENOSPC writing the file, the browser closing) end the stream with that error.
    sink.on('error', (e) => out.destroy(e));
    return out;
  }

  /** Deletes a volume this manager created; libvirt refuses while the aborted stream still holds it, so it retries. */
  private async deleteUploaded(host: HostConnection, poolUuid: string, name: string): Promise<void> {
    for (let attempt = 0; attempt < 20; attempt++) {
      try {
        await runStep(host, { argv: ['vol-delete', '--pool', poolUuid, '--vol', name] });
        this.changed(host.id);
        return;
      } catch (e) {
        const err = AppError.from(e);
        if (err.code === 'not_found') return;
        if (err.code === 'disconnected') {
          this.pendingCleanup.push({ host, poolUuid, name });
          return;
        }
        await new Promise((res) => setTimeout(res, 250));
      }
    }
  }

  private finish(r: Running, state: Transfer['state'], error?: Transfer['error']): void {
    this.running.delete(r.transfer.transferId);
    r.transfer.state = state;
    r.transfer.finishedAt = Date.now();
    if (error) r.transfer.error = error;
    this.finished = [{ ...r.transfer }, ...this.finished].slice(0, KEEP_FINISHED);
    this.emit({ ...r.transfer });
    r.onEnd?.({ ...r.transfer });
    this.changed(r.transfer.hostId);
  }

  private fail(r: Running, e: unknown): void {
    const node = e as NodeJS.ErrnoException;
    if (node?.code === 'ENOSPC') {
      // Writing the .part file on this computer ran out of space.
      return this.finish(r, 'failed', { code: 'internal', message: `This computer ran out of disk space writing ${r.transfer.localPath}.part`, noSpace: true });
    }
    const err = AppError.from(e);
    if (err.code === 'cancelled') return this.finish(r, 'cancelled');
    const noSpace = NO_SPACE.test(err.message);
    const message = noSpace && r.transfer.direction === 'upload' ? `The pool ran out of space: ${err.message}` : err.message;
    this.finish(r, 'failed', { code: err.code, message, ...(noSpace ? { noSpace: true } : {}) });
  }
}
