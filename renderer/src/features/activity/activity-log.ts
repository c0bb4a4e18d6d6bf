import type { ActivityEntry } from '../../../../shared/model/activity';

const KEEP = 1000;

/**
 * Merges newly arrived entries into the list (newest first). An entry can arrive twice (from
 * `activity.list` and from its `activity.added` event): the later copy, which knows the
 * outcome, wins.
 */
export function mergeEntries(current: readonly ActivityEntry[], incoming: readonly ActivityEntry[]): ActivityEntry[] {
  if (incoming.length === 0) return current as ActivityEntry[];
  const bySeq = new Map<number, ActivityEntry>();
  for (const e of current) bySeq.set(e.seq, e);
  for (const e of incoming) bySeq.set(e.seq, e);
  return [...bySeq.values()].sort((a, b) => b.seq - a.seq).slice(0, KEEP);
}

/** Case-insensitive match on the command line, the host name and the error. */
export function matchesFilter(e: ActivityEntry, hostName: string, filter: string): boolean {
  const f = filter.trim().toLowerCase();
  if (!f) return true;
  return [e.argv.join(' '), hostName, e.error ?? '', e.outcome].some((s) => s.toLowerCase().includes(f));
}

/** virsh commands that only read; everything else (and every other program but these) changes something. */
const QUERIES = new Set([
  'list', 'domstats', 'dominfo', 'domstate', 'domname', 'domuuid', 'domifaddr', 'domblklist', 'domiflist', 'dumpxml', 'hostname', 'nodeinfo',
  'version', 'echo', 'pool-list', 'pool-info', 'pool-dumpxml', 'vol-list', 'vol-info', 'vol-dumpxml', 'vol-path', 'net-list', 'net-info',
  'net-dumpxml', 'net-dhcp-leases', 'iface-list', 'iface-dumpxml', 'capabilities', 'domcapabilities', 'snapshot-list', 'event',
]);

/** True for read-only commands (`virsh -c URI pool-list …`, `qemu-img info`, `ip addr`): the "changes only" view hides them. */
export function isQuery(argv: readonly string[]): boolean {
  if (argv[0] === 'qemu-img') return argv[1] === 'info';
  if (argv[0] === 'ip') return true;
  if (argv[0] !== 'virsh') return false;
  // virsh [-c URI] [-q] COMMAND …: the first word after the global options.
  let i = 1;
  while (i < argv.length && argv[i]!.startsWith('-')) i += argv[i] === '-c' ? 2 : 1;
  return QUERIES.has(argv[i] ?? '');
}
