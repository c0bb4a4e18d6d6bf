/**
 * A screenshot of a running VM taken as a snapshot is created, kept in the app's data dir as
 * <dataDir>/snapshot-thumbs/<hostId>/<uuid>/<sha256(snapshot name)>.png (names are untrusted:
 * hashed, never used as path parts). `virsh -q screenshot --file /dev/stdout` streams the PNG
 * back over the connection's own transport (-q: no "Screenshot saved" line after the image).
 * https://libvirt.org/manpages/virsh.html#screenshot
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile, access } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { DomainUuid } from '../../shared/model/domain';
import { HostId } from '../../shared/model/host';
import type { HostConnection } from '../hosts/host-connection';

const MAX_BYTES = 8 * 1024 * 1024;

export class SnapshotThumbnails {
  /** Captures still being taken, per host/VM: the list waits for them (at most a few seconds). */
  private readonly pending = new Map<string, Promise<void>>();

  constructor(private readonly dataDir: string) {}

  track(hostId: string, uuid: string, work: Promise<void>): void {
    const key = `${hostId}/${uuid.toLowerCase()}`;
    const next = Promise.all([this.pending.get(key), work.catch(() => undefined)]).then(() => undefined);
    this.pending.set(key, next);
    void next.then(() => {
      if (this.pending.get(key) === next) this.pending.delete(key);
    });
  }

  async settled(hostId: string, uuid: string): Promise<void> {
    const p = this.pending.get(`${hostId}/${uuid.toLowerCase()}`);
    if (p) await Promise.race([p, new Promise((r) => setTimeout(r, 10_000))]);
  }

  private dir(hostId: string, uuid: string): string {
    return join(this.dataDir, 'snapshot-thumbs', HostId.parse(hostId), DomainUuid.parse(uuid).toLowerCase());
  }

  private file(hostId: string, uuid: string, name: string): string {
    return join(this.dir(hostId, uuid), `${createHash('sha256').update(name).digest('hex')}.png`);
  }

  /** The screen as PNG, or null when there is none (no graphics, shut off, a driver without screenshots). */
  async capture(host: HostConnection, uuid: string): Promise<Buffer | null> {
    const chunks: Buffer[] = [];
    let size = 0;
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size <= MAX_BYTES) chunks.push(chunk);
        done();
      },
    });
    try {
      const r = await host.run(['virsh', '-q', 'screenshot', '--domain', uuid, '--file', '/dev/stdout'], { stream: { stdout: sink }, timeoutMs: 20_000 });
      const png = Buffer.concat(chunks);
      // QEMU answers PNG (libvirt ≥ 7.x with QEMU ≥ 7.1) or PPM; only PNG is kept (the renderer shows it as is).
      return r.code === 0 && size <= MAX_BYTES && png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) ? png : null;
    } catch {
      return null;
    }
  }

  async save(hostId: string, uuid: string, name: string, png: Buffer): Promise<void> {
    await mkdir(this.dir(hostId, uuid), { recursive: true, mode: 0o700 });
    await writeFile(this.file(hostId, uuid, name), png, { mode: 0o600 });
  }

  async has(hostId: string, uuid: string, name: string): Promise<boolean> {
    return access(this.file(hostId, uuid, name)).then(
      () => true,
      () => false,
    );
  }

  /** A data: URL for an <img>, or null. */
  async read(hostId: string, uuid: string, name: string): Promise<string | null> {
    const png = await readFile(this.file(hostId, uuid, name)).catch(() => null);
    return png ? `data:image/png;base64,${png.toString('base64')}` : null;
  }

  async remove(hostId: string, uuid: string, names: readonly string[]): Promise<void> {
    await Promise.all(names.map((n) => rm(this.file(hostId, uuid, n), { force: true })));
  }
}
