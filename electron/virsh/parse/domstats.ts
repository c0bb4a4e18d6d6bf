/**
 * Parser for `virsh domstats --raw [--state --cpu-total --balloon --vcpu --interface --block …]`.
 * https://libvirt.org/manpages/virsh.html#domstats (field names: virConnectGetAllDomainStats,
 * https://libvirt.org/html/libvirt-libvirt-domain.html#virConnectGetAllDomainStats)
 *
 * Output: per domain a header line `Domain: 'NAME'` followed by `  key=value` lines, blocks separated
 * by a blank line. NAME is printed verbatim (not escaped), so it may itself contain quotes — it is
 * taken from after `Domain: '` up to the LAST `'` on the line. --raw prints numbers unscaled
 * (bytes, nanoseconds, KiB for balloon.*). Groups a driver does not support are silently absent
 * (libvirt 9.0's test driver only reports state.*).
 */
import { isBlank, splitLines } from './lines';

export interface DomstatsRecord {
  name: string;
  fields: Map<string, string>;
}

const HEADER = "Domain: '";

export function parseDomstatsRaw(out: string): DomstatsRecord[] {
  const records: DomstatsRecord[] = [];
  let current: DomstatsRecord | undefined;
  for (const line of splitLines(out)) {
    if (isBlank(line)) continue;
    if (line.startsWith(HEADER) && line.lastIndexOf("'") >= HEADER.length) {
      current = { name: line.slice(HEADER.length, line.lastIndexOf("'")), fields: new Map() };
      records.push(current);
      continue;
    }
    const eq = line.indexOf('=');
    if (!current || !line.startsWith('  ') || eq < 0) {
      throw new Error(`unexpected line in 'domstats --raw' output: ${JSON.stringify(line)}`);
    }
    // split at the FIRST '=': keys never contain one, values (e.g. block.N.path) may
    current.fields.set(line.slice(2, eq), line.slice(eq + 1));
  }
  return records;
}

/** Numeric field or undefined (absent / not a finite number). Counters beyond 2^53 lose precision. */
export function domstatsNumber(fields: ReadonlyMap<string, string>, key: string): number | undefined {
  const v = fields.get(key);
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}
