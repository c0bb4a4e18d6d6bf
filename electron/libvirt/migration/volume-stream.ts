/**
 * One volume's bytes from one host to another through Virtdeck: `vol-download` on the source
 * into `vol-upload` on the destination, each over its own connection's channel, joined by a
 * stream with backpressure (the slower side sets the pace; nothing is buffered to disk here).
 *
 * No `--sparse` on either side: virsh's sparse streams seek in the file it reads or writes, and
 * on a pipe (an SSH channel, or our local pipe) libvirt 9.0 fails as soon as the image has a
 * hole ("recv holeHandler failed: Illegal seek" / "send holeHandler failed: Illegal seek",
 * checked on this machine). qcow2 images hold no holes worth skipping (unallocated clusters are
 * not in the file), so their copy is as small as the file; a raw image that is mostly holes
 * travels as a qcow2 made by libvirt instead (offline-move.ts diskRoute).
 * https://libvirt.org/manpages/virsh.html#vol-download
 */
import { PassThrough, Transform } from 'node:stream';
import { AppError } from '../../../shared/errors';
import type { HostConnection } from '../../hosts/host-connection';
import type { Step } from '../plan';

export interface StreamProgress {
  done: number;
  total: number;
  bps: number;
}

const PROGRESS_EVERY_MS = 250;

/**
 * Streams `download` (a vol-download step writing to /dev/stdout) on `source` into `upload`
 * (a vol-upload step reading /dev/stdin) on `dest`. Resolves with the bytes moved; on abort, or
 * when either side fails, both are stopped and the first real failure is thrown, naming the host.
 */
export async function streamVolume(
  source: HostConnection,
  dest: HostConnection,
  download: Step,
  upload: Step,
  total: number,
  opts: { signal?: AbortSignal; onProgress?: (p: StreamProgress) => void } = {},
): Promise<number> {
  const stop = new AbortController();
  const onOuterAbort = () => stop.abort();
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (opts.signal?.aborted) stop.abort();
  const t0 = Date.now();
  let done = 0;
  let last = 0;
  const counter = new Transform({
    highWaterMark: 1024 * 1024,
    transform(chunk: Buffer, _enc, cb) {
      done += chunk.length;
      const now = Date.now();
      if (opts.onProgress && now - last >= PROGRESS_EVERY_MS) {
        last = now;
        opts.onProgress({ done, total, bps: Math.round((done * 1000) / Math.max(1, now - t0)) });
      }
      cb(null, chunk);
    },
  });
  const pipe = new PassThrough({ highWaterMark: 1024 * 1024 });
  pipe.pipe(counter);
  let first: unknown;
  const side = async (which: 'source' | 'destination', p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      // The first failure is the cause; the other side then fails only because it was stopped.
      if (first === undefined) first = Object.assign(AppError.from(e), { side: which });
      stop.abort();
      pipe.destroy();
      counter.destroy();
      throw e;
    }
  };
  try {
    const results = await Promise.allSettled([
      side('source', source.run(['virsh', ...download.argv], { stream: { stdout: pipe }, signal: stop.signal })),
      side('destination', dest.run(['virsh', ...upload.argv], { stream: { stdin: counter }, signal: stop.signal })),
    ]);
    if (opts.signal?.aborted) throw new AppError('cancelled', 'the copy was cancelled');
    if (results.some((r) => r.status === 'rejected')) {
      const err = first as AppError & { side: string };
      throw new AppError(err.code === 'cancelled' ? 'cancelled' : err.code, `${err.side === 'source' ? 'reading on the source' : 'writing on the destination'}: ${err.message}`);
    }
    if (done !== total) throw new AppError('internal', `the copy ended after ${done} of ${total} bytes`);
    opts.onProgress?.({ done, total, bps: Math.round((done * 1000) / Math.max(1, Date.now() - t0)) });
    return done;
  } finally {
    opts.signal?.removeEventListener('abort', onOuterAbort);
  }
}
