/**
 * Issue 14 on the real host over SSH: a base image that another VM's disk is built on is shown as
 * kept before Delete is pressed (VM delete plan, storage.volumes.baseOf) and its delete is refused.
 * The overlay is a <disk type='volume'> as New VM's cloud overlays are (domblklist names only the
 * volume there, so the chain walk has to find the volume's file first).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectOverSsh, startHarness, type Harness } from '../../../e2e/support/backend-harness';
import { testHost } from '../../../e2e/support/test-host';
import { makeLinkedPair, PAIR_OVERLAY as OVERLAY, type LinkedPair } from '../testing/guards-pair';

const virsh = (...a: string[]) => spawnSync('virsh', ['-c', 'qemu:///system', ...a], { encoding: 'utf8' });

describe('a base image in use by another VM is kept, and said so before Delete', () => {
  const th = testHost();
  let h: Harness;
  let hostId = '';
  let pair: LinkedPair;
  let BASE_VM: LinkedPair['baseVm'];
  let LINKED_VM: LinkedPair['linkedVm'];
  let poolUuid = '';
  let dir = '';
  const base = () => pair.base;

  beforeAll(async () => {
    pair = makeLinkedPair(th, 'int');
    ({ baseVm: BASE_VM, linkedVm: LINKED_VM, poolUuid, dir } = pair);
    h = await startHarness();
    h.answerPrompts(() => ({ accept: true })); // the host key of 127.0.0.1:2222
    hostId = await connectOverSsh(h, th);
  }, 120_000);

  afterAll(() => {
    h?.close();
    pair?.cleanup();
  });

  it('the VM delete plan marks the disk as the base of the other VM, and the delete refuses it', async () => {
    const t0 = performance.now();
    const plan = await h.call('domains.deletePlan', { hostId, uuid: BASE_VM.uuid });
    const t1 = performance.now();
    await h.call('storage.volumes.baseOf', { hostId, poolUuid, name: 'base.qcow2' });
    console.log(`over SSH, ${virsh('list', '--all', '--name').stdout.trim().split('\n').length} VMs on the host: deletePlan ${(t1 - t0).toFixed(0)} ms, volumes.baseOf ${(performance.now() - t1).toFixed(0)} ms`);
    expect(plan.disks).toEqual([expect.objectContaining({ target: 'vdb', source: base(), baseOf: { vms: [{ uuid: LINKED_VM.uuid, name: LINKED_VM.name, target: 'vdb' }], overlays: [] } })]);
    await expect(h.call('domains.delete', { hostId, uuid: BASE_VM.uuid, deleteSources: [base()] })).rejects.toMatchObject({
      code: 'unsupported',
      message: expect.stringMatching(/base \(backing file\) of “vd-test-guards-int-linked” \(vdb\)/),
    });
    // Refused before anything ran: the VM and its disk are still there.
    expect(virsh('domstate', '--domain', BASE_VM.uuid).status).toBe(0);
    expect(existsSync(base())).toBe(true);
    // The overlay's own VM is nobody's base.
    expect((await h.call('domains.deletePlan', { hostId, uuid: LINKED_VM.uuid })).disks[0]!.baseOf).toBeUndefined();
  });

  it('the volume delete (Storage page) says so first and refuses, also with "delete anyway" ticked', async () => {
    expect(await h.call('storage.volumes.baseOf', { hostId, poolUuid, name: 'base.qcow2' })).toEqual({ vms: [{ uuid: LINKED_VM.uuid, name: LINKED_VM.name, target: 'vdb' }], overlays: [] });
    await expect(h.call('storage.volumes.delete', { hostId, poolUuid, name: 'base.qcow2', confirmInUse: true })).rejects.toMatchObject({ code: 'unsupported', message: expect.stringMatching(/“vd-test-guards-int-linked” \(vdb\)/) });
    await expect(h.call('commands.preview', { name: 'storage.volumes.delete', args: { hostId, poolUuid, name: 'base.qcow2', confirmInUse: true } })).rejects.toMatchObject({ code: 'unsupported' });
    expect(existsSync(base())).toBe(true);
    // The Storage page counts the base as in use by the overlay's VM.
    const vols = await h.call('storage.volumes.list', { hostId, poolUuid });
    expect(vols.find((v) => v.name === 'base.qcow2')!.usedBy.map((u) => u.name)).toContain(LINKED_VM.name);
  });

  it('once the linked VM and its overlay are gone, the base may go', async () => {
    await h.call('domains.delete', { hostId, uuid: LINKED_VM.uuid, deleteSources: [] });
    // The overlay volume alone still holds the base.
    expect(await h.call('storage.volumes.baseOf', { hostId, poolUuid, name: 'base.qcow2' })).toEqual({ vms: [], overlays: [join(dir, OVERLAY)] });
    await h.call('storage.volumes.delete', { hostId, poolUuid, name: OVERLAY });
    expect(await h.call('storage.volumes.baseOf', { hostId, poolUuid, name: 'base.qcow2' })).toBeNull();
    expect((await h.call('domains.deletePlan', { hostId, uuid: BASE_VM.uuid })).disks[0]!.baseOf).toBeUndefined();
  });
});
