/**
 * Pure parsers for the four /proc files the host sampler prints each tick, and the rates
 * between two readings. Formats: https://www.kernel.org/doc/html/latest/filesystems/proc.html
 * (stat, meminfo, net/dev) and https://www.kernel.org/doc/html/latest/admin-guide/iostats.html
 * (diskstats).
 */

/** Counters of one reading; all cumulative except the memory figures. */
export interface ProcReading {
  /** Aggregate "cpu" line, in USER_HZ ticks. */
  cpuBusy: number;
  cpuTotal: number;
  memTotalKiB: number;
  /** MemTotal − MemAvailable: what the kernel could not hand out without swapping. */
  memUsedKiB: number;
  netRxBytes: number;
  netTxBytes: number;
  diskReadBytes: number;
  diskWriteBytes: number;
}

/** The aggregate cpu line of /proc/stat: idle and iowait are idle time, the rest is busy. */
export function parseProcStat(text: string): { busy: number; total: number } {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) throw new Error('/proc/stat has no aggregate cpu line');
  // user nice system idle iowait irq softirq steal guest guest_nice; guest time is already in user.
  const f = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  const idle = (f[3] ?? 0) + (f[4] ?? 0);
  return { busy: total - idle, total };
}

/** /proc/meminfo as { Key: kB }. */
export function parseMeminfo(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^([\w()]+):\s+(\d+)/.exec(line);
    if (m) out[m[1]!] = Number(m[2]);
  }
  return out;
}

/** Bytes received and sent per interface from /proc/net/dev (two header lines, then "name: counters"). */
export function parseNetDev(text: string): Array<{ name: string; rx: number; tx: number }> {
  const out: Array<{ name: string; rx: number; tx: number }> = [];
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0 || line.includes('|')) continue;
    const f = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    // Receive: bytes packets errs drop fifo frame compressed multicast; Transmit: bytes …
    out.push({ name: line.slice(0, colon).trim(), rx: f[0] ?? 0, tx: f[8] ?? 0 });
  }
  return out;
}

/**
 * Whole disks only: partitions, device-mapper and md devices repeat their disks' I/O, and loop
 * and zram devices are files and memory. Names as the kernel gives them (sda, vda, nvme0n1…).
 */
const WHOLE_DISK = /^(?:[shv]d[a-z]+|xvd[a-z]+|nvme\d+n\d+|mmcblk\d+)$/;

/** Sectors (always 512 bytes in diskstats) read and written per whole disk. */
export function parseDiskstats(text: string): Array<{ name: string; readBytes: number; writeBytes: number }> {
  const out: Array<{ name: string; readBytes: number; writeBytes: number }> = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || !WHOLE_DISK.test(f[2]!)) continue;
    // major minor name reads merged sectors_read ms writes merged sectors_written …
    out.push({ name: f[2]!, readBytes: Number(f[5]) * 512, writeBytes: Number(f[9]) * 512 });
  }
  return out;
}

/** The files one tick prints, in the order of SAMPLER_FILES, each after a "@@name" line. */
export const SAMPLER_FILES = ['stat', 'meminfo', 'net/dev', 'diskstats'] as const;

/** One tick's output ("@@stat\n…@@diskstats\n…") → a reading. Loopback traffic is not the host's. */
export function parseTick(frame: string): ProcReading {
  const parts = new Map<string, string>();
  for (const chunk of frame.split(/^@@/m).slice(1)) {
    const nl = chunk.indexOf('\n');
    parts.set(chunk.slice(0, nl), chunk.slice(nl + 1));
  }
  const need = (name: string) => {
    const p = parts.get(name);
    if (p === undefined) throw new Error(`the sampler's tick lacks /proc/${name}`);
    return p;
  };
  const cpu = parseProcStat(need('stat'));
  const mem = parseMeminfo(need('meminfo'));
  const nets = parseNetDev(need('net/dev')).filter((n) => n.name !== 'lo');
  const disks = parseDiskstats(need('diskstats'));
  const total = mem['MemTotal'] ?? 0;
  // Kernels before 3.14 lack MemAvailable: free + buffers + page cache is the old estimate.
  const available = mem['MemAvailable'] ?? (mem['MemFree'] ?? 0) + (mem['Buffers'] ?? 0) + (mem['Cached'] ?? 0);
  return {
    cpuBusy: cpu.busy,
    cpuTotal: cpu.total,
    memTotalKiB: total,
    memUsedKiB: total - available,
    netRxBytes: nets.reduce((a, n) => a + n.rx, 0),
    netTxBytes: nets.reduce((a, n) => a + n.tx, 0),
    diskReadBytes: disks.reduce((a, d) => a + d.readBytes, 0),
    diskWriteBytes: disks.reduce((a, d) => a + d.writeBytes, 0),
  };
}

export interface HostRates {
  cpuPct: number | null;
  memUsedKiB: number;
  memTotalKiB: number;
  netRxBps: number | null;
  netTxBps: number | null;
  diskRdBps: number | null;
  diskWrBps: number | null;
}

/** Rates between two readings `seconds` apart; null without a previous reading (or after a counter reset). */
export function ratesBetween(prev: ProcReading | undefined, cur: ProcReading, seconds: number): HostRates {
  const rate = (a: number | undefined, b: number) => (a === undefined || b < a || seconds <= 0 ? null : (b - a) / seconds);
  const dt = prev ? cur.cpuTotal - prev.cpuTotal : 0;
  return {
    cpuPct: prev && dt > 0 ? Math.min(100, Math.max(0, ((cur.cpuBusy - prev.cpuBusy) / dt) * 100)) : null,
    memUsedKiB: cur.memUsedKiB,
    memTotalKiB: cur.memTotalKiB,
    netRxBps: rate(prev?.netRxBytes, cur.netRxBytes),
    netTxBps: rate(prev?.netTxBytes, cur.netTxBytes),
    diskRdBps: rate(prev?.diskReadBytes, cur.diskReadBytes),
    diskWrBps: rate(prev?.diskWriteBytes, cur.diskWriteBytes),
  };
}
