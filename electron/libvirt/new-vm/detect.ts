/**
 * OS detection from install media, as libosinfo does it: read the ISO 9660 primary volume
 * descriptor (sector 16, 2 KiB at offset 32768) from the host and match its volume ID and
 * publisher against osinfo's <iso> rules. Only those 2 KiB cross the connection.
 * ECMA-119 §8.4: volume identifier at bytes 40–71, publisher identifier at 318–445.
 */
import { Writable } from 'node:stream';
import type { MediaRef } from '../../../shared/model/newvm';
import type { HostConnection } from '../../hosts/host-connection';
import type { Catalogue } from './os-data';
import { ruleMatches } from './osinfo-index';

const PVD_OFFSET = 32768;
const PVD_LENGTH = 2048;

export interface Pvd {
  volumeId: string | null;
  publisher: string | null;
}

/** Parses a primary volume descriptor; null when the bytes are not one (not an ISO 9660 image). */
export function parsePvd(buf: Buffer): Pvd | null {
  if (buf.length < 446 || buf[0] !== 1 || buf.toString('latin1', 1, 6) !== 'CD001') return null;
  const field = (from: number, to: number) => buf.toString('latin1', from, to).replace(/[\0 ]+$/, '').trim() || null;
  return { volumeId: field(40, 72), publisher: field(318, 446) };
}

async function readBytes(host: HostConnection, ref: MediaRef): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk);
      cb();
    },
  });
  // vol-download reads through libvirt (works for a non-root SSH user); a host path needs dd.
  const argv =
    ref.type === 'volume'
      ? ['virsh', '-q', 'vol-download', '--pool', ref.poolUuid, '--vol', ref.name, '--file', '/dev/stdout', '--offset', String(PVD_OFFSET), '--length', String(PVD_LENGTH)]
      : ['dd', `if=${ref.path}`, 'bs=2048', 'skip=16', 'count=1', 'status=none'];
  await host.run(argv, { stream: { stdout: sink }, timeoutMs: 30_000 });
  return Buffer.concat(chunks);
}

export interface Detection extends Pvd {
  osId: string | null;
  osName: string | null;
  note: string | null;
}

export async function detectOs(host: HostConnection, ref: MediaRef, catalogue: Catalogue, arch: string): Promise<Detection> {
  const pvd = parsePvd(await readBytes(host, ref));
  if (!pvd) return { volumeId: null, publisher: null, osId: null, osName: null, note: 'Not an ISO 9660 image: the OS cannot be detected; pick it from the list.' };
  if (catalogue.source === 'builtin')
    return { ...pvd, osId: null, osName: null, note: 'This host has no osinfo-db, so the media cannot be matched; pick the OS from the list.' };
  const hits = catalogue.entries.filter((os) => os.isoRules.some((r) => (r.arch === null || r.arch === arch || (arch === 'x86_64' && r.arch === 'i686')) && r.volumeId !== null && ruleMatches(r.volumeId, pvd.volumeId) && ruleMatches(r.publisherId, pvd.publisher)));
  // Prefer a rule for the host's own arch, then the newest OS.
  hits.sort((a, b) => (b.releaseDate ?? '').localeCompare(a.releaseDate ?? ''));
  const os = hits.find((o) => o.isoRules.some((r) => r.arch === arch && ruleMatches(r.volumeId, pvd.volumeId))) ?? hits[0];
  if (!os) return { ...pvd, osId: null, osName: null, note: `Unknown media (volume ID “${pvd.volumeId ?? ''}”): using the generic family.` };
  return { ...pvd, osId: os.shortIds[0]!, osName: os.name, note: null };
}
