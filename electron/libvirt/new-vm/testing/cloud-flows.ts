/**
 * The cloud image flows both cloud-image integration tests run (locally and over SSH): a pool
 * holding the provisioned cloud image (e2e/host/provision.sh, section 4c), and the checks of
 * one create → first boot with the seed → final configuration cycle.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { NewVmSpecInput } from '../../../../shared/model/newvm';
import type { Harness } from '../../../../e2e/support/backend-harness';
import { serialConsole, virsh, type NewVmEnv } from './new-vm-env';

export const MiB = 1024 * 1024;
export const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl vd@test';
export const CLOUD_IMAGE_VOLUME = 'cloud image.qcow2';

export interface CloudPool {
  uuid: string;
  name: string;
  dir: string;
  vols(): string[];
  remove(): void;
}

/** A running dir pool (name with a space) holding a copy of the provisioned cloud image. */
export function makeCloudPool(env: NewVmEnv & { STATE_DIR: string }, tag: string): CloudPool {
  const image = join(env.STATE_DIR, 'guest', 'cloud-image.qcow2');
  const dir = mkdtempSync(join(tmpdir(), 'vd-cloud-'));
  const poolDir = join(dir, 'pool dir');
  mkdirSync(poolDir);
  copyFileSync(image, join(poolDir, CLOUD_IMAGE_VOLUME));
  const name = `vd-test-cloudinit pool ${tag}`;
  virsh('pool-destroy', '--pool', name);
  const created = virsh('pool-create-as', '--name', name, '--type', 'dir', '--target', poolDir);
  if (created.status !== 0) throw new Error(`${created.stderr} (run e2e/host/provision.sh: it builds ${image})`);
  const uuid = virsh('pool-uuid', '--pool', name).stdout.trim();
  return {
    uuid,
    name,
    dir: poolDir,
    vols: () => {
      virsh('pool-refresh', '--pool', uuid);
      return virsh('vol-list', '--pool', uuid).stdout.split('\n').slice(2).map((l) => l.trim().split(/\s{2,}/)[0]!).filter(Boolean);
    },
    remove: () => {
      virsh('pool-destroy', '--pool', uuid);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function cloudSpec(name: string, pool: CloudPool, over: { linked: boolean; machine: 'pc' | 'q35'; sizeBytes: number; cloudInit: Record<string, unknown> }): NewVmSpecInput {
  return {
    name,
    source: { kind: 'cloud', image: { poolUuid: pool.uuid, name: CLOUD_IMAGE_VOLUME }, linked: over.linked, cloudInit: over.cloudInit },
    osId: 'generic-linux',
    memoryMiB: 160,
    vcpus: 1,
    storage: { kind: 'new', poolUuid: pool.uuid, sizeBytes: over.sizeBytes, format: 'qcow2' },
    network: { kind: 'none' },
    domainType: 'qemu',
    machine: over.machine,
  };
}

/**
 * Creates the VM, sees the guest print the seed's host name and instance-id on its serial line,
 * lets its user-data's power_state end the first boot, and checks the final configuration:
 * started again by Virtdeck, without the seed drive, the seed volume deleted, booting to the banner.
 */
export async function createAndBootCloudVm(
  h: Harness,
  hostId: string,
  env: NewVmEnv,
  pool: CloudPool,
  spec: NewVmSpecInput,
  expectLine: string,
  label: string,
): Promise<{ uuid: string }> {
  const plan = await h.call('newvm.plan', { hostId, spec });
  expect(plan.problems).toEqual([]);
  const t0 = Date.now();
  const created = await h.call('newvm.create', { hostId, spec: { ...spec, uuid: plan.uuid } });
  console.log(`${label}: newvm.create (disk from the image, seed built + uploaded, define, start, define final): ${Date.now() - t0} ms`);
  const seedName = `${spec.name}-cidata.iso`;
  const ended = h.next('newvm.phase', (p) => p.uuid === created.uuid && p.phase === 'done', 180_000);
  const con = serialConsole(created.uuid);
  try {
    expect(created.phase).toBe('installing');
    // The first boot runs with the seed; the persistent definition is already the final one.
    const live = virsh('dumpxml', '--domain', created.uuid).stdout;
    expect(live).toContain(`volume='${seedName}'`);
    expect(live).toContain("<alias name='ua-virtdeck-cidata'/>");
    const inactive = virsh('dumpxml', '--domain', created.uuid, '--inactive').stdout;
    expect(inactive).not.toContain(`volume='${seedName}'`);
    expect(inactive).not.toContain("device='cdrom'");
    console.log(`${label}: boot to the seed's line: ${await con.until(expectLine.replace('IID', `iid-${created.uuid}`), 180_000)} ms`);
  } finally {
    con.close();
  }
  const phase = await ended;
  expect(phase.message).toMatch(/final configuration/);
  expect(phase.message).not.toMatch(/failed/);
  expect(pool.vols()).not.toContain(seedName);
  expect(virsh('domstate', '--domain', created.uuid).stdout.trim()).toBe('running');
  const final = virsh('dumpxml', '--domain', created.uuid).stdout;
  expect(final).not.toContain(`volume='${seedName}'`);
  expect(final).not.toContain("device='cdrom'");
  const again = serialConsole(created.uuid);
  try {
    console.log(`${label}: final configuration to the banner: ${await again.until(env.GUEST_BANNER, 180_000)} ms`);
  } finally {
    again.close();
  }
  return { uuid: created.uuid };
}

/** qemu-img's view of a disk volume (root runs the tests: the pool folder is readable). */
export function imageInfo(path: string): { 'virtual-size': number; 'backing-filename'?: string; format: string } {
  return JSON.parse(spawnSync('qemu-img', ['info', '-U', '--output=json', path], { encoding: 'utf8' }).stdout);
}
