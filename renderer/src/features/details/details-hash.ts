/**
 * The details view's address in the URL hash, `#details=<hostId>/<uuid>`: a link or a test
 * can open a VM's details directly, and Back closes them. Host ids and UUIDs are restricted
 * patterns (shared/model), so nothing here needs escaping.
 */
import { DomainUuid } from '../../../../shared/model/domain';
import { HostId } from '../../../../shared/model/host';

export interface DetailsTarget {
  hostId: string;
  uuid: string;
}

const PREFIX = '#details=';

export function parseDetailsHash(hash: string): DetailsTarget | null {
  if (!hash.startsWith(PREFIX)) return null;
  const [hostId, uuid, ...rest] = hash.slice(PREFIX.length).split('/');
  if (rest.length > 0 || !HostId.safeParse(hostId).success || !DomainUuid.safeParse(uuid).success) return null;
  return { hostId: hostId!, uuid: uuid!.toLowerCase() };
}

export function detailsHash(t: DetailsTarget): string {
  return `${PREFIX}${t.hostId}/${t.uuid}`;
}
