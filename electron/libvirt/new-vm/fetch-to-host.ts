/**
 * Getting an install tree's kernel and initrd into pool volumes of the host.
 *
 * By the host when it has curl or wget (the host may reach mirrors this computer cannot, and the
 * bytes never cross the SSH link): downloaded into a private folder under /tmp, checked with
 * `sha256sum --check`, then `virsh vol-upload --file` on the host itself (works for a non-root
 * SSH user in group libvirt, who cannot write into the pool's folder). Else by Virtdeck: fetched
 * into memory (kernel + initrd are tens of MiB), hashed here, then streamed with
 * `vol-upload --file /dev/stdin`. Either way a wrong checksum is refused before any volume exists.
 *
 * A volume is created with capacity 0 and grows with the upload (libvirt 9.0, dir pools: checked
 * on this host), so nobody needs the size beforehand.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { AppError } from '../../../shared/errors';
import type { HostConnection } from '../../hosts/host-connection';
import { runStep, type Step } from '../plan';
import { DEBIAN_PREFIXES, debianLayout, parseSha256Sums, treeBase, treeinfoLayout, withSha256Sums, type TreeImage, type TreeLayout } from './install-tree';

export type Fetcher = 'curl' | 'wget' | 'virtdeck';
export type FetchBy = 'auto' | 'host' | 'virtdeck';

const TEXT_LIMIT = 4 * 1024 * 1024;
const tools = new WeakMap<HostConnection, Promise<{ curl: boolean; wget: boolean }>>();

/** Whether the host has curl / wget (asked once per connection; 127 = not installed). */
export function hostTools(host: HostConnection): Promise<{ curl: boolean; wget: boolean }> {
  let p = tools.get(host);
  if (!p) {
    const has = (argv: string[]) => host.run(argv, { allowFailure: true, timeoutMs: 30_000 }).then((r) => r.code === 0);
    p = Promise.all([has(['curl', '--version']), has(['wget', '--version'])]).then(([curl, wget]) => ({ curl, wget }));
    p.catch(() => tools.delete(host));
    tools.set(host, p);
  }
  return p;
}

export async function chooseFetcher(host: HostConnection, by: FetchBy): Promise<Fetcher> {
  // The test driver has no volume data to fill, and its "host" is this computer: nothing is fetched.
  if (host.uri.driver === 'test') throw new AppError('unsupported', "libvirt's test driver has no volumes to fetch an install tree into; use a real host.");
  if (by === 'virtdeck') return 'virtdeck';
  const t = await hostTools(host);
  if (t.curl) return 'curl';
  if (t.wget) return 'wget';
  if (by === 'host') throw new AppError('unsupported', 'The host has neither curl nor wget: let Virtdeck fetch the tree and upload it.');
  return 'virtdeck';
}

/** The download command on the host; `--proto`/http(s)/ftp only, and no redirect to file:// (curl refuses it by default). */
export function downloadArgv(fetcher: 'curl' | 'wget', url: string, out: string): string[] {
  return fetcher === 'curl'
    ? ['curl', '-fsSL', '--proto', '=http,https,ftp', '--proto-redir', '=http,https,ftp', '--connect-timeout', '30', '-o', out, '--url', url]
    : ['wget', '-q', '--timeout=30', '-O', out, '--', url];
}

/** A small text file of the tree, or null when the server says it is not there (404, FTP "no such file"). */
export async function fetchText(host: HostConnection, fetcher: Fetcher, url: string): Promise<string | null> {
  if (fetcher === 'virtdeck') {
    if (!/^https?:/i.test(url)) throw new AppError('unsupported', 'Virtdeck itself fetches http and https only; for ftp the host needs curl or wget.');
    const res = await fetch(url, { signal: AbortSignal.timeout(60_000), redirect: 'follow' }).catch((e: unknown) => {
      throw new AppError('not_found', `Cannot reach ${url}: ${(e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : (e as Error).message}`);
    });
    if (res.status === 404 || res.status === 410) return null;
    if (!res.ok) throw new AppError('not_found', `${url}: HTTP ${res.status} ${res.statusText}`);
    const buf = Buffer.from(await res.arrayBuffer());
    return buf.length > TEXT_LIMIT ? null : buf.toString('utf8');
  }
  const argv =
    fetcher === 'curl'
      ? ['curl', '-fsSL', '--proto', '=http,https,ftp', '--proto-redir', '=http,https,ftp', '--connect-timeout', '30', '--max-filesize', String(TEXT_LIMIT), '--url', url]
      : ['wget', '-q', '--timeout=30', '-O', '-', '--', url];
  const r = await host.run(argv, { allowFailure: true, timeoutMs: 120_000 });
  if (r.code === 0) return r.stdout;
  // curl: 22 = HTTP error ≥ 400, 78 = FTP file not found, 63 = over --max-filesize; wget: 8 = server error response.
  if ((fetcher === 'curl' && [22, 63, 78].includes(r.code ?? -1)) || (fetcher === 'wget' && r.code === 8)) return null;
  throw new AppError('not_found', `The host cannot fetch ${url} (${fetcher} exit ${r.code}): ${r.stderr.trim()}`);
}

const inspected = new Map<string, { at: number; layout: Promise<TreeLayout> }>();
const INSPECT_TTL_MS = 5 * 60_000;

/**
 * Finds the kernel and initrd of the tree at `url` (as virt-install: .treeinfo first, then a
 * Debian/Ubuntu MANIFEST) and their expected checksums. Cached per host, fetcher and URL for a
 * few minutes, as the wizard plans on every change.
 */
export function inspectTree(host: HostConnection, fetcher: Fetcher, url: string, hostArch: string): Promise<TreeLayout> {
  const key = `${host.id}\n${fetcher}\n${url}`;
  const hit = inspected.get(key);
  if (hit && Date.now() - hit.at < INSPECT_TTL_MS) return hit.layout;
  const layout = inspectOnce(host, fetcher, url, hostArch);
  inspected.set(key, { at: Date.now(), layout });
  layout.catch(() => inspected.delete(key));
  return layout;
}

async function inspectOnce(host: HostConnection, fetcher: Fetcher, url: string, hostArch: string): Promise<TreeLayout> {
  const base = treeBase(url);
  const treeinfo = (await fetchText(host, fetcher, `${base}.treeinfo`)) ?? (await fetchText(host, fetcher, `${base}treeinfo`));
  // Some servers answer 200 with an HTML page for any path: a .treeinfo without images is then
  // no reason to stop looking for a Debian MANIFEST.
  const fromTreeinfo = treeinfo === null ? null : treeinfoLayout(url, treeinfo, hostArch);
  if (fromTreeinfo) return fromTreeinfo;
  for (const prefix of DEBIAN_PREFIXES) {
    const manifest = await fetchText(host, fetcher, `${base}${prefix}MANIFEST`);
    if (manifest === null) continue;
    const layout = debianLayout(url, prefix, manifest, hostArch);
    if (!layout) continue;
    const sumsUrl = `${base}${prefix}SHA256SUMS`;
    const sums = await fetchText(host, fetcher, sumsUrl);
    return sums === null ? layout : withSha256Sums(layout, sumsUrl, parseSha256Sums(sums));
  }
  if (treeinfo !== null && /^\s*\[/m.test(treeinfo)) throw new AppError('not_found', `The tree’s .treeinfo has no kernel and initrd for ${hostArch}.`);
  throw new AppError('not_found', `No install tree at ${url}: neither a .treeinfo nor a Debian/Ubuntu MANIFEST (current/images/MANIFEST) was found there.`);
}

/** One image to put into a volume. */
export interface FetchTarget {
  image: TreeImage;
  /** 'kernel' or 'initrd', for file names and messages. */
  role: 'kernel' | 'initrd';
  poolUuid: string;
  volume: string;
}

/** A step of the plan; `run` replaces running `step` itself where more than one command is needed. */
export interface FetchStep {
  step: Step;
  undo: Step | null;
  undoText: string | null;
  run?: (host: HostConnection) => Promise<void>;
}

const checksumMismatch = (t: FetchTarget, got: string | null) =>
  new AppError('invalid_args', `The ${t.role} (${t.image.url}) does not match the tree’s checksum${got ? ` (SHA-256 ${got}, expected ${t.image.sha256})` : ''}: refused, nothing was created.`);

const createVol = (t: FetchTarget): Step => ({ argv: ['vol-create-as', '--pool', t.poolUuid, '--name', t.volume, '--capacity', '0', '--allocation', '0', '--format', 'raw'] });
const deleteVol = (t: FetchTarget): Step => ({ argv: ['vol-delete', '--pool', t.poolUuid, '--vol', t.volume] });

/**
 * The host fetches: mkdir a private folder, download each image, `sha256sum --check` them,
 * create and fill each volume, remove the folder. Each step is a real command shown as is.
 * `dir` is named after the new VM's UUID (plan and create show the same lines). A leftover of an
 * attempt cut off with its connection is removed first (`rm -rf` removes a symlink itself, never
 * its target); `mkdir` without -p then fails if anything appears there meanwhile.
 */
export function hostFetchSteps(fetcher: 'curl' | 'wget', targets: FetchTarget[], dir: string): FetchStep[] {
  const file = (t: FetchTarget) => `${dir}/${t.role}`;
  const rm: Step = { argv: ['rm', '-rf', '--', dir], hostCommand: true };
  const out: FetchStep[] = [
    { step: rm, undo: null, undoText: null },
    { step: { argv: ['mkdir', '-m', '700', '--', dir], hostCommand: true }, undo: rm, undoText: null },
  ];
  for (const t of targets) out.push({ step: { argv: downloadArgv(fetcher, t.image.url, file(t)), hostCommand: true, long: true }, undo: null, undoText: null });
  const checked = targets.filter((t) => t.image.sha256 !== null);
  if (checked.length > 0) {
    const step: Step = { argv: ['sha256sum', '--check', '--strict', '-'], hostCommand: true, stdin: checked.map((t) => `${t.image.sha256}  ${file(t)}\n`).join('') };
    out.push({
      step,
      undo: null,
      undoText: null,
      run: async (host) => {
        const r = await host.run(step.argv, { stdin: step.stdin!, allowFailure: true, timeoutMs: 300_000 });
        if (r.code === 0) return;
        const bad = checked.find((t) => r.stdout.includes(`${file(t)}: FAILED`));
        throw bad ? checksumMismatch(bad, null) : new AppError('internal', `sha256sum failed: ${(r.stderr || r.stdout).trim()}`);
      },
    });
  }
  for (const t of targets) {
    out.push({ step: createVol(t), undo: deleteVol(t), undoText: `deleted the ${t.role} volume “${t.volume}”` });
    out.push({ step: { argv: ['vol-upload', '--pool', t.poolUuid, '--vol', t.volume, '--file', file(t)], long: true }, undo: null, undoText: null });
  }
  out.push({ step: { argv: ['pool-refresh', '--pool', targets[0]!.poolUuid] }, undo: null, undoText: null }, { step: rm, undo: null, undoText: null });
  return out;
}

/**
 * Virtdeck fetches: both images into memory and checked before the first volume is created,
 * then each streamed to its volume. The preview shows the upload as `< URL`.
 */
export function virtdeckFetchSteps(targets: FetchTarget[]): FetchStep[] {
  const data = new Map<FetchTarget, Buffer>();
  const out: FetchStep[] = [];
  targets.forEach((t, i) => {
    const create = createVol(t);
    const upload: Step = { argv: ['vol-upload', '--pool', t.poolUuid, '--vol', t.volume, '--file', '/dev/stdin'], stdinFile: t.image.url, long: true };
    out.push({
      step: create,
      undo: deleteVol(t),
      undoText: `deleted the ${t.role} volume “${t.volume}”`,
      run: async (host) => {
        if (i === 0) for (const x of targets) data.set(x, await fetchVerified(x));
        await runStep(host, create);
      },
    });
    out.push({
      step: upload,
      undo: null,
      undoText: null,
      run: async (host) => {
        await host.run(['virsh', ...upload.argv], { stream: { stdin: Readable.from([data.get(t)!]) }, job: true, timeoutMs: 60 * 60_000 });
        data.delete(t);
      },
    });
  });
  out.push({ step: { argv: ['pool-refresh', '--pool', targets[0]!.poolUuid] }, undo: null, undoText: null });
  return out;
}

async function fetchVerified(t: FetchTarget): Promise<Buffer> {
  const res = await fetch(t.image.url, { signal: AbortSignal.timeout(60 * 60_000), redirect: 'follow' }).catch((e: unknown) => {
    throw new AppError('not_found', `Cannot fetch the ${t.role} ${t.image.url}: ${(e as Error).message}`);
  });
  if (!res.ok) throw new AppError('not_found', `Cannot fetch the ${t.role} ${t.image.url}: HTTP ${res.status} ${res.statusText}`);
  const buf = Buffer.from(await res.arrayBuffer());
  if (t.image.sha256 !== null) {
    const got = createHash('sha256').update(buf).digest('hex');
    if (got !== t.image.sha256) throw checksumMismatch(t, got);
  }
  return buf;
}
