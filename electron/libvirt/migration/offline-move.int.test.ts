/**
 * Offline move (issue 15, path 3) from the shared host A (over SSH, 127.0.0.1:2222, as the test
 * user) to the private host B (over SSH, 127.0.0.2:2223), through the real Backend's
 * connections. The disks live in a pool under /var/lib/libvirt/images, which B has apart from A
 * (its own bind mount), so a copy really lands somewhere else.
 * Run only as: flock /tmp/vd-private-host.lock npx vitest run --project integration <this file>
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectOverSsh, startHarness, type Harness } from '../../../e2e/support/backend-harness';
import { privateHostPath, privateVirsh, restartDaemons, startPrivateHost, stopDaemon, stopPrivateHost, type PrivateHost } from '../../../e2e/support/private-host';
import { testHost } from '../../../e2e/support/test-host';
import { until } from '../../../e2e/support/until';
import type { HostConnection } from '../../hosts/host-connection';
import { cloneXmlOf, defineValidated, removeClone, type CloneId } from '../testing/details-guest';
import { createPoolOnDest, offlineMoveCommands, preflightOffline, runOfflineMove, type OfflineMoveInput } from './offline-move';

const th = testHost();
const env = JSON.parse(readFileSync(process.env.VIRTDECK_TEST_ENV ?? '/var/lib/virtdeck-test/env.json', 'utf8')) as { KERNEL: string; SSH_KNOWN_HOSTS: string; TEST_ISO: string };
const POOL = 'vd-test-offmove';
const DIR = `/var/lib/libvirt/images/${POOL}`;
const NET = 'vd-test-offmove-net';
const MOVED: CloneId = { name: 'vd-test-offmove', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ff0f01', mac: '52:54:00:7e:0f:01' };
const BIG: CloneId = { name: 'vd-test-offmove-big', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ff0f02', mac: '52:54:00:7e:0f:02' };
const NETTED: CloneId = { name: 'vd-test-offmove-net', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ff0f03', mac: '52:54:00:7e:0f:03' };
const UEFI: CloneId = { name: 'vd-test-offmove-uefi', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ff0f04', mac: '52:54:00:7e:0f:04' };
const NVRAM = `/var/lib/libvirt/qemu/nvram/${UEFI.name}_VARS.fd`;
const KERNELLESS: CloneId = { name: 'vd-test-offmove-kernel', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ff0f05', mac: '52:54:00:7e:0f:05' };
/** Under /var/lib/libvirt, which B has apart from A: present on A only. */
const A_ONLY_KERNEL = '/var/lib/libvirt/boot/vd-test-offmove-vmlinuz';
const SPARSE: CloneId = { name: 'vd-test-offmove-sparse', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ff0f06', mac: '52:54:00:7e:0f:06' };
/** Shares SPARSE's disk. */
const TWIN: CloneId = { name: 'vd-test-offmove-twin', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ff0f07', mac: '52:54:00:7e:0f:07' };
const BIG_MIB = 256;

const virsh = (...a: string[]) => spawnSync('virsh', ['-c', 'qemu:///system', ...a], { encoding: 'utf8' });
const sh = (cmd: string, ...args: string[]) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const withDisk = (c: CloneId, file: string, format: string) =>
  cloneXmlOf(th, c).replace('<devices>', `<devices>\n    <disk type='file' device='disk'><driver name='qemu' type='${format}'/><source file='${file}'/><target dev='vda' bus='virtio'/></disk>`);

function cleanA(): void {
  for (const c of [MOVED, BIG, NETTED, UEFI, KERNELLESS, SPARSE, TWIN]) removeClone(c);
  rmSync(NVRAM, { force: true });
  rmSync(A_ONLY_KERNEL, { force: true });
  virsh('pool-destroy', '--pool', POOL);
  rmSync(DIR, { recursive: true, force: true });
  virsh('net-destroy', '--network', NET);
}

describe('offline move of a shut-off VM with its disks, A → B over SSH', () => {
  let ph: PrivateHost;
  let h: Harness;
  let source: HostConnection;
  let dest: HostConnection;
  let localA: HostConnection;
  let work: string;
  const input = (c: CloneId, extra: Partial<OfflineMoveInput> = {}): OfflineMoveInput => ({ source, dest, uuid: c.uuid, deleteSourceDisks: false, ...extra });
  const onB = (file: string) => privateHostPath(ph, file);

  beforeAll(async () => {
    cleanA();
    work = mkdtempSync(join(tmpdir(), 'vd-offmove-'));
    ph = await startPrivateHost();
    // A: a pool with a qcow2 overlay on a written base (the chain must arrive flattened) and a big written raw disk.
    expect(virsh('pool-create-as', '--name', POOL, '--type', 'dir', '--target', DIR, '--build').status).toBe(0);
    sh('qemu-img', 'create', '-q', '-f', 'qcow2', `${DIR}/base.qcow2`, '64M');
    sh('qemu-io', '-c', 'write -P 0xab 0 8M', `${DIR}/base.qcow2`);
    sh('qemu-img', 'create', '-q', '-f', 'qcow2', '-b', `${DIR}/base.qcow2`, '-F', 'qcow2', `${DIR}/disk.qcow2`);
    sh('qemu-io', '-c', 'write -P 0xcd 4M 2M', `${DIR}/disk.qcow2`);
    sh('dd', 'if=/dev/urandom', `of=${DIR}/big.raw`, 'bs=1M', `count=${BIG_MIB}`, 'status=none');
    // 512 MiB raw with 4 MiB written in the middle: the rest are holes.
    sh('truncate', '-s', '512M', `${DIR}/sparse.raw`);
    sh('qemu-io', '-f', 'raw', '-c', 'write -P 0x77 100M 4M', `${DIR}/sparse.raw`);
    expect(virsh('pool-refresh', '--pool', POOL).status).toBe(0);
    writeFileSync(join(work, 'net.xml'), `<network><name>${NET}</name><bridge name='vdtoffbr0'/></network>`);
    expect(virsh('net-create', '--file', join(work, 'net.xml')).stderr).toBe('');
    // With an install medium too: read-only media are not copied, only looked for on B (the same path there).
    defineValidated(
      MOVED.name,
      withDisk(MOVED, `${DIR}/disk.qcow2`, 'qcow2').replace('<devices>', `<devices>\n    <disk type='file' device='cdrom'><driver name='qemu' type='raw'/><source file='${env.TEST_ISO}'/><target dev='hdc' bus='ide'/><readonly/></disk>`),
    );
    defineValidated(SPARSE.name, withDisk(SPARSE, `${DIR}/sparse.raw`, 'raw'));
    defineValidated(TWIN.name, withDisk(TWIN, `${DIR}/sparse.raw`, 'raw'));
    defineValidated(BIG.name, withDisk(BIG, `${DIR}/big.raw`, 'raw'));
    // Its network exists on A only; of its two bridges, the network's own exists on both (one network namespace here), the other nowhere.
    defineValidated(
      NETTED.name,
      cloneXmlOf(th, NETTED).replace(
        '<devices>',
        `<devices>\n    <interface type='network'><source network='${NET}'/><model type='virtio'/></interface>\n    <interface type='bridge'><source bridge='vdtoffbr0'/><model type='virtio'/></interface>\n    <interface type='bridge'><source bridge='vdtoffnone0'/><model type='virtio'/></interface>`,
      ),
    );

    // UEFI VARS written by "the firmware" (a marker), so the copy on B can be told from the template.
    sh('cp', '/usr/share/OVMF/OVMF_VARS_4M.fd', NVRAM);
    sh('qemu-io', '-f', 'raw', '-c', 'write -P 0x5a 4096 512', NVRAM);
    defineValidated(
      UEFI.name,
      cloneXmlOf(th, UEFI).replace('</type>', `</type>\n    <loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.fd</loader>\n    <nvram template='/usr/share/OVMF/OVMF_VARS_4M.fd'>${NVRAM}</nvram>`),
    );

    sh('mkdir', '-p', '/var/lib/libvirt/boot');
    sh('cp', env.KERNEL, A_ONLY_KERNEL);
    defineValidated(KERNELLESS.name, cloneXmlOf(th, KERNELLESS).replace(/<kernel>[^<]*<\/kernel>/, `<kernel>${A_ONLY_KERNEL}</kernel>`));

    h = await startHarness();
    h.answerPrompts(() => ({ accept: true })); // both hosts' keys are new to the throwaway home
    const idA = await connectOverSsh(h, th);
    const idB = (await h.call('hosts.save', { connection: { name: 'B', uri: `qemu+ssh://${ph.SSH_USER}@${ph.SSH_HOST}:${ph.SSH_PORT}/system`, ssh: { auth: 'key', keyFile: ph.SSH_KEY } } })).config.id;
    await h.call('hosts.connect', { hostId: idB });
    const idLocal = (await h.call('hosts.save', { connection: { name: 'A local', uri: 'qemu:///system' } })).config.id;
    await h.call('hosts.connect', { hostId: idLocal });
    localA = h.backend.hosts.get(idLocal);
    source = h.backend.hosts.get(idA);
    dest = h.backend.hosts.get(idB);
  }, 180_000);

  afterAll(async () => {
    h?.close();
    if (ph) await stopPrivateHost(ph);
    cleanA();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('pre-flight: the pool is missing on B (with its fix); created from A’s definition, every check passes', async () => {
    const before = await preflightOffline(input(MOVED));
    const disk = before.find((c) => c.id === 'disk-vda')!;
    expect(disk).toMatchObject({ ok: false, severity: 'error' });
    expect(disk.message).toContain(`pool “${POOL}”, which the destination does not have`);
    expect(disk.fix).toMatch(/Virtdeck can create it/);
    expect(before.find((c) => c.id === 'host-uuid')).toMatchObject({ ok: true });
    expect(before.find((c) => c.id === 'name')).toMatchObject({ ok: true });

    await createPoolOnDest(source, dest, POOL);
    expect(privateVirsh(ph, 'pool-info', '--pool', POOL).stdout).toMatch(/State:\s+running/);
    const after = await preflightOffline(input(MOVED));
    expect(after.filter((c) => !c.ok)).toEqual([]);
    expect(after.find((c) => c.id === 'disk-vda')!.message).toMatch(/flattened into one image/);
    expect(after.find((c) => c.id === 'disk-hdc')).toMatchObject({ ok: true, message: `Medium hdc (${env.TEST_ISO}) is present on the destination.` });
    // The same libvirtd on both ends (A over SSH and A locally) is refused, as libvirt itself would.
    const same = await preflightOffline({ source, dest: localA, uuid: MOVED.uuid, deleteSourceDisks: false });
    expect(same.find((c) => c.id === 'host-uuid')).toMatchObject({ ok: false, severity: 'error', message: expect.stringMatching(/same libvirt host UUID/) });
    expect(same.find((c) => c.id === 'name')).toMatchObject({ ok: false });
    expect(after.filter((c) => c.id.startsWith('boot-')).map((c) => [c.id, c.ok])).toEqual([
      ['boot-/var/lib/virtdeck-test/guest/vmlinuz', true],
      ['boot-/var/lib/virtdeck-test/guest/initrd.cpio.gz', true],
    ]);

    const lines = (await offlineMoveCommands(input(MOVED))).map((c) => `${c.host}: ${c.argv.slice(3).join(' ')}`);
    expect(lines[0]).toMatch(/^source: vol-create-from --pool \S+ --file \/dev\/stdin --inputpool \S+ --vol disk\.qcow2$/);
    expect(lines).toContain(`dest: define --file /dev/stdin --validate`);
    expect(lines.at(-1)).toBe(`source: undefine --domain ${MOVED.uuid} --managed-save --snapshots-metadata --checkpoints-metadata`);
    expect(lines.findIndex((l) => l.includes('vol-download'))).toBeLessThan(lines.findIndex((l) => l.includes('define')));
  });

  it('refuses when B already has a VM of that name: nothing moves', async () => {
    const other = join(work, 'same-name.xml');
    writeFileSync(other, cloneXmlOf(th, { ...MOVED, uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ff0f09', mac: '52:54:00:7e:0f:09' }));
    expect(privateVirsh(ph, 'define', other).status).toBe(0);
    try {
      const checks = await preflightOffline(input(MOVED));
      expect(checks.find((c) => c.id === 'name')).toMatchObject({ ok: false, severity: 'error', message: expect.stringContaining(`already has a VM named “${MOVED.name}”`) });
      await expect(runOfflineMove(input(MOVED))).rejects.toThrow(/pre-flight check failed: .*already has a VM named/);
      expect(virsh('domstate', '--domain', MOVED.uuid).stdout.trim()).toBe('shut off');
      expect(privateVirsh(ph, 'vol-info', '--pool', POOL, '--vol', 'disk.qcow2').status).not.toBe(0);
    } finally {
      privateVirsh(ph, 'undefine', '--domain', '5d7e57a1-0000-4e2e-8d0c-7e57c0ff0f09');
    }
  });

  it('refuses when a NIC’s network is missing on B', async () => {
    const checks = await preflightOffline(input(NETTED));
    const net = checks.find((c) => c.id === `network-${NET}`)!;
    expect(net).toMatchObject({ ok: false, severity: 'error' });
    expect(net.message).toMatch(/does not exist on the destination: .*Network not found/);
    expect(checks.filter((c) => c.id.startsWith('iface-')).map((c) => [c.id, c.ok])).toEqual([
      ['iface-vdtoffbr0', true],
      ['iface-vdtoffnone0', false],
    ]);
    await expect(runOfflineMove(input(NETTED))).rejects.toThrow(/pre-flight check failed: .*network “vd-test-offmove-net”/);
    expect(virsh('dominfo', '--domain', NETTED.uuid).status).toBe(0);
    expect(privateVirsh(ph, 'dominfo', '--domain', NETTED.uuid).status).not.toBe(0);
  });

  it('refuses when the kernel is missing on B', async () => {
    const checks = await preflightOffline(input(KERNELLESS));
    expect(checks.find((c) => c.id === `boot-${A_ONLY_KERNEL}`)).toMatchObject({ ok: false, severity: 'error', fix: `Copy ${A_ONLY_KERNEL} to the same path on the destination.` });
    await expect(runOfflineMove(input(KERNELLESS))).rejects.toThrow(/pre-flight check failed: The boot file \/var\/lib\/libvirt\/boot\/vd-test-offmove-vmlinuz/);
    expect(virsh('dominfo', '--domain', KERNELLESS.uuid).status).toBe(0);
    expect(privateVirsh(ph, 'dominfo', '--domain', KERNELLESS.uuid).status).not.toBe(0);
  });

  it('an interrupted copy leaves A intact and nothing on B', async () => {
    const sum = sha256(`${DIR}/big.raw`);
    const abort = new AbortController();
    let seen = 0;
    const t0 = Date.now();
    const run = runOfflineMove(
      input(BIG, {
        signal: abort.signal,
        onProgress: (p) => {
          if (p.phase === 'copy' && (p.dataProcessed ?? 0) > 32 * 2 ** 20 && !abort.signal.aborted) {
            seen = p.dataProcessed!;
            abort.abort();
          }
        },
      }),
    );
    await expect(run).rejects.toMatchObject({ code: 'cancelled', message: expect.stringMatching(/cancelled while copying disk vda/), detail: expect.stringMatching(/^cleanup: vol-delete --pool \S+ --vol big\.raw$/) });
    console.log(`[offline-move] aborted after ${(seen / 2 ** 20).toFixed(0)} of ${BIG_MIB} MiB, rollback done ${Date.now() - t0} ms after start`);
    expect(seen).toBeLessThan(BIG_MIB * 2 ** 20);
    expect(virsh('domstate', '--domain', BIG.uuid).stdout.trim()).toBe('shut off');
    expect(sha256(`${DIR}/big.raw`)).toBe(sum);
    expect(privateVirsh(ph, 'dominfo', '--domain', BIG.uuid).status).not.toBe(0);
    expect(privateVirsh(ph, 'vol-info', '--pool', POOL, '--vol', 'big.raw').status).not.toBe(0);
    expect(existsSync(onB(`${DIR}/big.raw`))).toBe(false);
  });

  it('B’s sshd killed mid-copy: the move fails, and once B is back the partial volume there is removed; A intact', async () => {
    const sum = sha256(`${DIR}/big.raw`);
    let killed: Promise<void> | undefined;
    const run = runOfflineMove(
      input(BIG, {
        onProgress: (p) => {
          if (p.phase === 'copy' && (p.dataProcessed ?? 0) > 32 * 2 ** 20 && !killed) killed = stopDaemon(ph, 'sshd');
        },
      }),
    );
    const outcome = run.then(
      () => 'moved',
      (e: Error) => e.message,
    );
    await until(() => killed !== undefined, 60_000, 'the copy to pass 32 MiB');
    await killed;
    // Down for a moment while the move fails and its cleanup waits; then sshd is back.
    await new Promise((r) => setTimeout(r, 3000));
    const t0 = Date.now();
    ph = await restartDaemons(ph);
    const message = await outcome;
    console.log(`[offline-move] sshd killed mid-copy: "${message}"; cleanup finished ${Date.now() - t0} ms after sshd was back`);
    expect(message).toMatch(/^Offline move failed while copying disk vda: writing on the destination: /);
    expect(privateVirsh(ph, 'vol-info', '--pool', POOL, '--vol', 'big.raw').status).not.toBe(0);
    expect(existsSync(onB(`${DIR}/big.raw`))).toBe(false);
    expect(privateVirsh(ph, 'dominfo', '--domain', BIG.uuid).status).not.toBe(0);
    expect(virsh('domstate', '--domain', BIG.uuid).stdout.trim()).toBe('shut off');
    expect(sha256(`${DIR}/big.raw`)).toBe(sum);
  });

  it('a VM started on A during the copy is not undefined under it: the move fails before the define and B is cleaned', async () => {
    let started = false;
    const run = runOfflineMove(
      input(BIG, {
        onProgress: (p) => {
          if (p.phase === 'copy' && (p.dataProcessed ?? 0) > 16 * 2 ** 20 && !started) started = virsh('start', '--domain', BIG.uuid).status === 0;
        },
      }),
    );
    await expect(run).rejects.toThrow(/failed while defining the VM on the destination: .*was started on the source during the move \(now running\)/);
    expect(started).toBe(true);
    expect(virsh('domstate', '--domain', BIG.uuid).stdout.trim()).toBe('running');
    expect(privateVirsh(ph, 'dominfo', '--domain', BIG.uuid).status).not.toBe(0);
    expect(privateVirsh(ph, 'vol-info', '--pool', POOL, '--vol', 'big.raw').status).not.toBe(0);
    virsh('destroy', '--domain', BIG.uuid);
  });

  it('a written raw disk moves whole; throughput beside plain virsh piped by hand over the same two SSH hosts', async () => {
    const sum = sha256(`${DIR}/big.raw`);
    const res = await runOfflineMove(input(BIG));
    const mibs = (BIG_MIB / res.seconds).toFixed(0);
    expect(res.disks[0]!.bytes).toBe(BIG_MIB * 2 ** 20);
    expect(sha256(onB(`${DIR}/big.raw`))).toBe(sum);
    expect(virsh('dominfo', '--domain', BIG.uuid).status).not.toBe(0);
    // By hand: ssh A virsh vol-download | ssh B virsh vol-upload, into a volume made first, as the user would.
    expect(privateVirsh(ph, 'vol-create-as', '--pool', POOL, '--name', 'by-hand.raw', '--capacity', `${BIG_MIB}M`, '--allocation', '0', '--format', 'raw').status).toBe(0);
    const ssh = (known: string, key: string, user: string, host: string, port: number) =>
      `ssh -o BatchMode=yes -o IdentitiesOnly=yes -o UserKnownHostsFile=${known} -i ${key} -p ${port} ${user}@${host}`;
    const pipeline =
      `${ssh(env.SSH_KNOWN_HOSTS, th.SSH_KEY, th.SSH_USER, th.SSH_HOST, th.SSH_PORT)} virsh -q -c qemu:///system vol-download --pool ${POOL} --vol big.raw --file /dev/stdout | ` +
      `${ssh(ph.SSH_KNOWN_HOSTS, ph.SSH_KEY, ph.SSH_USER, ph.SSH_HOST, ph.SSH_PORT)} virsh -c qemu:///system vol-upload --pool ${POOL} --vol by-hand.raw --file /dev/stdin`;
    const t0 = performance.now();
    const manual = spawnSync('bash', ['-o', 'pipefail', '-c', pipeline], { encoding: 'utf8' });
    const manualS = (performance.now() - t0) / 1000;
    expect(manual.status, manual.stderr).toBe(0);
    expect(sha256(onB(`${DIR}/by-hand.raw`))).toBe(sum);
    console.log(`[offline-move] ${BIG_MIB} MiB raw: Virtdeck move ${res.seconds.toFixed(2)} s (${mibs} MiB/s incl. pre-flight, define, verify, undefine); plain virsh pipe by hand ${manualS.toFixed(2)} s (${(BIG_MIB / manualS).toFixed(0)} MiB/s)`);
    privateVirsh(ph, 'vol-delete', '--pool', POOL, '--vol', 'by-hand.raw');
    privateVirsh(ph, 'undefine', '--domain', BIG.uuid);
  });

  it('a sparse raw disk travels as qcow2 and lands sparse, identical', async () => {
    const shown = (await offlineMoveCommands(input(SPARSE))).map((c) => `${c.host}: ${c.argv.slice(3).join(' ')}`);
    expect(shown.filter((l) => l.includes('vol-create-from'))).toEqual([
      expect.stringMatching(/^source: vol-create-from .* --vol sparse\.raw$/),
      expect.stringMatching(/^dest: vol-create-from .* --vol sparse\.raw\.virtdeck-transit-XXXX$/),
    ]);
    // TWIN on A has the same disk: it is copied, but not deleted from A although that is asked.
    const checks = await preflightOffline(input(SPARSE));
    expect(checks.find((c) => c.id === 'shared-vda')).toMatchObject({ ok: false, severity: 'warning', message: expect.stringContaining(`also a disk of “${TWIN.name}” on the source`) });
    const res = await runOfflineMove(input(SPARSE, { deleteSourceDisks: true }));
    expect(res.deletedSourceDisks).toEqual([]);
    expect(res.log).toContain(`kept ${DIR}/sparse.raw on the source: it is also a disk of ${TWIN.name}`);
    expect(existsSync(`${DIR}/sparse.raw`)).toBe(true);
    const onBFile = onB(`${DIR}/sparse.raw`);
    const allocated = Number(sh('stat', '-c', '%b', onBFile).trim()) * 512;
    console.log(`[offline-move] 512 MiB sparse raw (4 MiB written): ${res.disks[0]!.bytes} bytes sent, ${allocated} bytes allocated on B, ${res.seconds.toFixed(2)} s`);
    expect(res.disks[0]!.bytes).toBeLessThan(16 * 2 ** 20);
    expect(allocated).toBeLessThan(16 * 2 ** 20);
    expect(Number(sh('stat', '-c', '%s', onBFile).trim())).toBe(512 * 2 ** 20);
    expect(spawnSync('qemu-img', ['compare', '-U', '-f', 'raw', '-F', 'raw', `${DIR}/sparse.raw`, onBFile], { encoding: 'utf8' }).stdout).toMatch(/Images are identical/);
    expect(virsh('vol-list', '--pool', POOL).stdout).not.toMatch(/virtdeck-transit/);
    expect(privateVirsh(ph, 'vol-list', '--pool', POOL).stdout).not.toMatch(/virtdeck-transit/);
    expect(privateVirsh(ph, 'vol-dumpxml', '--pool', POOL, '--vol', 'sparse.raw').stdout).toContain(`<format type='raw'/>`);
    privateVirsh(ph, 'undefine', '--domain', SPARSE.uuid);
    privateVirsh(ph, 'vol-delete', '--pool', POOL, '--vol', 'sparse.raw');
  });

  it('moves the stopped VM with its qcow2 chain to B (flattened, identical content), undefines it on A, and it boots on B', async () => {
    const expected = join(work, 'expected.raw');
    sh('qemu-img', 'convert', '-O', 'raw', `${DIR}/disk.qcow2`, expected);
    expect(virsh('autostart', '--domain', MOVED.uuid).status).toBe(0);
    const phases: string[] = [];
    let lastCopy = 0;
    const res = await runOfflineMove(
      input(MOVED, {
        deleteSourceDisks: true,
        onProgress: (p) => {
          if (phases.at(-1) !== p.phase) phases.push(p.phase);
          if (p.phase === 'copy') lastCopy = p.dataProcessed ?? lastCopy;
        },
      }),
    );
    console.log(`[offline-move] ${res.disks.map((d) => `${d.dest}: ${d.bytes} bytes`).join(', ')} in ${res.seconds.toFixed(2)} s`);
    expect(phases).toEqual(['preflight', 'copy', 'define', 'verify', 'cleanup', 'done']);
    expect(res.disks).toEqual([{ source: `${DIR}/disk.qcow2`, dest: `${DIR}/disk.qcow2`, bytes: expect.any(Number) }]);
    expect(lastCopy).toBe(res.disks[0]!.bytes);
    expect(res.deletedSourceDisks).toEqual([`${DIR}/disk.qcow2`]);
    // A: gone, with its disk; the backing base (possibly shared) stays; no temporary volume left.
    expect(virsh('dominfo', '--domain', MOVED.uuid).status).not.toBe(0);
    expect(existsSync(`${DIR}/disk.qcow2`)).toBe(false);
    expect(virsh('vol-list', '--pool', POOL).stdout).not.toMatch(/virtdeck-flat/);
    // B: defined, shut off, its disk self-contained with the chain's content.
    expect(privateVirsh(ph, 'domstate', '--domain', MOVED.uuid).stdout.trim()).toBe('shut off');
    expect(privateVirsh(ph, 'dominfo', '--domain', MOVED.uuid).stdout).toMatch(/Autostart:\s+enable/);
    const info = JSON.parse(sh('qemu-img', 'info', '--output=json', '-U', onB(`${DIR}/disk.qcow2`))) as { format: string; 'backing-filename'?: string };
    expect(info.format).toBe('qcow2');
    expect(info['backing-filename']).toBeUndefined();
    expect(spawnSync('qemu-img', ['compare', '-U', expected, onB(`${DIR}/disk.qcow2`)], { encoding: 'utf8' }).stdout).toMatch(/Images are identical/);

    expect(privateVirsh(ph, 'start', '--domain', MOVED.uuid).status).toBe(0);
    const log = onB(`/var/log/libvirt/qemu/${MOVED.name}-serial.log`);
    await until(() => existsSync(log) && readFileSync(log, 'utf8').includes(th.GUEST_BANNER), 120_000, 'the moved guest’s banner on B');
    // Running on B now: an offline move from there is refused and says what to do instead.
    const running = (await preflightOffline({ source: dest, dest: localA, uuid: MOVED.uuid, deleteSourceDisks: false })).find((c) => c.id === 'state');
    expect(running).toMatchObject({ ok: false, severity: 'error', message: `“${MOVED.name}” is running: an offline move needs it shut off.`, fix: 'Shut it down first, or migrate it live.' });
    privateVirsh(ph, 'destroy', '--domain', MOVED.uuid);
    await until(() => privateVirsh(ph, 'domstate', '--domain', MOVED.uuid).stdout.trim() === 'shut off', 30_000, 'the guest on B to stop');

    // And back, B over SSH → A over a local connection (virsh's /dev/stdin through the local pipe).
    const back = await runOfflineMove({ source: dest, dest: localA, uuid: MOVED.uuid, deleteSourceDisks: true });
    console.log(`[offline-move] back to A (local): ${back.disks[0]!.bytes} bytes in ${back.seconds.toFixed(2)} s`);
    expect(privateVirsh(ph, 'dominfo', '--domain', MOVED.uuid).status).not.toBe(0);
    expect(existsSync(onB(`${DIR}/disk.qcow2`))).toBe(false);
    expect(virsh('domstate', '--domain', MOVED.uuid).stdout.trim()).toBe('shut off');
    expect(spawnSync('qemu-img', ['compare', '-U', expected, `${DIR}/disk.qcow2`], { encoding: 'utf8' }).stdout).toMatch(/Images are identical/);
  });

  it('cancelled after the define on B (while verifying): B’s definition, NVRAM and volumes are removed, A keeps the VM', async () => {
    const abort = new AbortController();
    const run = runOfflineMove(input(UEFI, { signal: abort.signal, onProgress: (p) => p.phase === 'verify' && abort.abort() }));
    await expect(run).rejects.toMatchObject({ code: 'cancelled', message: expect.stringMatching(/while verifying the VM on the destination/) });
    expect(privateVirsh(ph, 'dominfo', '--domain', UEFI.uuid).status).not.toBe(0);
    expect(existsSync(onB(NVRAM))).toBe(false);
    expect(virsh('domstate', '--domain', UEFI.uuid).stdout.trim()).toBe('shut off');
    expect(existsSync(NVRAM)).toBe(true);
    expect(privateVirsh(ph, 'pool-list', '--all', '--name').stdout).not.toMatch(/virtdeck-nvram/);
  });

  it('copies the UEFI variables (NVRAM) through temporary pools; A loses them with its definition', async () => {
    const sum = sha256(NVRAM);
    const checks = await preflightOffline(input(UEFI));
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    expect(checks.find((c) => c.id === 'boot-/usr/share/OVMF/OVMF_CODE_4M.fd')).toMatchObject({ ok: true });
    const shown = (await offlineMoveCommands(input(UEFI))).map((c) => `${c.host}: ${c.argv.slice(3).join(' ')}`);
    expect(shown.slice(0, 5)).toEqual([
      'source: pool-create-as --name virtdeck-nvram-XXXX --type dir --target /var/lib/libvirt/qemu/nvram',
      'dest: pool-create-as --name virtdeck-nvram-XXXX --type dir --target /var/lib/libvirt/qemu/nvram --build',
      `dest: vol-create-as --pool virtdeck-nvram-XXXX --name ${UEFI.name}_VARS.fd --capacity 0 --allocation 0 --format raw`,
      `source: -q vol-download --pool virtdeck-nvram-XXXX --vol ${UEFI.name}_VARS.fd --file /dev/stdout`,
      `dest: vol-upload --pool virtdeck-nvram-XXXX --vol ${UEFI.name}_VARS.fd --file /dev/stdin`,
    ]);
    const res = await runOfflineMove(input(UEFI));
    expect(res.log.filter((l) => /pool-create-as/.test(l))).toHaveLength(2);
    expect(sha256(onB(NVRAM))).toBe(sum);
    expect(existsSync(NVRAM)).toBe(false);
    expect(privateVirsh(ph, 'dumpxml', '--domain', UEFI.uuid, '--inactive').stdout).toContain(`>${NVRAM}</nvram>`);
    // The temporary pools are gone on both hosts.
    expect(virsh('pool-list', '--all', '--name').stdout).not.toMatch(/virtdeck-nvram/);
    expect(privateVirsh(ph, 'pool-list', '--all', '--name').stdout).not.toMatch(/virtdeck-nvram/);
  });
});
