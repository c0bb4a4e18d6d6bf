/**
 * Parser for the lines printed by `virsh event --all --loop [--timestamp]`.
 * https://libvirt.org/manpages/virsh.html#event  (formats: tools/virsh-domain-event.c)
 *
 * Every event starts with a line `event 'TYPE' for domain 'NAME'…`, prefixed by
 * `YYYY-MM-DD HH:MM:SS.mmm+0000: ` with --timestamp:
 *   event 'lifecycle' for domain 'vm1': Started Booted
 *   event 'lifecycle' for domain 'vm1': Shutdown Finished after host request
 *   event 'metadata-change' for domain 'vm1': type title, uri <null>
 *   event 'reboot' for domain 'vm1'                         (no detail)
 *   event 'disk-change' for domain 'vm1' disk vda: … -> …   (detail: "disk vda: …")
 *   event 'tunable' for domain 'vm1':                       (details on the following lines)
 * The extra lines of multi-line events (tunable, job-completed, graphics, memory-failure…) and the
 * closing "event loop timed out" / "events received: N" lines give null.
 *
 * NAME is printed unescaped and may contain quotes, so it is cut at the LAST "': " (details of
 * libvirt 9.0 events never contain "': "), or at the final "'" for types that have no detail.
 */
export interface VirshEvent {
  /** e.g. "lifecycle", "reboot", "metadata-change". */
  event: string;
  domain: string;
  /** Text after the domain (without the leading ": "); "" when there is none. */
  detail: string;
  /** With --timestamp: the time as printed, e.g. "2026-11-25 00:56:12.434+0000". */
  timestamp?: string;
  /** For 'lifecycle': the event type (first word) and its detail, e.g. {type: 'Stopped', reason: 'Destroyed'}. */
  lifecycle?: { type: string; reason: string };
}

const PREFIX = /^(?:(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+[+-]\d{4}): )?event '([^']+)' for domain '/;
/** Printed by virshEventGenericPrint: no detail at all. */
const NO_DETAIL = new Set(['reboot', 'control-error', 'pm-wakeup', 'pm-suspend', 'pm-suspend-disk']);
/** First line ends with "':" and the details follow on other lines. */
const MULTI_LINE = new Set(['tunable', 'job-completed', 'memory-failure', 'memory-device-size-change', 'nic-mac-change']);

function splitNameDetail(event: string, rest: string): [string, string] | null {
  if (NO_DETAIL.has(event)) return rest.endsWith("'") ? [rest.slice(0, -1), ''] : null;
  if (MULTI_LINE.has(event) && rest.endsWith("':")) return [rest.slice(0, -2), ''];
  const disk = event === 'disk-change' || event === 'tray-change';
  const sep = disk ? "' disk " : "': ";
  const i = rest.lastIndexOf(sep);
  if (i < 0) return rest.endsWith("'") ? [rest.slice(0, -1), ''] : null;
  return [rest.slice(0, i), (disk ? 'disk ' : '') + rest.slice(i + sep.length)];
}

export function parseEventLine(line: string): VirshEvent | null {
  const text = line.endsWith('\n') ? line.slice(0, -1) : line;
  const m = PREFIX.exec(text);
  if (!m) return null;
  const event = m[2]!;
  const parts = splitNameDetail(event, text.slice(m[0].length));
  if (!parts) return null;
  const [domain, detail] = parts;
  const result: VirshEvent = { event, domain, detail };
  if (m[1] !== undefined) result.timestamp = m[1];
  if (event === 'lifecycle') {
    const sp = detail.indexOf(' ');
    result.lifecycle = sp < 0 ? { type: detail, reason: '' } : { type: detail.slice(0, sp), reason: detail.slice(sp + 1) };
  }
  return result;
}
