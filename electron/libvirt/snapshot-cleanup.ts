/**
 * Deleting snapshots without losing a disk. libvirt deletes internal data and merges external
 * overlays itself; libvirt 9.0 leaves an external snapshot's memory file on disk, and fails to
 * delete a memory-only external snapshot. Virtdeck removes such a memory file through its pool
 * (`vol-delete`, so a non-root SSH user can), but only when no remaining snapshot and not the VM
 * uses it, and says so. https://libvirt.org/kbase/snapshots.html#deleting-snapshots
 */
import { posix } from 'node:path';
import type { DeleteImpact, DeleteScope, Snapshot } from '../../shared/model/snapshot';
import type { Pool } from '../../shared/model/storage';
import type { HostConnection } from '../hosts/host-connection';
import type { Step } from './plan';
import { listPools } from './pools';
import { findSnapshot, listSnapshots } from './snapshots';
import { liveXml, domainStatus, inactiveXml } from './domain-config';
import { vmFacts } from './snapshot-capabilities';

/** The snapshot and everything below it, parents before children. */
export function descendants(snaps: readonly Snapshot[], name: string): string[] {
  const out: string[] = [];
  const walk = (n: string) => {
    for (const c of snaps.filter((s) => s.parent === n)) {
      out.push(c.name);
      walk(c.name);
    }
  };
  walk(name);
  return out;
}

/** Which snapshots a scope removes (metadata: the one, its files untouched). */
export function removedBy(snaps: readonly Snapshot[], name: string, scope: DeleteScope): string[] {
  findSnapshot(snaps, name);
  if (scope === 'children-only') return descendants(snaps, name);
  if (scope === 'children') return [name, ...descendants(snaps, name)];
  return [name];
}

/** A memory-only external snapshot: libvirt 9.0 cannot delete it, only forget it (--metadata). */
const memoryOnly = (s: Snapshot) => s.location === 'external' && s.files.every((f) => f.role === 'memory');

export interface DeletePlan {
  impact: DeleteImpact;
  steps: Step[];
}

/** The nearest ancestor that snapshotted `disk`: libvirt merges an overlay into what it left. */
function ancestorFor(snaps: readonly Snapshot[], s: Snapshot, disk: string): Snapshot | undefined {
  for (let p = snaps.find((x) => x.name === s.parent); p; p = snaps.find((x) => x.name === p!.parent)) if (p.files.some((f) => f.disk === disk)) return p;
  return undefined;
}

/**
 * Why libvirt 9.x would refuse to delete this external snapshot, or why Virtdeck does: libvirt
 * merges the overlay of the current snapshot or one with children, into its parent's image —
 * which an internal parent cannot take; a leaf that is not current has its overlays deleted
 * outright (qemuSnapshotDeleteExternalPrepare), so none of them may still be in use.
 * https://gitlab.com/libvirt/libvirt/-/issues/734 (a base image lost that way)
 */
function externalRefusal(snaps: readonly Snapshot[], s: Snapshot, kept: readonly Snapshot[], vmFiles: readonly string[]): string | undefined {
  const merge = s.current || snaps.some((c) => c.parent === s.name);
  for (const f of s.files.filter((x) => x.role === 'overlay')) {
    if (merge) {
      if (ancestorFor(snaps, s, f.disk ?? '')?.location === 'internal') return 'deleting external snapshot that has internal snapshot as parent not supported';
      continue;
    }
    if (vmFiles.includes(f.path)) return `libvirt would delete ${f.path}, which the VM still uses`;
    const user = kept.find((k) => k.uses.includes(f.path));
    if (user) return `libvirt would delete ${f.path}, which snapshot "${user.name}" still needs`;
  }
  return undefined;
}

/**
 * Pure: what goes and stays, and the steps. `vmFiles` are the disks the VM uses now; `pools` tell
 * which directory a memory file can be removed through.
 */
export function planDelete(uuid: string, snaps: readonly Snapshot[], name: string, scope: DeleteScope, vmFiles: readonly string[], pools: readonly Pool[]): DeletePlan {
  const gone = new Set(removedBy(snaps, name, scope));
  const goes: DeleteImpact['goes'] = [];
  const stays: DeleteImpact['stays'] = [];
  const steps: Step[] = [];
  const target = findSnapshot(snaps, name);
  const metadataOnly = scope === 'metadata' || (scope === 'one' && memoryOnly(target) && descendants(snaps, name).length === 0);
  const flag = scope === 'children' ? ['--children'] : scope === 'children-only' ? ['--children-only'] : metadataOnly ? ['--metadata'] : [];
  steps.push({ argv: ['snapshot-delete', '--domain', uuid, '--snapshotname', name, ...flag] });
  if (scope === 'metadata') {
    for (const f of target.files) stays.push({ path: f.path, why: 'metadata-only' });
    return { impact: { snapshots: [name], goes, stays }, steps };
  }
  const kept = snaps.filter((s) => !gone.has(s.name));
  const refreshed = new Set<string>();
  let refusal: string | undefined;
  const removed = snaps.filter((x) => gone.has(x.name));
  if (scope !== 'one' && removed.some((x) => x.location === 'external' && !memoryOnly(x)))
    refusal = 'Virtdeck deletes external snapshots one at a time, so that libvirt merges each overlay where it belongs';
  for (const s of removed) {
    const merge = s.current || snaps.some((c) => c.parent === s.name);
    if (s.location === 'external' && !metadataOnly) refusal ??= externalRefusal(snaps, s, kept, vmFiles);
    for (const f of s.files) {
      if (f.role === 'internal') goes.push({ path: f.path, how: 'internal-data' });
      else if (f.role === 'overlay') goes.push({ path: f.path, how: merge ? 'libvirt-merges' : 'libvirt-deletes' });
      else if (kept.some((k) => k.files.some((kf) => kf.path === f.path))) stays.push({ path: f.path, why: 'used-by-snapshot' });
      else if (vmFiles.includes(f.path)) stays.push({ path: f.path, why: 'used-by-vm' });
      else {
        const pool = pools.find((p) => p.state === 'running' && p.targetPath !== null && posix.normalize(p.targetPath) === posix.dirname(f.path));
        if (!pool) {
          stays.push({ path: f.path, why: 'not-in-pool' });
          continue;
        }
        goes.push({ path: f.path, how: 'virtdeck-removes' });
        // libvirt wrote the file behind the pool's back: the pool learns of it on refresh.
        if (!refreshed.has(pool.uuid)) steps.push({ argv: ['pool-refresh', '--pool', pool.uuid] });
        refreshed.add(pool.uuid);
        steps.push({ argv: ['vol-delete', '--pool', pool.uuid, '--vol', posix.basename(f.path)] });
      }
    }
  }
  if (refusal !== undefined) return { impact: { snapshots: [...gone], goes, stays, refusal }, steps: [] };
  return { impact: { snapshots: [...gone], goes, stays }, steps };
}

export async function loadDeletePlan(host: HostConnection, uuid: string, name: string, scope: DeleteScope): Promise<DeletePlan> {
  const status = await domainStatus(host, uuid);
  const [snaps, xml, pools] = await Promise.all([listSnapshots(host, uuid), status.running ? liveXml(host, uuid) : inactiveXml(host, uuid), listPools(host)]);
  const vmFiles = vmFacts(xml).files;
  return planDelete(uuid, snaps, name, scope, vmFiles, pools);
}
