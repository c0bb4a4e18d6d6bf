/** What runs on this machine, read from /proc (the tests run as root, so they see every user's). */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return undefined; // gone meanwhile, or not ours to read
  }
}

/**
 * Live (not zombie) processes whose environment contains `needle`, with their command lines and
 * real user ids, read in the same pass (a short-lived one may be gone a moment later).
 */
export function processesWithEnv(needle: string): Array<{ pid: number; cmdline: string; uid: number }> {
  const found: Array<{ pid: number; cmdline: string; uid: number }> = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const env = read(`/proc/${entry}/environ`);
    if (!env?.includes(needle)) continue;
    const stat = read(`/proc/${entry}/stat`);
    if (!stat || stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
    const uid = /^Uid:\s+(\d+)/m.exec(read(`/proc/${entry}/status`) ?? '')?.[1];
    if (uid === undefined) continue; // gone meanwhile
    found.push({ pid: Number(entry), cmdline: (read(`/proc/${entry}/cmdline`) ?? '').replaceAll('\0', ' ').trim(), uid: Number(uid) });
  }
  return found;
}

/** TCP connections this process holds open to 127.0.0.1:`port` (from its fds and /proc/net/tcp). */
export function ownTcpConnectionsTo(port: number): number {
  const inodes = new Set<string>();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`));
      if (m) inodes.add(m[1]!);
    } catch {
      /* closed meanwhile */
    }
  }
  const want = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  let n = 0;
  for (const line of (read('/proc/net/tcp') ?? '').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    // f[2]: remote address, f[3]: state (01 = ESTABLISHED), f[9]: inode
    if (f[2] === want && f[3] === '01' && inodes.has(f[9] ?? '')) n++;
  }
  return n;
}
