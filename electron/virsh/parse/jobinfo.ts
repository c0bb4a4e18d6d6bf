/**
 * `virsh domjobinfo --rawstats` (and `--completed --rawstats`): the job's typed parameters, one
 * "field: value" line each after the "Job type:" line (tools/virsh-domain.c cmdDomjobinfo). Field
 * names are libvirt's VIR_DOMAIN_JOB_* constants: https://libvirt.org/html/libvirt-libvirt-domain.html#VIR_DOMAIN_JOB_DATA_PROCESSED
 */
import type { MigrationProgress } from '../../../shared/model/migration';
import { parseKeyValueTable } from './keyValue';

export interface JobStats {
  /**
   * "None", "Bounded", "Unbounded", "Completed", "Failed", "Cancelled". With --rawstats virsh
   * prints the virDomainJobType number ("Job type: 2"); this is its name.
   */
  type: string;
  /** Every numeric field by its libvirt name (time_elapsed, data_processed, memory_dirty_rate…). */
  fields: Record<string, number>;
  /** VIR_DOMAIN_JOB_ERRMSG: why a failed job failed (a string field, so not in `fields`). */
  errmsg?: string;
}

const JOB_TYPES = ['None', 'Bounded', 'Unbounded', 'Completed', 'Failed', 'Cancelled'];

export function parseJobStats(out: string): JobStats {
  const raw = parseKeyValueTable(out);
  const t = (raw['Job type'] ?? '').trim();
  const type = /^\d+$/.test(t) ? JOB_TYPES[Number(t)] ?? t : t;
  const fields: Record<string, number> = {};
  for (const [k, v] of Object.entries(raw)) {
    const t = v.trim();
    if (k !== 'Job type' && /^-?\d+(\.\d+)?$/.test(t)) fields[k.trim()] = Number(t);
  }
  const errmsg = raw['errmsg']?.trim();
  return errmsg ? { type, fields, errmsg } : { type, fields };
}

/**
 * Progress for the dialog: the disk phase while storage is copied (libvirt copies the disks
 * before memory), then the memory phase. ETA from what remains at the current bandwidth.
 */
export function progressFromStats(s: JobStats): Omit<MigrationProgress, 'jobId'> {
  const f = s.fields;
  const diskLeft = f['disk_remaining'] ?? 0;
  const inDisks = (f['disk_total'] ?? 0) > 0 && diskLeft > 0 && (f['memory_processed'] ?? 0) === 0;
  const bps = inDisks ? f['disk_bps'] ?? f['memory_bps'] : f['memory_bps'];
  const remaining = f['data_remaining'];
  const p: Omit<MigrationProgress, 'jobId'> = { phase: inDisks ? 'disks' : 'memory' };
  const set = <K extends keyof typeof p>(k: K, v: (typeof p)[K] | undefined) => {
    if (v !== undefined) p[k] = v;
  };
  set('dataProcessed', f['data_processed']);
  set('dataRemaining', remaining);
  set('dataTotal', f['data_total']);
  set('bandwidthBps', bps);
  set('dirtyRatePps', f['memory_dirty_rate']);
  set('expectedDowntimeMs', f['downtime']);
  if (remaining !== undefined && bps) set('etaSeconds', Math.ceil(remaining / bps));
  return p;
}
