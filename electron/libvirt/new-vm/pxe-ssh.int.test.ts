/**
 * PXE through the wizard's backend over SSH (qemu+ssh to the test host's sshd as the non-root test
 * user in group libvirt), under TCG: the isolated TFTP network is made over SSH (its folder checked
 * by `stat` run as that user on the host), the VM boots from it to PXELINUX on serial, then its final
 * configuration boots the disk. The local twin is pxe.int.test.ts.
 */
import { chmodSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectOverSsh, startHarness, type Harness } from '../../../e2e/support/backend-harness';
import { testHost } from '../../../e2e/support/test-host';
import { makeTestPool, newVmEnv, removeVms, virsh, type TestPool } from './testing/new-vm-env';
import { createAndBootPxeVm, makeTftpRoot, pxeSpec, removeNetworks, type TftpRoot } from './testing/pxe-flows';

const PREFIX = 'vd-test-netinst-pxessh';
const NET = `${PREFIX} net`;
/** Another /24 than the local test's (192.168.213.0/24): both may exist at once on the shared host. */
const ADDRESS = '192.168.216.1';
/** The virsh subcommand of a previewed command (`virsh -c URI sub …`). */
const sub = (argv: readonly string[]) => argv[argv.indexOf('-c') + 2];

describe('PXE over SSH on an isolated TFTP network made by the wizard', () => {
  const env = newVmEnv();
  let h: Harness;
  let id: string;
  let pool: TestPool;
  let root: TftpRoot;

  beforeAll(async () => {
    removeVms(PREFIX);
    removeNetworks([NET]);
    root = makeTftpRoot(env, 'ssh');
    pool = makeTestPool(env, 'pxe ssh');
    h = await startHarness();
    h.answerPrompts(() => ({ accept: true }));
    id = await connectOverSsh(h, testHost());
  }, 120_000);
  afterAll(() => {
    h?.close();
    removeVms(PREFIX);
    removeNetworks([NET]);
    pool?.remove();
    root?.remove();
  });

  it('over SSH the network is refused while the folder is not readable by everyone, then made (previewable) as the test user', async () => {
    chmodSync(root.tftp, 0o700);
    await expect(h.call('newvm.createPxeNetwork', { hostId: id, name: NET, tftpRoot: root.tftp, address: ADDRESS })).rejects.toMatchObject({
      code: 'invalid_args',
      message: expect.stringMatching(/readable by everyone/),
    });
    expect(virsh('net-info', '--network', NET).status).not.toBe(0);
    chmodSync(root.tftp, 0o755);
    const args = { hostId: id, name: NET, tftpRoot: root.tftp, address: ADDRESS, uuid: '5d7e57a1-9e7e-4e2e-8d0c-000000000216' };
    const shown = await h.call('commands.preview', { name: 'newvm.createPxeNetwork', args });
    expect(shown.commands.map((c) => sub(c.argv))).toEqual(['net-define', 'net-start']);
    // They run on the host through the SSH connection, as the test user: `virsh -c qemu:///system …` there.
    expect(shown.remote).toBe(true);
    expect(shown.commands[0]!.stdin).toContain(`<tftp root='${root.tftp}'/>`);
    const t0 = Date.now();
    expect(await h.call('newvm.createPxeNetwork', args)).toEqual({ uuid: args.uuid, name: NET });
    console.log(`newvm.createPxeNetwork over SSH (checks, net-define, net-start): ${Date.now() - t0} ms`);
    const xml = virsh('net-dumpxml', '--network', NET).stdout;
    expect(xml).toContain("<bootp file='pxelinux.0'/>");
    expect(xml).toContain(`<tftp root='${root.tftp}'/>`);
    expect(xml).not.toContain('<forward');
    expect(virsh('net-info', '--network', NET).stdout).toMatch(/Active:\s+yes/);
    expect(await h.call('newvm.networkBoot', { hostId: id, network: NET })).toEqual({ tftpRoot: root.tftp, bootFile: 'pxelinux.0', note: null });
  }, 120_000);

  it('over SSH the install phase boots PXELINUX from that network on serial; when it ends, the final configuration boots the disk', async () => {
    const ms = await createAndBootPxeVm(h, id, env, pxeSpec(`${PREFIX} vm`, pool, NET));
    console.log(`over SSH: PXE (DHCP, TFTP pxelinux.0) to PXELINUX on serial: ${ms.pxelinux} ms; test kernel over TFTP to its banner: ${ms.kernel} ms`);
    console.log(`over SSH: final configuration (disk, GRUB) to banner: ${ms.final} ms`);
  }, 600_000);
});
