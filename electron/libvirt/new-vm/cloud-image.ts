/**
 * Source "cloud image": the new disk made from the image (a qcow2 overlay on it, or a full copy,
 * grown to the size asked for) and the cloud-init seed uploaded next to it as a small volume,
 * attached as a CD-ROM for the first boot only. Steps, undo and checks for planning.ts.
 * Overlays: https://libvirt.org/kbase/backing_chains.html ; vol-create-from / vol-upload:
 * https://www.libvirt.org/manpages/virsh.html#storage-volume-commands
 */
import type { CloudImageSource, SeedPreview } from '../../../shared/model/cloud-init';
import type { NewVmSpec } from '../../../shared/model/newvm';
import type { Pool } from '../../../shared/model/storage';
import type { HostConnection } from '../../hosts/host-connection';
import { newVolumeXml } from '../volume-xml';
import { createVolumeSteps, volumeXml } from '../volumes';
import { planSeed } from './cloud-init/seed';
import type { BuildInput } from './domain-build';
import { tryVirsh, volumeBackingProblem } from './media';
import type { PlannedStep } from './planning';

export interface CloudPlan {
  disk: BuildInput['disk'];
  cdrom: BuildInput['cdrom'];
  steps: PlannedStep[];
  createdVolumes: BuildInput['createdVolumes'];
  seed: SeedPreview | null;
}

/** The seed volume's name, next to the disk: "<vm name>-cidata.iso". */
export const seedVolumeName = (vmName: string) => `${vmName}-cidata.iso`;

export async function planCloudImage(
  host: HostConnection,
  pools: readonly Pool[],
  spec: NewVmSpec,
  src: CloudImageSource,
  uuid: string,
  problem: (field: string, message: string) => void,
): Promise<CloudPlan> {
  const out: CloudPlan = { disk: null, cdrom: null, steps: [], createdVolumes: [], seed: null };
  const seed = await planSeed(host, src.cloudInit, { name: spec.name, uuid });
  for (const p of seed.problems) problem('cloudInit', p);

  const st = spec.storage;
  if (st.kind !== 'new') {
    problem('storage', 'A cloud image needs a new disk made from it: choose a pool and a size.');
    return out;
  }
  if (st.format !== 'qcow2') problem('storage', 'The disk made from a cloud image is qcow2 (an overlay, or a copy that can grow).');
  const imagePool = pools.find((p) => p.uuid === src.image.poolUuid);
  const pool = pools.find((p) => p.uuid === st.poolUuid);
  if (!imagePool || imagePool.state !== 'running') {
    problem('source', imagePool ? `The pool “${imagePool.name}” of the cloud image is not running.` : `There is no pool ${src.image.poolUuid} on this host.`);
    return out;
  }
  const image = await volumeXml(host, src.image.poolUuid, src.image.name).catch((e: unknown) => {
    problem('source', `There is no volume “${src.image.name}” in the pool “${imagePool.name}”: ${(e as Error).message}`);
    return null;
  });
  if (!image || !pool || pool.state !== 'running') return out; // planning.ts reports the disk pool
  const format = image.format === 'qcow2' || image.format === 'raw' ? image.format : null;
  if (!format) problem('source', `The cloud image “${src.image.name}” is ${image.format ?? 'of an unknown format'}; Virtdeck takes qcow2 or raw images.`);
  const bad = format ? await volumeBackingProblem(host, pools, src.image.poolUuid, src.image.name, format) : null;
  if (bad) problem('source', bad);
  const imageBytes = BigInt(image.capacity ?? '0');
  if (BigInt(st.sizeBytes) < imageBytes) problem('storage', `The cloud image is ${image.capacity} bytes; the new disk cannot be smaller (asked: ${st.sizeBytes} bytes).`);
  if (src.linked && src.image.poolUuid === st.poolUuid && (st.name ?? '') === src.image.name) problem('storage', 'The new disk cannot have the cloud image’s own name.');

  const diskName = st.name ?? `${spec.name}.qcow2`;
  const seedName = seedVolumeName(spec.name);
  if ((await tryVirsh(host, ['vol-path', '--pool', st.poolUuid, '--vol', seedName])).ok) problem('cloudInit', `The pool “${pool.name}” already has a volume “${seedName}”.`);
  const delDisk = { argv: ['vol-delete', '--pool', st.poolUuid, '--vol', diskName] };
  const diskUndo = `deleted the new volume “${diskName}” in “${pool.name}”`;
  if (src.linked) {
    // The image becomes a read-only backing file: libvirt opens backing images read-only.
    for (const step of createVolumeSteps(st.poolUuid, { name: diskName, format: 'qcow2', capacity: st.sizeBytes, preallocation: st.preallocation, backingPath: image.path, backingFormat: format ?? 'qcow2' }))
      out.steps.push({ step, undo: delDisk, undoText: diskUndo });
  } else {
    // vol-create-from converts the image into a new qcow2 of the image's size (libvirt 9.0 does
    // not grow it to a larger <capacity>), so a vol-resize follows when more was asked for.
    const volXml = newVolumeXml({ name: diskName, capacity: image.capacity ?? String(st.sizeBytes), format: 'qcow2' });
    out.steps.push({
      step: { argv: ['vol-create-from', '--pool', st.poolUuid, '--file', '/dev/stdin', '--inputpool', src.image.poolUuid, '--vol', src.image.name], stdin: volXml, long: true },
      undo: delDisk,
      undoText: diskUndo,
    });
    if (BigInt(st.sizeBytes) > imageBytes) out.steps.push({ step: { argv: ['vol-resize', '--pool', st.poolUuid, '--vol', diskName, '--capacity', String(st.sizeBytes)] }, undo: null, undoText: null });
  }
  out.createdVolumes.push({ poolUuid: st.poolUuid, name: diskName });
  out.disk = { source: { pool: pool.name, volume: diskName }, format: 'qcow2' };

  if (seed.problems.length === 0) {
    const delSeed = { argv: ['vol-delete', '--pool', st.poolUuid, '--vol', seedName] };
    const seedUndo = `deleted the seed volume “${seedName}”`;
    out.steps.push({
      // Sparse raw volume of exactly the image's size, filled by the upload (as transfers.ts does).
      step: { argv: ['vol-create-as', '--pool', st.poolUuid, '--name', seedName, '--capacity', String(seed.bytes), '--allocation', '0', '--format', 'raw'] },
      undo: delSeed,
      undoText: seedUndo,
    });
    out.steps.push({
      step: { argv: ['vol-upload', '--pool', st.poolUuid, '--vol', seedName, '--file', '/dev/stdin'], stdinFile: `cloud-init seed (ISO9660, label cidata, ${seed.bytes} bytes) built by Virtdeck` },
      undo: null,
      undoText: null,
      data: seed.build,
    });
    out.createdVolumes.push({ poolUuid: st.poolUuid, name: seedName, installOnly: true });
    out.cdrom = { source: { pool: pool.name, volume: seedName }, seed: true };
  }
  out.seed = { ...seed.shown, bytes: seed.bytes, volume: seedName, schemaChecked: seed.schemaChecked };
  return out;
}

