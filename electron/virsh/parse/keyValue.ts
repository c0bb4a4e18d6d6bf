/**
 * Parsers for virsh's "Key:   value" tables: `dominfo`, `nodeinfo`, `pool-info`, `net-info`…
 * https://libvirt.org/manpages/virsh.html#dominfo
 *
 * virsh prints these with printf("%-15s %s\n", "Key:", value) (nodeinfo uses %-20s), so all values
 * start in the same column. The value is cut at that column rather than trimmed, because a domain
 * name may start or end with blanks (real: "Name:            lead-space" for " lead-space").
 */
import type { DomainState } from '../../../shared/model/domain';
import { domainStateFromText } from './domainState';
import { isBlank, splitLines } from './lines';

/** "Key: value" lines → { Key: value }. Lines without a colon are ignored; a repeated key keeps the last value. */
export function parseKeyValueTable(out: string): Record<string, string> {
  const rows = splitLines(out)
    .filter((l) => !isBlank(l) && l.includes(':'))
    .map((line) => ({ line, colon: line.indexOf(':') }));
  // The value column: the leftmost first-non-blank after a colon (+ separator space), over all rows.
  let column = Infinity;
  for (const { line, colon } of rows) {
    const m = /\S/.exec(line.slice(colon + 2));
    if (m) column = Math.min(column, colon + 2 + m.index);
  }
  const table: Record<string, string> = {};
  for (const { line, colon } of rows) {
    // a key longer than the padding pushes its value right: then exactly one space separates them
    const start = Math.max(colon + 2, Number.isFinite(column) ? column : 0);
    table[line.slice(0, colon)] = line.slice(start);
  }
  return table;
}

export interface Dominfo {
  /** null when the domain is not running ("-"). */
  id: number | null;
  /** Exact name (leading/trailing blanks kept). */
  name: string;
  uuid: string;
  osType: string;
  state: DomainState;
  /** virsh's words, e.g. "shut off". */
  stateText: string;
  cpus: number | null;
  /** "CPU time" in seconds, when shown (running domains / drivers that report it). */
  cpuTimeSeconds: number | null;
  /** null for "no limit". */
  maxMemoryKiB: number | null;
  usedMemoryKiB: number | null;
  /** null when virsh says "unknown" (or the line is missing). */
  persistent: boolean | null;
  autostart: boolean | null;
  managedSave: boolean | null;
  securityModel: string | null;
  securityDoi: string | null;
  /** e.g. "libvirt-test (enforcing)"; only for running domains. */
  securityLabel: string | null;
  /** Every line as printed, for fields not modelled here. */
  raw: Record<string, string>;
}

const int = (v: string | undefined): number | null => (v !== undefined && /^\s*\d+\s*$/.test(v) ? Number(v) : null);
const kib = (v: string | undefined): number | null => {
  const m = v === undefined ? null : /^\s*(\d+) KiB\s*$/.exec(v);
  return m ? Number(m[1]) : null;
};
const yesNo = (v: string | undefined, yes: string, no: string): boolean | null =>
  v?.trim() === yes ? true : v?.trim() === no ? false : null;
const text = (v: string | undefined): string | null => (v === undefined ? null : v.trim());

/** Typed `dominfo` (field set of libvirt 9.0's cmdDominfo in tools/virsh-domain-monitor.c). */
export function parseDominfo(out: string): Dominfo {
  const raw = parseKeyValueTable(out);
  const name = raw['Name'];
  const uuid = raw['UUID'];
  if (name === undefined || uuid === undefined) throw new Error("unexpected 'dominfo' output: no Name/UUID line");
  const stateText = (raw['State'] ?? '').trim();
  const cpuTime = /^\s*([\d.]+)s\s*$/.exec(raw['CPU time'] ?? '');
  return {
    id: int(raw['Id']),
    name,
    uuid: uuid.trim().toLowerCase(),
    osType: (raw['OS Type'] ?? '').trim(),
    state: domainStateFromText(stateText),
    stateText,
    cpus: int(raw['CPU(s)']),
    cpuTimeSeconds: cpuTime ? Number(cpuTime[1]) : null,
    maxMemoryKiB: kib(raw['Max memory']),
    usedMemoryKiB: kib(raw['Used memory']),
    persistent: yesNo(raw['Persistent'], 'yes', 'no'),
    autostart: yesNo(raw['Autostart'], 'enable', 'disable'),
    managedSave: yesNo(raw['Managed save'], 'yes', 'no'),
    securityModel: text(raw['Security model']),
    securityDoi: text(raw['Security DOI']),
    securityLabel: text(raw['Security label']),
    raw,
  };
}
