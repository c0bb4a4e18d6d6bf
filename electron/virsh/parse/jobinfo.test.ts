import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJobStats, progressFromStats } from './jobinfo';

// `virsh domjobinfo --domain vd-test-migl-one --rawstats` during a live migration limited to
// 1 MiB/s with migrate-setmaxdowntime 300 (libvirt 9.0.0, QEMU 7.2, 128 MiB TCG guest).
const mid = readFileSync(join(__dirname, 'fixtures', 'domjobinfo-rawstats-migration.txt'), 'utf8');

describe('domjobinfo --rawstats', () => {
  it('reads the job type number as its name and every field', () => {
    const s = parseJobStats(mid);
    expect(s.type).toBe('Unbounded');
    expect(s.fields).toMatchObject({ operation: 5, time_elapsed: 1170, downtime: 300, data_total: 151592960, data_processed: 428916, data_remaining: 150228992, memory_bps: 1070099, disk_total: 0 });
  });
  it('progress of the memory phase: figures, and an ETA from what remains at the current rate', () => {
    expect(progressFromStats(parseJobStats(mid))).toEqual({
      phase: 'memory', dataProcessed: 428916, dataRemaining: 150228992, dataTotal: 151592960, bandwidthBps: 1070099, dirtyRatePps: 0, expectedDowntimeMs: 300, etaSeconds: 141,
    });
  });
  it('the disk phase while storage is copied before any memory', () => {
    const p = progressFromStats(parseJobStats('Job type: 2\n\ndisk_total: 100\ndisk_processed: 40\ndisk_remaining: 60\ndisk_bps: 20\nmemory_processed: 0\ndata_remaining: 200\n'));
    expect(p).toMatchObject({ phase: 'disks', bandwidthBps: 20, etaSeconds: 10 });
  });
  it('no job: "Job type: 0" (what virsh prints for an idle VM)', () => {
    expect(parseJobStats('Job type: 0\n\n')).toEqual({ type: 'None', fields: {} });
  });

  // `virsh domjobinfo --rawstats` (and `--completed --keep-completed --rawstats`) of a push-mode
  // backup-begin of a 256 MiB qcow2 disk: mid-job, completed, and after domjobabort (libvirt 9.0.0).
  const fx = (n: string) => readFileSync(join(__dirname, 'fixtures', `domjobinfo-rawstats-backup${n}.txt`), 'utf8');
  it('a running backup job: disk_processed of disk_total', () => {
    const s = parseJobStats(fx(''));
    expect(s.type).toBe('Unbounded');
    expect(s.fields).toMatchObject({ operation: 9, disk_total: 268435456, disk_processed: 69206016 });
    expect(s.errmsg).toBeUndefined();
  });
  it('a finished backup job: Completed; a cancelled one: Cancelled with its errmsg', () => {
    expect(parseJobStats(fx('-completed'))).toMatchObject({ type: 'Completed', fields: { success: 1, disk_processed: 268435456 } });
    expect(parseJobStats(fx('-cancelled'))).toMatchObject({ type: 'Cancelled', fields: { success: 0 }, errmsg: 'Operation canceled' });
  });
});
