/**
 * Parsers for `virsh list --all --uuid [--name] [filters…]`.
 * https://libvirt.org/manpages/virsh.html#list
 *
 * With --uuid --name virsh prints "<uuid> <name>" — exactly one space, then the name verbatim, so a
 * name with leading/trailing blanks or tabs keeps them (real output: "<uuid>  lead-space").
 * With --uuid alone it prints one UUID per line. Filters (--autostart, --persistent, --transient,
 * --with-managed-save, --state-running/-paused/-shutoff/-other, --inactive…) only change which
 * lines appear; an empty result prints nothing at all.
 */
import { isBlank, splitLines } from './lines';

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export interface UuidName {
  uuid: string;
  name: string;
}

/** `list --all --uuid --name` → [{uuid, name}]. Blank lines are ignored; anything else unexpected throws. */
export function parseListUuidName(out: string): UuidName[] {
  const result: UuidName[] = [];
  for (const line of splitLines(out)) {
    if (isBlank(line)) continue;
    const uuid = line.slice(0, 36);
    if (!UUID.test(uuid) || line[36] !== ' ' || line.length < 38) {
      throw new Error(`unexpected line in 'list --uuid --name' output: ${JSON.stringify(line)}`);
    }
    result.push({ uuid: uuid.toLowerCase(), name: line.slice(37) });
  }
  return result;
}

/** `list --all --uuid [filters…]` → lower-case UUIDs. Blank lines are ignored; anything else throws. */
export function parseUuidList(out: string): string[] {
  const result: string[] = [];
  for (const line of splitLines(out)) {
    if (isBlank(line)) continue;
    const uuid = line.trim();
    if (!UUID.test(uuid)) throw new Error(`unexpected line in 'list --uuid' output: ${JSON.stringify(line)}`);
    result.push(uuid.toLowerCase());
  }
  return result;
}
