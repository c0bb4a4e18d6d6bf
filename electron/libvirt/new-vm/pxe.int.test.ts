/**
 * PXE through the wizard's backend on the real local host, under TCG: an isolated network with
 * TFTP from a folder (PXELINUX from debian-installer-12-netboot-amd64, the test kernel), a VM
 * whose install phase boots from it to PXELINUX on serial, then its final configuration boots the disk.
 */
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewVmSpecInput } from '../../../shared/model/newvm';
import { connectOverSsh, startHarness, type Harness } from '../../../e2e/support/backend-harness';
import { testHost } from '../../../e2e/support/test-host';
import { NETBOOT } from './testing/install-tree-server';
import { makeTestPool, newVmEnv, removeVms, serialConsole, virsh, type TestPool } from './testing/new-vm-env';

const LOCAL = 'local-system';
const PREFIX = 'vd-test-netinst-pxe';
const NET = `${PREFIX} net`;
const PLAIN = `${PREFIX} plain`;
/** An address range no other network of the shared host uses (checked by the backend too). */
const ADDRESS = '192.168.213.1';
/** PXELINUX's banner: printed again on ttyS0 once its config's first line (`serial 0 115200`) moved it there. */
const PXE_LINE = 'PXELINUX 6.';

describe('PXE on an isolated TFTP network made by the wizard', () => {
  const env = newVmEnv();
  let h: Harness;
  let pool: TestPool;
  let dir: string;
  let tftp: string;

  beforeAll(async () => {
    removeVms(PREFIX);
    for (const n of [NET, PLAIN]) {
      virsh('net-destroy', '--network', n);
      virsh('net-undefine', '--network', n);
    }
    dir = mkdtempSync(join(tmpdir(), 'vd-netinst-pxe-'));
    tftp = join(dir, 'tftp root');
    mkdirSync(join(tftp, 'pxelinux.cfg'), { recursive: true });
    copyFileSync(`${NETBOOT}/pxelinux.0`, join(tftp, 'pxelinux.0'));
    copyFileSync(`${NETBOOT}/ldlinux.c32`, join(tftp, 'ldlinux.c32'));
    copyFileSync(env.KERNEL, join(tftp, 'vmlinuz'));
    copyFileSync(env.INITRD, join(tftp, 'initrd.img'));
    // PXELINUX writes to serial only after a `serial` line, which must come first.
    writeFileSync(join(tftp, 'pxelinux.cfg', 'default'), `serial 0 115200\ndefault vdtest\nprompt 0\ntimeout 1\nlabel vdtest\n  kernel vmlinuz\n  append initrd=initrd.img console=ttyS0\n`);
    // dnsmasq serves TFTP as nobody: readable by everyone, down from the temp folder.
    for (const p of [dir, tftp, join(tftp, 'pxelinux.cfg')]) chmodSync(p, 0o755);
    pool = makeTestPool(env, 'pxe');
    h = await startHarness();
    await h.call('hosts.connect', { hostId: LOCAL });
  }, 120_000);
  afterAll(() => {
    h?.close();
    removeVms(PREFIX);
    for (const n of [NET, PLAIN]) {
      virsh('net-destroy', '--network', n);
      virsh('net-undefine', '--network', n);
    }
    pool?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
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

  const spec = (name: string): NewVmSpecInput => ({
    name,
    source: { kind: 'pxe' },
    osId: 'generic',
    memoryMiB: 256,
    vcpus: 1,
    storage: { kind: 'existing', volume: { type: 'volume', poolUuid: pool.uuid, name: 'disk image.img' }, format: 'raw' },
    network: { kind: 'network', network: NET },
    domainType: 'qemu',
    machine: 'pc',
  });

  it('the install phase boots PXELINUX from the network on serial; when it ends, the final configuration boots the disk', async () => {
    const name = `${PREFIX} vm`;
    const plan = await h.call('newvm.plan', { hostId: LOCAL, spec: spec(name) });
    expect(plan.problems).toEqual([]);
    expect(plan.sourceNotes).toEqual([]);
    expect(plan.xml).toMatch(/<boot dev='network'\/>\s*<boot dev='hd'\/>/);
    expect(plan.finalXml).not.toContain("<boot dev='network'/>");
    expect(plan.virtInstall).toContain('--pxe');
    const created = await h.call('newvm.create', { hostId: LOCAL, spec: { ...spec(name), uuid: plan.uuid } });
    expect(created.phase).toBe('installing');
    const con = serialConsole(created.uuid);
    try {
      console.log(`PXE (DHCP, TFTP pxelinux.0) to PXELINUX on serial: ${await con.until(PXE_LINE, 240_000)} ms`);
      const banner = await con.until(env.GUEST_BANNER, 240_000);
      expect(con.output()).toMatch(/Loading vmlinuz\.\.\. ?ok/);
      console.log(`… then the test kernel over TFTP to its banner: ${banner} ms`);
    } finally {
      con.close();
    }
    const ended = h.next('newvm.phase', (p) => p.uuid === created.uuid, 120_000);
    expect(virsh('destroy', '--domain', created.uuid).status).toBe(0);
    expect(await ended).toMatchObject({ phase: 'done', name });
    const again = serialConsole(created.uuid);
    try {
      console.log(`final configuration (disk, GRUB) to banner: ${await again.until(env.GUEST_BANNER, 180_000)} ms`);
    } finally {
      again.close();
    }
    expect(virsh('dumpxml', '--domain', created.uuid).stdout).not.toContain("<boot dev='network'/>");
  }, 600_000);
});
