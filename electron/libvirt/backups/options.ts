/**
 * What a backup of this VM can be now, decided before anything changes: running → `backup-begin`
 * (push mode), shut off → copies of the volumes; which disks; whether a checkpoint can be made and
 * whether the next backup can be incremental (libvirt 9.0 / QEMU 7.2 accept checkpoints on qcow2
 * v3 files only: "Cannot store dirty bitmaps in qcow2 v2 files"; raw disks get full backups).
 * https://libvirt.org/kbase/incremental-backup.html
 */
import type { Backup, BackupOptions } from '../../../shared/model/backup';
import type { HostConnection } from '../../hosts/host-connection';
import { parseKeyValueTable } from '../../virsh/parse/keyValue';
import { parseSnapshotNames } from '../../virsh/parse/snapshot';
import { parseVolumeXml } from '../../virsh/parse/storage';
import { domainStatus, inactiveXml, liveXml } from '../domain-config';
import { listPools } from '../pools';
import { vmFacts } from '../snapshot-capabilities';
import { backupPools, listBackups } from './store';

export interface BackupDiskFacts {
  target: string;
  source: string;
  format: string;
  capacity: number | null;
  /** qcow2 compat level from the volume XML ("1.1"), null when not a pool volume or not qcow2. */
  compat: string | null;
}

export interface VmBackupState {
  name: string;
  running: boolean;
  /** The inactive definition (saved with the backup). */
  inactive: string;
  disks: BackupDiskFacts[];
  skipped: { target: string; reason: string }[];
  checkpoints: string[];
  /** Internal snapshots: QEMU 7.2 cannot revert to them while a checkpoint's dirty bitmap exists. */
  internalSnapshots: string[];
}

async function diskFacts(host: HostConnection, uuid: string, d: { target: string; source: string; format: string }): Promise<BackupDiskFacts> {
  const [info, vol] = await Promise.all([
    host.run(['virsh', 'domblkinfo', '--domain', uuid, '--device', d.target], { allowFailure: true }),
    host.run(['virsh', 'vol-dumpxml', '--vol', d.source], { allowFailure: true }),
  ]);
  const cap = info.code === 0 ? Number(parseKeyValueTable(info.stdout)['Capacity']) : NaN;
  let compat: string | null = null;
  if (vol.code === 0) {
    const v = parseVolumeXml(vol.stdout);
    if (v.format === 'qcow2') compat = v.compat ?? '0.10';
  }
  return { ...d, capacity: Number.isFinite(cap) ? cap : null, compat };
}

export async function vmBackupState(host: HostConnection, uuid: string): Promise<VmBackupState> {
  const status = await domainStatus(host, uuid);
  const [xml, inactive, cps, internal] = await Promise.all([
    status.running ? liveXml(host, uuid) : inactiveXml(host, uuid),
    inactiveXml(host, uuid),
    host.run(['virsh', 'checkpoint-list', '--domain', uuid, '--name'], { allowFailure: true }),
    host.run(['virsh', 'snapshot-list', '--domain', uuid, '--internal', '--name'], { allowFailure: true }),
  ]);
  const facts = vmFacts(xml);
  const skipped: VmBackupState['skipped'] = [];
  const files: { target: string; source: string; format: string }[] = [];
  for (const d of facts.disks) {
    if (d.type !== 'file' || !d.source) skipped.push({ target: d.target, reason: `a ${d.type} disk is not a file: Virtdeck backs up file disks only` });
    else files.push({ target: d.target, source: d.source, format: d.format });
  }
  const disks = await Promise.all(files.map((d) => diskFacts(host, uuid, d)));
  return { name: facts.name, running: status.running, inactive, disks, skipped, checkpoints: cps.code === 0 ? parseSnapshotNames(cps.stdout) : [], internalSnapshots: internal.code === 0 ? parseSnapshotNames(internal.stdout) : [] };
}

/** Why this backup cannot make a checkpoint, or null when it can. */
export function checkpointRefusal(vm: VmBackupState): string | null {
  if (!vm.running) return 'checkpoints are made with backup-begin, which needs the VM running; a shut-off VM is backed up by copying its volumes';
  if (vm.disks.length === 0) return 'this VM has no file disk to back up';
  // Checked on libvirt 9.0 / QEMU 7.2: with a checkpoint, reverting to an internal snapshot fails ("Device has active dirty bitmaps").
  if (vm.internalSnapshots.length > 0)
    return `this VM has internal snapshots (${vm.internalSnapshots.join(', ')}): while a checkpoint exists QEMU 7.2 cannot revert to them ("Device has active dirty bitmaps"), so its backups stay full`;
  const notV3 = vm.disks.find((d) => d.format !== 'qcow2' || d.compat !== '1.1');
  if (notV3)
    return notV3.format !== 'qcow2'
      ? `disk ${notV3.target} is ${notV3.format}: only qcow2 disks can keep the dirty bitmap an incremental backup needs (raw disks get full backups)`
      : `disk ${notV3.target} is qcow2 ${notV3.compat === null ? 'outside a pool (its version is unknown)' : `v2 (compat ${notV3.compat})`}: QEMU stores dirty bitmaps in qcow2 v3 (compat 1.1) files only`;
  return null;
}

/** The newest backup whose checkpoint still exists on the VM, with the same disks: the parent of an incremental one. */
export function incrementalParent(vm: VmBackupState, backups: readonly Backup[]): { parent: Backup | null; reason: string | null } {
  const refusal = checkpointRefusal(vm);
  if (refusal !== null) return { parent: null, reason: refusal };
  const targets = vm.disks.map((d) => d.target).sort().join(',');
  const parent = backups.find((b) => b.status === 'complete' && b.checkpoint !== null && vm.checkpoints.includes(b.checkpoint) && b.disks.map((d) => d.target).sort().join(',') === targets);
  if (!parent) return { parent: null, reason: 'no earlier backup of these disks has a checkpoint on this VM: the first backup is full' };
  return { parent, reason: null };
}

export async function backupOptions(host: HostConnection, uuid: string): Promise<BackupOptions> {
  const [vm, pools, backups] = await Promise.all([vmBackupState(host, uuid), listPools(host), listBackups(host, uuid)]);
  const inc = incrementalParent(vm, backups);
  const cp = checkpointRefusal(vm);
  return {
    running: vm.running,
    method: vm.running ? 'backup-begin' : 'vol-copy',
    pools: backupPools(pools).map((p) => ({ name: p.name, path: p.targetPath, available: p.available === null ? null : Number(p.available) })),
    disks: vm.disks.map((d) => ({ target: d.target, source: d.source, format: d.format, capacity: d.capacity })),
    skipped: vm.skipped,
    incremental: { ok: inc.parent !== null, parent: inc.parent?.id ?? null, reason: inc.reason },
    checkpoint: { ok: cp === null, reason: cp },
  };
}
