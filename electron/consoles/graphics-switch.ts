/**
 * "Switch this VM to VNC": edits the graphics device of the persistent XML and defines it
 * (`virsh define /dev/stdin --validate`); the running VM keeps SPICE until its next start.
 * The XML from before is kept per VM in <dataDir>/console-history/ so the switch can be undone.
 */
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../shared/errors';
import { writeAtomic } from '../core/json-file';
import type { HostConnection } from '../hosts/host-connection';
import { switchSpiceToVnc } from './graphics-xml';

export class GraphicsHistory {
  constructor(private readonly dir: string) {}

  private file(hostId: string, uuid: string): string {
    // hostId and uuid are schema-validated ([A-Za-z0-9_-] and hex/dashes): safe as file names.
    return join(this.dir, `${hostId}--${uuid}.xml`);
  }

  async has(hostId: string, uuid: string): Promise<boolean> {
    return (await this.read(hostId, uuid)) !== undefined;
  }

  async read(hostId: string, uuid: string): Promise<string | undefined> {
    return readFile(this.file(hostId, uuid), 'utf8').catch(() => undefined);
  }

  async keep(hostId: string, uuid: string, xml: string): Promise<void> {
    // The XML can hold passwords (--security-info): owner-only.
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await writeAtomic(this.file(hostId, uuid), xml);
  }

  async forget(hostId: string, uuid: string): Promise<void> {
    await rm(this.file(hostId, uuid), { force: true });
  }
}

/** --security-info keeps graphics passwords, which a redefine would otherwise drop. */
async function persistentXml(host: HostConnection, uuid: string): Promise<string> {
  return (await host.run(['virsh', 'dumpxml', '--domain', uuid, '--inactive', '--security-info'])).stdout;
}

export async function switchToVnc(host: HostConnection, history: GraphicsHistory, uuid: string): Promise<void> {
  const before = await persistentXml(host, uuid);
  let after: string;
  try {
    after = switchSpiceToVnc(before);
  } catch (e) {
    throw new AppError('unsupported', (e as Error).message);
  }
  await host.run(['virsh', 'define', '/dev/stdin', '--validate'], { stdin: after });
  await history.keep(host.id, uuid, before);
}

export async function undoSwitchToVnc(host: HostConnection, history: GraphicsHistory, uuid: string): Promise<void> {
  const before = await history.read(host.id, uuid);
  if (before === undefined) throw new AppError('not_found', 'There is no earlier graphics configuration to restore.');
  await host.run(['virsh', 'define', '/dev/stdin', '--validate'], { stdin: before });
  await history.forget(host.id, uuid);
}
