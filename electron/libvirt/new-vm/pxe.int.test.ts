/**
 * PXE through the wizard's backend on the real local host, under TCG: an isolated network with
 * TFTP from a folder (PXELINUX from debian-installer-12-netboot-amd64, the test kernel), a VM
 * whose install phase boots from it to PXELINUX on serial, then its final configuration boots the disk.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectOverSsh, startHarness, type Harness } from '../../../e2e/support/backend-harness';
import { testHost } from '../../../e2e/support/test-host';
import { makeTestPool, newVmEnv, removeVms, virsh, type TestPool } from './testing/new-vm-env';
import { createAndBootPxeVm, makeTftpRoot, pxeSpec, removeNetworks, type TftpRoot } from './testing/pxe-flows';

const LOCAL = 'local-system';
const PREFIX = 'vd-test-netinst-pxe';
const NET = `${PREFIX} net`;
const PLAIN = `${PREFIX} plain`;
/** An address range no other network of the shared host uses (checked by the backend too). */
const ADDRESS = '192.168.213.1';

describe('PXE on an isolated TFTP network made by the wizard', () => {
  const env = newVmEnv();
  let h: Harness;
  let pool: TestPool;
  let root: TftpRoot;
  let dir: string;
  let tftp: string;

  beforeAll(async () => {
    removeVms(PREFIX);
    removeNetworks([NET, PLAIN]);
    root = makeTftpRoot(env, 'local');
    ({ dir, tftp } = root);
    pool = makeTestPool(env, 'pxe');
    h = await startHarness();
    await h.call('hosts.connect', { hostId: LOCAL });
  }, 120_000);
  afterAll(() => {
    h?.close();
    removeVms(PREFIX);
    removeNetworks([NET, PLAIN]);
    pool?.remove();
    root?.remove();
  });

  it('the isolated TFTP network is refused when dnsmasq could not read the folder, made (previewable) when it can, and a second one on the same /24 is refused', async () => {
    chmodSync(tftp, 0o700);
    await expect(h.call('newvm.createPxeNetwork', { hostId: LOCAL, name: NET, tftpRoot: tftp, address: ADDRESS })).rejects.toMatchObject({
      code: 'invalid_args',
      message: expect.stringMatching(/readable by everyone/),
    });
    expect(virsh('net-info', '--network', NET).status).not.toBe(0);
    chmodSync(tftp, 0o755);
    const args = { hostId: LOCAL, name: NET, tftpRoot: tftp, address: ADDRESS, uuid: '5d7e57a1-9e7e-4e2e-8d0c-000000000213' };
    const shown = await h.call('commands.preview', { name: 'newvm.createPxeNetwork', args });
    expect(shown.commands.map((c) => c.argv[3])).toEqual(['net-define', 'net-start']);
    expect(shown.commands[0]!.stdin).toContain(`<tftp root='${tftp}'/>`);
    expect(await h.call('newvm.createPxeNetwork', args)).toEqual({ uuid: args.uuid, name: NET });
    const xml = virsh('net-dumpxml', '--network', NET).stdout;
    console.log(`net-dumpxml of the PXE network (libvirt ${virsh('version').stdout.match(/libvirt ([\d.]+)/)?.[1]}):\n${xml}`);
    expect(xml).toContain("<bootp file='pxelinux.0'/>");
    expect(xml).not.toContain('<forward');
    expect(await h.call('newvm.networkBoot', { hostId: LOCAL, network: NET })).toEqual({ tftpRoot: tftp, bootFile: 'pxelinux.0', note: null });
    await expect(h.call('newvm.createPxeNetwork', { hostId: LOCAL, name: `${NET} 2`, tftpRoot: tftp, address: '192.168.213.254' })).rejects.toMatchObject({
      message: expect.stringMatching(/already uses 192\.168\.213\.0\/24/),
    });
  }, 60_000);

  it('a network without TFTP/BOOTP gets the note, locally and over SSH', async () => {
    const file = join(dir, 'plain.xml');
    writeFileSync(file, `<network><name>${PLAIN}</name><bridge name='vdnipxe0'/><ip address='192.168.214.1' prefix='24'/></network>`);
    expect(virsh('net-define', '--file', file).status).toBe(0);
    h.answerPrompts(() => ({ accept: true }));
    const ssh = await connectOverSsh(h, testHost());
    for (const hostId of [LOCAL, ssh]) {
      const r = await h.call('newvm.networkBoot', { hostId, network: PLAIN });
      expect(r.note).toMatch(/no <tftp root> and no <bootp file>/);
      const plan = await h.call('newvm.plan', { hostId, spec: { ...spec(`${PREFIX} plain`), network: { kind: 'network', network: PLAIN } } });
      expect(plan.sourceNotes).toEqual([r.note]);
    }
  }, 60_000);

  const spec = (name: string) => pxeSpec(name, pool, NET);

  it('the install phase boots PXELINUX from the network on serial; when it ends, the final configuration boots the disk', async () => {
    const ms = await createAndBootPxeVm(h, LOCAL, env, spec(`${PREFIX} vm`));
    console.log(`PXE (DHCP, TFTP pxelinux.0) to PXELINUX on serial: ${ms.pxelinux} ms; then the test kernel over TFTP to its banner: ${ms.kernel} ms`);
    console.log(`final configuration (disk, GRUB) to banner: ${ms.final} ms`);
  }, 600_000);
});
