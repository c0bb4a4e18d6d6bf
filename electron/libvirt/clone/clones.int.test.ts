/**
 * Clones over SSH on the real host (libvirt 9.0.0, QEMU 7.2 TCG), of `vd-test-clone-src`: a copy
 * of the test guest with a qcow2 data disk in a temporary pool (electron/libvirt/testing/clone-guest.ts).
 * A full clone and a linked clone (from the source marked as a template) both boot to the banner;
 * the full copy's disk is independent, the linked one's chain names the base, deleting the base
 * is refused; a clone that runs out of space half-way leaves nothing behind.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectOverSsh, startHarness, type Harness } from '../../../e2e/support/backend-harness';
import { testHost } from '../../../e2e/support/test-host';
import { until } from '../../../e2e/support/until';
import { readSerialLog } from '../../consoles/testing/console-clones';
import { CLONE_POOL, CLONE_SRC, makeCloneSource, qemuIo, TINY_POOL, type CloneGuest } from '../testing/clone-guest';
import { cloneXmlOf, defineValidated } from '../testing/details-guest';
import { appRunner } from '../testing/snapshot-guest';

const virsh = (...a: string[]) => spawnSync('virsh', ['-c', 'qemu:///system', ...a], { encoding: 'utf8' });
const volNames = (pool: string) => virsh('vol-list', '--pool', pool).stdout.split('\n').slice(2).map((l) => l.trim().split(/\s{2,}/)[0]!).filter((n) => n);
const cloneNames = () => virsh('list', '--all', '--name').stdout.split('\n').map((n) => n.trim()).filter((n) => n.startsWith('vd-test-clone-'));

describe('clones and templates of a shut-off VM with a qcow2 disk', () => {
  const th = testHost();
  let h: Harness;
  let hostId: string;
  let src: CloneGuest;
  const vm = () => ({ hostId, uuid: CLONE_SRC.uuid });
  let fullUuid = '';
  let linkedUuid = '';

  beforeAll(async () => {
    h = await startHarness();
    h.answerPrompts(() => ({ accept: true }));
    hostId = await connectOverSsh(h, th);
    src = await makeCloneSource(th, appRunner(h.backend.hosts.servicesOf(hostId).host));
  }, 120_000);
  afterAll(() => {
    h?.close();
    src?.cleanup();
  });

  it('refuses to clone the running source and says to shut it down first', async () => {
    expect(virsh('start', '--domain', CLONE_SRC.uuid).status).toBe(0);
    try {
      await expect(h.call('clones.create', { ...vm(), name: 'vd-test-clone-never' })).rejects.toMatchObject({ message: expect.stringMatching(/shut it down first/) });
      expect((await h.call('clones.options', vm())).running).toBe(true);
    } finally {
      virsh('destroy', '--domain', CLONE_SRC.uuid);
    }
    expect(cloneNames()).not.toContain('vd-test-clone-never');
  });

  it('full clone: default name NAME-clone, new UUID and MAC, renamed serial log, title cleared; its disk is an independent copy; Show command is what ran', async () => {
    const opts = await h.call('clones.options', vm());
    expect(opts.defaultName).toBe('vd-test-clone-src-clone');
    expect(opts.disks).toMatchObject([{ target: 'vdb', defaultMode: 'copy', proposedName: 'vd-test-clone-src-clone-disk.qcow2', pool: { name: CLONE_POOL } }]);
    expect(opts.disks[0]!.modes.find((m) => m.mode === 'linked')).toMatchObject({ ok: false, reason: expect.stringMatching(/template/) });
    const args = { ...vm(), name: opts.defaultName, opId: 'full' };
    const finished = h.next('clones.progress', (p) => p.opId === 'full' && p.target === 'vdb' && p.done === p.total, 60_000);
    const shown = await h.call('commands.preview', { name: 'clones.create', args });
    expect(shown.commands.map((c) => c.argv.slice(3, 4)[0])).toEqual(['vol-clone', 'define']);
    expect(shown.commands[1]!.stdin).toContain(`${opts.defaultName}-serial.log`);
    expect(shown.commands[1]!.stdin).not.toMatch(/<mac |<uuid>|<title>/);
    const seq = (await h.call('activity.list', { hostId })).at(-1)?.seq ?? 0;
    const t0 = performance.now();
    const res = await h.call('clones.create', args);
    console.log(`[clones] full clone of a 16 MiB qcow2 (1 MiB data) ${Math.round(performance.now() - t0)} ms through Virtdeck over SSH`);
    fullUuid = res.uuid;
    // "Show command" is what ran: the mutating lines the activity log recorded are the preview's.
    const ran = (await h.call('activity.list', { afterSeq: seq, hostId })).filter((e) => ['vol-clone', 'define', 'vol-create-as', 'vol-delete', 'undefine'].includes(e.argv[3] ?? ''));
    expect(ran.map((e) => e.argv)).toEqual(shown.commands.map((c) => c.argv));
    expect((await finished).total).toBeGreaterThanOrEqual(1 << 20); // the source's allocation: the 1 MiB written
    expect(fullUuid).not.toBe(CLONE_SRC.uuid);
    const xml = virsh('dumpxml', '--inactive', '--domain', fullUuid).stdout;
    const copy = join(src.dir, 'vd-test-clone-src-clone-disk.qcow2');
    expect(xml).toContain(`<source file='${copy}'/>`);
    expect(xml).not.toContain(CLONE_SRC.mac);
    expect(xml).toMatch(/<mac address='52:54:00:[0-9a-f:]+'\/>/);
    expect(xml).toContain(`/var/log/libvirt/qemu/${opts.defaultName}-serial.log`);
    expect(xml).not.toContain('<title>');
    // Independent: the copy has the data, and writing to it leaves the source unchanged.
    expect(qemuIo(copy, 'qcow2', 'read -P 0x11 0 1M').ok).toBe(true);
    expect(qemuIo(copy, 'qcow2', 'write -P 0x22 0 1M').ok).toBe(true);
    expect(qemuIo(src.disk, 'qcow2', 'read -P 0x11 0 1M').ok).toBe(true);
    expect(qemuIo(copy, 'qcow2', 'read -P 0x22 0 1M').ok).toBe(true);
  });

  it('template → New VM from template: a linked clone whose chain names the base', async () => {
    await h.call('templates.set', { ...vm(), template: true });
    const templates = await h.call('templates.list', { hostId });
    expect(templates).toContainEqual({ uuid: CLONE_SRC.uuid, name: CLONE_SRC.name });
    // Only marked VMs: the test guest (no metadata of ours) and the earlier full clone are not templates.
    expect(templates.map((t) => t.name)).not.toContain(th.GUEST_NAME);
    expect(templates.map((t) => t.name)).not.toContain('vd-test-clone-src-clone');
    const opts = await h.call('clones.options', vm());
    expect(opts.template).toBe(true);
    expect(opts.defaultName).toBe('vd-test-clone-src-clone1');
    expect(opts.disks[0]).toMatchObject({ defaultMode: 'linked', proposedName: 'vd-test-clone-src-clone1-disk.qcow2' });
    const res = await h.call('clones.create', { ...vm(), name: 'vd-test-clone-from-tpl', disks: [{ target: 'vdb', mode: 'linked', newName: 'linked "$(x)".qcow2' }] });
    linkedUuid = res.uuid;
    const overlay = join(src.dir, 'linked "$(x)".qcow2');
    expect(res.volumes).toEqual([overlay]);
    const xml = virsh('dumpxml', '--inactive', '--domain', linkedUuid).stdout;
    expect(xml).not.toContain('virtdeck.dev/xmlns/template'); // a clone of a template is not a template
    const chains = await h.call('clones.chains', { hostId, uuid: linkedUuid });
    expect(chains).toEqual([{ target: 'vdb', source: overlay, backing: [{ path: src.disk, format: 'qcow2' }] }]);
    expect(qemuIo(overlay, 'qcow2', 'read -P 0x11 0 1M').ok).toBe(true); // the base's data through the chain
    // The clone dialog of the linked clone shows its chain; linked is off (it is no template), copy flattens.
    const o2 = await h.call('clones.options', { hostId, uuid: linkedUuid });
    expect(o2.disks[0]).toMatchObject({ backing: [src.disk], defaultMode: 'copy' });
  });

  it('both clones boot to the banner', async () => {
    for (const u of [fullUuid, linkedUuid]) expect(virsh('start', '--domain', u).stderr).toBe('');
    await until(() => readSerialLog('vd-test-clone-src-clone').includes(th.GUEST_BANNER) && readSerialLog('vd-test-clone-from-tpl').includes(th.GUEST_BANNER), 180_000, 'both banners');
    for (const u of [fullUuid, linkedUuid]) virsh('destroy', '--domain', u);
  }, 200_000);

  it('deleting the base while a linked clone exists is refused, for the VM delete and the volume delete', async () => {
    await expect(h.call('domains.delete', { ...vm(), deleteSources: [src.disk] })).rejects.toMatchObject({ message: expect.stringMatching(/base \(backing file\) of “vd-test-clone-from-tpl” \(vdb\)/) });
    expect(virsh('dominfo', '--domain', CLONE_SRC.uuid).status).toBe(0);
    const poolUuid = virsh('pool-uuid', '--pool', CLONE_POOL).stdout.trim();
    await expect(h.call('storage.volumes.delete', { hostId, poolUuid, name: 'vd-test-clone-src-disk.qcow2', confirmInUse: true })).rejects.toMatchObject({ message: expect.stringMatching(/Refused/) });
    expect(volNames(CLONE_POOL)).toContain('vd-test-clone-src-disk.qcow2');
    // Nor may the template silently stop being one while a linked clone uses it.
    await expect(h.call('templates.set', { ...vm(), template: false })).rejects.toMatchObject({ message: expect.stringMatching(/“vd-test-clone-from-tpl” is a linked clone of this template/) });
    expect((await h.call('clones.options', vm())).template).toBe(true);
  });

  it('a copy into another pool works; a clone that fails half-way (pool full) leaves nothing behind and says what it cleaned up', async () => {
    // A second, raw data disk with 8 MiB written, to be copied into a 4 MiB tmpfs pool.
    execFileSync('virsh', ['-c', 'qemu:///system', 'vol-create-as', '--pool', CLONE_POOL, '--name', 'big.raw', '--capacity', '8M', '--format', 'raw']);
    const big = join(src.dir, 'big.raw');
    expect(qemuIo(big, 'raw', 'write -P 0x33 0 8M').ok).toBe(true);
    expect(virsh('attach-disk', '--domain', CLONE_SRC.uuid, '--source', big, '--target', 'vdc', '--driver', 'qemu', '--subdriver', 'raw', '--config').status).toBe(0);
    await h.call('templates.set', { ...vm(), template: false, force: true });
    const tiny = mkdtempSync(join(tmpdir(), 'vd-clone-tiny-'));
    chmodSync(tiny, 0o755);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'vd-clone-tiny', tiny]);
    try {
      execFileSync('virsh', ['-c', 'qemu:///system', 'pool-create-as', '--name', TINY_POOL, '--type', 'dir', '--target', tiny]);
      const tinyUuid = virsh('pool-uuid', '--pool', TINY_POOL).stdout.trim();
      // Into another pool: vol-create-from, the data is there.
      const ok = await h.call('clones.create', { ...vm(), name: 'vd-test-clone-xpool', disks: [{ target: 'vdb', mode: 'copy', poolUuid: tinyUuid }, { target: 'vdc', mode: 'skip' }] });
      expect(ok.volumes).toEqual([join(tiny, 'vd-test-clone-xpool-disk.qcow2')]);
      expect(qemuIo(ok.volumes[0]!, 'qcow2', 'read -P 0x11 0 1M').ok).toBe(true);
      expect(virsh('undefine', '--domain', ok.uuid).status).toBe(0);
      expect(virsh('vol-delete', '--vol', ok.volumes[0]!).status).toBe(0);

      const before = volNames(CLONE_POOL);
      const args = { ...vm(), name: 'vd-test-clone-fail', disks: [{ target: 'vdb', mode: 'copy' as const }, { target: 'vdc', mode: 'copy' as const, poolUuid: tinyUuid }] };
      const shown = await h.call('commands.preview', { name: 'clones.create', args });
      expect(shown.commands.map((c) => c.argv[3])).toEqual(['vol-clone', 'vol-create-from', 'define']);
      const err = await h.call('clones.create', args).then(() => null, (e: Error) => e);
      console.log(`[clones] pool full: ${err?.message}`);
      expect(err?.message).toMatch(/Cloning failed at `virsh vol-create-from`/);
      expect(err?.message).toMatch(/Cleaned up: .*volume “vd-test-clone-fail-disk\.qcow2” in pool vd-test-clone-pool/);
      expect(volNames(CLONE_POOL).sort()).toEqual(before.sort());
      expect(volNames(TINY_POOL)).toEqual([]);
      expect(cloneNames()).not.toContain('vd-test-clone-fail');
    } finally {
      virsh('pool-destroy', '--pool', TINY_POOL);
      spawnSync('umount', [tiny]);
      rmSync(tiny, { recursive: true, force: true });
    }
  });

  it('the UEFI variables file is copied through its pool, as virt-clone does', async () => {
    const efi = { name: 'vd-test-clone-efi', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ffc1e1', mac: '52:54:00:7e:c1:e1' };
    const vars = join(src.dir, 'vd-test-clone-efi_VARS.fd');
    copyFileSync('/usr/share/OVMF/OVMF_VARS_4M.fd', vars);
    expect(virsh('pool-refresh', '--pool', CLONE_POOL).status).toBe(0);
    const xml = cloneXmlOf(th, efi).replace(/<kernel>/, `<loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.fd</loader>\n    <nvram>${vars}</nvram>\n    <kernel>`);
    defineValidated(efi.name, xml);
    const opts = await h.call('clones.options', { hostId, uuid: efi.uuid });
    expect(opts.warnings).toEqual([]);
    const shown = await h.call('commands.preview', { name: 'clones.create', args: { hostId, uuid: efi.uuid, name: opts.defaultName } });
    const poolUuid = virsh('pool-uuid', '--pool', CLONE_POOL).stdout.trim();
    expect(shown.commands[0]!.argv.slice(3)).toEqual(['vol-clone', '--pool', poolUuid, '--vol', 'vd-test-clone-efi_VARS.fd', '--newname', 'vd-test-clone-efi-clone_VARS.fd']);
    const res = await h.call('clones.create', { hostId, uuid: efi.uuid, name: opts.defaultName });
    const copy = join(src.dir, 'vd-test-clone-efi-clone_VARS.fd');
    expect(virsh('dumpxml', '--inactive', '--domain', res.uuid).stdout).toContain(`<nvram>${copy}</nvram>`);
    expect(readFileSync(copy).equals(readFileSync(vars))).toBe(true);
  });

  it('a VM with an emulated TPM: the clone dialog says its state is not copied', async () => {
    const tpm = { name: 'vd-test-clone-tpm', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ffc1f1', mac: '52:54:00:7e:c1:f1' };
    defineValidated(tpm.name, cloneXmlOf(th, tpm).replace('</devices>', "  <tpm model='tpm-tis'><backend type='emulator' version='2.0'/></tpm>\n  </devices>"));
    const opts = await h.call('clones.options', { hostId, uuid: tpm.uuid });
    expect(opts.warnings.join('\n')).toMatch(/emulated TPM.*libvirt does not copy its state/);
  });
});
