/**
 * Parser for the lines printed by `virsh pool-event --event TYPE --loop [--timestamp]` and
 * `virsh net-event --event TYPE --loop` (libvirt 9.0, tools/virsh-pool.c and tools/virsh-network.c;
 * https://libvirt.org/manpages/virsh.html#pool-event). Unlike `virsh event`, these take no
 * --all: one event type per watcher.
 *   event 'lifecycle' for storage pool NAME: Started      (Defined Undefined Started Stopped Created Deleted)
 *   event 'refresh' for storage pool NAME                 (no detail)
 *   event 'lifecycle' for network NAME: Stopped           (Defined Undefined Started Stopped)
 * NAME is printed without quotes and may itself contain ": ", so lifecycle lines are cut at the
 * LAST ": " (the detail is one word); types without detail keep the whole rest as the name.
 * "event loop timed out" / "events received: N" and anything else give null.
 */
export interface ObjectEvent {
  kind: 'pool' | 'network';
  /** e.g. "lifecycle", "refresh". */
  event: string;
  name: string;
  /** e.g. "Started"; "" for events without detail. */
  detail: string;
  /** With --timestamp: the time as printed, e.g. "2026-11-25 03:56:29.229+0000". */
  timestamp?: string;
}

const PREFIX = /^(?:(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+[+-]\d{4}): )?event '([^']+)' for (storage pool|network) /;
/** Printed without a detail (virshPoolEventGenericPrint). */
const NO_DETAIL = new Set(['refresh']);

export function parseObjectEventLine(line: string): ObjectEvent | null {
  const text = line.endsWith('\n') ? line.slice(0, -1) : line;
  const m = PREFIX.exec(text);
  if (!m) return null;
  const event = m[2]!;
  const rest = text.slice(m[0].length);
  let name = rest;
  let detail = '';
  if (!NO_DETAIL.has(event)) {
    const i = rest.lastIndexOf(': ');
    if (i < 0) return null;
    name = rest.slice(0, i);
    detail = rest.slice(i + 2);
  }
  if (name === '') return null;
  const result: ObjectEvent = { kind: m[3] === 'network' ? 'network' : 'pool', event, name, detail };
  if (m[1] !== undefined) result.timestamp = m[1];
  return result;
}
