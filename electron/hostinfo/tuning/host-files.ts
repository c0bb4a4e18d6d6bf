/**
 * The Tuning tab's host files in ONE read: `grep -rsH '' PATHS…` prints every line of every
 * readable file under PATHS as "path:line" (sysfs directories recursively; -s skips files that
 * cannot be read, such as write-only sysfs entries). A fixed argv: no shell, no data in it.
 */
export const KSM_DIR = '/sys/kernel/mm/ksm';
export const HUGEPAGES_DIR = '/sys/kernel/mm/hugepages';
export const NODES_DIR = '/sys/devices/system/node';
export const THP_ENABLED = '/sys/kernel/mm/transparent_hugepage/enabled';
export const KSMTUNED_CONF = '/etc/ksmtuned.conf';

export const HOST_FILES_ARGV = ['grep', '-rsH', '--', '', KSM_DIR, HUGEPAGES_DIR, NODES_DIR, THP_ENABLED, '/proc/meminfo', '/proc/self/status', '/proc/self/mounts', KSMTUNED_CONF];

/** path → its lines, in the order grep printed them. */
export type HostFiles = Map<string, string[]>;

export function parseHostFiles(out: string): HostFiles {
  const files: HostFiles = new Map();
  for (const line of out.split('\n')) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const path = line.slice(0, i);
    const lines = files.get(path) ?? [];
    lines.push(line.slice(i + 1));
    files.set(path, lines);
  }
  return files;
}

/** The files directly in `dir` (not below), name → first line. */
export function filesIn(files: HostFiles, dir: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const [path, lines] of files) {
    if (!path.startsWith(`${dir}/`)) continue;
    const name = path.slice(dir.length + 1);
    if (!name.includes('/')) m.set(name, lines[0] ?? '');
  }
  return m;
}

/** /proc/meminfo as KiB numbers (HugePages_* are counts). */
export function meminfo(files: HostFiles): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of files.get('/proc/meminfo') ?? []) {
    const r = /^(\S+):\s+(\d+)/.exec(l);
    if (r) m.set(r[1]!, Number(r[2]));
  }
  return m;
}
