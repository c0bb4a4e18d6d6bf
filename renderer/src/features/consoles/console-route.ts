/**
 * The location hash that shows one console on its own (the "open in its own window" target):
 * #console=vnc&host=ID&uuid=UUID[&dev=serial0]. Parsed strictly: anything else is no route.
 */
import { DomainUuid } from '../../../../shared/model/domain';
import { HostId } from '../../../../shared/model/host';
import { SerialDevname, type ConsoleKind } from '../../../../shared/model/console';

export interface ConsoleRoute {
  kind: ConsoleKind;
  hostId: string;
  uuid: string;
  devname?: string;
}

export function parseConsoleHash(hash: string): ConsoleRoute | null {
  if (!hash.startsWith('#console=')) return null;
  const p = new URLSearchParams(hash.slice(1));
  const kind = p.get('console');
  const hostId = p.get('host') ?? '';
  const uuid = p.get('uuid') ?? '';
  const dev = p.get('dev');
  if ((kind !== 'vnc' && kind !== 'serial') || !HostId.safeParse(hostId).success || !DomainUuid.safeParse(uuid).success) return null;
  if (dev !== null && !SerialDevname.safeParse(dev).success) return null;
  return { kind, hostId, uuid, ...(dev !== null ? { devname: dev } : {}) };
}

export function consoleHash(r: ConsoleRoute): string {
  const p = new URLSearchParams({ console: r.kind, host: r.hostId, uuid: r.uuid });
  if (r.devname) p.set('dev', r.devname);
  return `#${p.toString()}`;
}
