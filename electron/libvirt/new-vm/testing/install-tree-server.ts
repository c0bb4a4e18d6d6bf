/**
 * A Debian-style mirror on 127.0.0.1 for the network install tests, built from the installed
 * package debian-installer-12-netboot-amd64 (its netboot kernel and initrd; the package has no
 * MANIFEST/SHA256SUMS, so they are written here as the mirror has them):
 *   /<tree>/dists/bookworm/main/installer-amd64/current/images/{MANIFEST,SHA256SUMS,netboot/debian-installer/amd64/{linux,initrd.gz}}
 * Trees: 'debian' (right checksums), 'bad' (the kernel's checksum is wrong), 'nosums' (no SHA256SUMS).
 */
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const NETBOOT = '/usr/lib/debian-installer/images/12/amd64/text';
const KERNEL = `${NETBOOT}/debian-installer/amd64/linux`;
const INITRD = `${NETBOOT}/debian-installer/amd64/initrd.gz`;
const IMAGES = 'dists/bookworm/main/installer-amd64/current/images';

export interface TreeServer {
  /** The tree URL a user types, e.g. http://127.0.0.1:PORT/debian/dists/bookworm/main/installer-amd64/ */
  url(tree: 'debian' | 'bad' | 'nosums'): string;
  /** Requests served, by path (to tell who fetched what). */
  hits: string[];
  close(): Promise<void>;
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

export async function startTreeServer(): Promise<TreeServer> {
  const k = sha256(KERNEL);
  const i = sha256(INITRD);
  const wrong = (k[0] === '0' ? '1' : '0') + k.slice(1);
  const manifest = [
    'netboot/debian-installer/amd64/initrd.gz -- initrd for use with pxelinux.0',
    'netboot/debian-installer/amd64/linux -- kernel for use with pxelinux.0',
    'netboot/netboot.tar.gz -- tarball of PXE boot files',
    '',
  ].join('\n');
  const sums = (kh: string) => `${kh}  ./netboot/debian-installer/amd64/linux\n${i}  ./netboot/debian-installer/amd64/initrd.gz\n`;
  const text = new Map<string, string>();
  const files = new Map<string, string>();
  for (const tree of ['debian', 'bad', 'nosums'] as const) {
    const base = `/${tree}/${IMAGES}`;
    text.set(`${base}/MANIFEST`, manifest);
    if (tree !== 'nosums') text.set(`${base}/SHA256SUMS`, sums(tree === 'bad' ? wrong : k));
    files.set(`${base}/netboot/debian-installer/amd64/linux`, KERNEL);
    files.set(`${base}/netboot/debian-installer/amd64/initrd.gz`, INITRD);
  }
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    hits.push(path);
    const t = text.get(path);
    if (t !== undefined) {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(t) });
      res.end(req.method === 'HEAD' ? undefined : t);
      return;
    }
    const f = files.get(path);
    if (f) {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': statSync(f).size });
      if (req.method === 'HEAD') res.end();
      else createReadStream(f).pipe(res);
      return;
    }
    res.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (tree) => `http://127.0.0.1:${port}/${tree}/dists/bookworm/main/installer-amd64/`,
    hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
