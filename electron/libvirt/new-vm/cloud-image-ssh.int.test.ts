/**
 * New VM from a cloud image over SSH (qemu+ssh to the test host's sshd, non-root user in group
 * libvirt): the seed is streamed over the SSH channel, the host's cloud-init checks user-data
 * with the text on stdin, and the guest reads the seed from a virtio-scsi CD-ROM (q35), from a
 * full copy of the image grown to the size asked for.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectOverSsh, startHarness, type Harness } from '../../../e2e/support/backend-harness';
import { testHost } from '../../../e2e/support/test-host';
import { cloudSpec, createAndBootCloudVm, imageInfo, KEY, makeCloudPool, MiB, type CloudPool } from './testing/cloud-flows';
import { newVmEnv, removeVms, vmNames, type NewVmEnv } from './testing/new-vm-env';

const PREFIX = 'vd-test-cloudinit-ssh';

describe('New VM from a cloud image over SSH', () => {
  const env = newVmEnv() as NewVmEnv & { STATE_DIR: string };
  let h: Harness;
  let id: string;
  let pool: CloudPool;

  beforeAll(async () => {
    removeVms(PREFIX);
    pool = makeCloudPool(env, 'ssh');
    h = await startHarness();
    h.answerPrompts(() => ({ accept: true }));
    id = await connectOverSsh(h, testHost());
  });
  afterAll(() => {
    h?.close();
    removeVms(PREFIX);
    pool?.remove();
  });

  it('full copy + seed on virtio-scsi (q35): hostname and instance-id on serial; power_state poweroff ends the first boot; final configuration boots without the seed', async () => {
    const name = `${PREFIX} copy`;
    const spec = cloudSpec(name, pool, {
      linked: false,
      machine: 'q35',
      sizeBytes: 80 * MiB,
      cloudInit: { userName: 'carol', password: 'over ssh', sshKeys: [KEY, KEY.replace('vd@test', 'second')], hostname: 'cloud-ssh.example.org', userData: '#cloud-config\npower_state:\n  mode: poweroff\n' },
    });
    const t0 = Date.now();
    const plan = await h.call('newvm.plan', { hostId: id, spec });
    console.log(`newvm.plan over SSH (incl. cloud-init schema on the host): ${Date.now() - t0} ms`);
    expect(plan.problems).toEqual([]);
    expect(plan.seed!.schemaChecked).not.toBeNull();
    expect(plan.seed!.userData).toContain('fqdn: cloud-ssh.example.org');
    expect(plan.commands.map((c) => c.argv[c.argv.indexOf('-c') + 2])).toEqual(['vol-create-from', 'vol-resize', 'vol-create-as', 'vol-upload', 'define', 'start', 'define']);
    await createAndBootCloudVm(h, id, env, pool, spec, 'VIRTDECK-CLOUD seed hostname=cloud-ssh instance-id=IID user=carol keys=2 header=#cloud-config on sr0', 'SSH, virtio-scsi seed');
    const disk = imageInfo(join(pool.dir, `${name}.qcow2`));
    expect(disk['virtual-size']).toBe(80 * MiB);
    expect(disk['backing-filename']).toBeUndefined();
  }, 420_000);

  it('bad user-data over SSH: the host’s cloud-init schema refuses it, nothing is created', async () => {
    const spec = cloudSpec(`${PREFIX} bad`, pool, { linked: true, machine: 'pc', sizeBytes: 64 * MiB, cloudInit: { userData: '#cloud-config\nusers: 7\n' } });
    const before = pool.vols();
    const plan = await h.call('newvm.plan', { hostId: id, spec });
    expect(plan.problems).toEqual([{ field: 'cloudInit', message: expect.stringMatching(/The host’s cloud-init refuses the user-data: .*users/) }]);
    await expect(h.call('newvm.create', { hostId: id, spec })).rejects.toMatchObject({ code: 'invalid_args' });
    expect(pool.vols()).toEqual(before);
    expect(vmNames(`${PREFIX} bad`)).toEqual([]);
  }, 120_000);
});
