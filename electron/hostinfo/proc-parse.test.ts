/**
 * The host page's live figures come from these parsers. Fixtures: `cat /proc/stat /proc/meminfo
 * /proc/net/dev /proc/diskstats` on the Debian 12 test machine (kernel 6.18, 2 vCPUs, virtio disk
 * vda, eth0, loop and zram devices).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDiskstats, parseMeminfo, parseNetDev, parseProcStat, parseTick, ratesBetween, SAMPLER_FILES } from './proc-parse';

const fx = (f: string) => readFileSync(join(__dirname, 'fixtures', f), 'utf8');
const files: Record<(typeof SAMPLER_FILES)[number], string> = { stat: fx('proc-stat.txt'), meminfo: fx('meminfo.txt'), 'net/dev': fx('net-dev.txt'), diskstats: fx('diskstats.txt') };
const frame = SAMPLER_FILES.map((f) => `@@${f}\n${files[f]}`).join('');

describe('host /proc parsers', () => {
  it('takes busy and total CPU ticks from the aggregate line, idle + iowait as idle', () => {
    expect(parseProcStat(files.stat)).toEqual({ busy: 645741 - 222233, total: 645741 });
  });

  it('reads meminfo in kB', () => {
    const m = parseMeminfo(files.meminfo);
    expect(m['MemTotal']).toBe(24731408);
    expect(m['MemAvailable']).toBe(23566100);
  });

  it('reads received and sent bytes per interface, skipping the two header lines', () => {
    const n = parseNetDev(files['net/dev']);
    expect(n.map((i) => i.name)).toEqual(['lo', 'ifb0', 'ifb1', 'eth0']);
    expect(n.find((i) => i.name === 'eth0')).toEqual({ name: 'eth0', rx: 434080753, tx: 2289842 });
  });

  it('counts whole disks only (no loop or zram), sectors as 512 bytes', () => {
    expect(parseDiskstats(files.diskstats)).toEqual([{ name: 'vda', readBytes: 1618538 * 512, writeBytes: 9696872 * 512 }]);
    expect(parseDiskstats(' 8 0 sda 1 0 2 0 1 0 4 0\n 8 1 sda1 1 0 2 0 1 0 4 0\n 259 0 nvme0n1 1 0 8 0 1 0 8 0\n 259 1 nvme0n1p1 1 0 2 0 1 0 4 0\n 253 0 dm-0 1 0 2 0 1 0 4 0').map((d) => d.name)).toEqual(['sda', 'nvme0n1']);
  });

  it('turns one tick of the sampler into a reading without loopback traffic', () => {
    expect(parseTick(frame)).toEqual({
      cpuBusy: 645741 - 222233,
      cpuTotal: 645741,
      memTotalKiB: 24731408,
      memUsedKiB: 24731408 - 23566100,
      netRxBytes: 434080753,
      netTxBytes: 2289842,
      diskReadBytes: 1618538 * 512,
      diskWriteBytes: 9696872 * 512,
    });
    expect(() => parseTick(frame.replace('@@diskstats', '@@other'))).toThrow(/diskstats/);
  });

  it('gives rates between two readings, and none for the first or after a counter reset', () => {
    const a = parseTick(frame);
    const b = { ...a, cpuBusy: a.cpuBusy + 50, cpuTotal: a.cpuTotal + 200, netRxBytes: a.netRxBytes + 2000, diskWriteBytes: a.diskWriteBytes - 1 };
    expect(ratesBetween(undefined, a, 1).cpuPct).toBeNull();
    const r = ratesBetween(a, b, 2);
    expect(r.cpuPct).toBe(25);
    expect(r.netRxBps).toBe(1000);
    expect(r.netTxBps).toBe(0);
    expect(r.diskWrBps).toBeNull();
    expect(r.memUsedKiB).toBe(24731408 - 23566100);
  });
});
