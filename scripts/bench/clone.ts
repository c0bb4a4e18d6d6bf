/**
 * Part "clone": clone throughput through Virtdeck (`clones.create`, a full copy, over SSH to
 * 127.0.0.1:2222, with its option reads, the define and the progress polling) against
 * `virsh vol-clone` alone (root, local) on the same volume in the same run. The source is
 * `vd-bench-clone-src`, a shut-off copy of the test guest with a 256 MiB raw disk fully written
 * (`--quick`: 64 MiB) in a temporary directory pool; everything is removed at the end.
 *
 * Usage: node dist/bench/clone.cjs [--quick]
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { startHarness } from '../../e2e/support/backend-harness';
import { testHost } from '../../e2e/support/test-host';
import { cloneXmlOf, defineValidated, removeClone } from '../../electron/libvirt/testing/details-guest';
import { emit, log, median, quietHarness, r } from './lib';

const SRC = { name: 'vd-bench-clone-src', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ffbc01', mac: '52:54:00:7e:bc:01' };
const POOL = 'vd-bench-clone-pool';
const virsh = (...a: string[]) => {
  const res = spawnSync('virsh', ['-c', 'qemu:///system', ...a], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`virsh ${a[0]}: ${res.stderr}`);
  return res.stdout;
};
const quiet = (...a: string[]) => spawnSync('virsh', ['-c', 'qemu:///system', ...a], { encoding: 'utf8' });

function cleanup(dir: string | undefined): void {
  for (const n of quiet('list', '--all', '--name').stdout.split('\n').map((s) => s.trim()).filter((s) => s.startsWith('vd-bench-clone-'))) {
    const uuid = quiet('domuuid', '--domain', n).stdout.trim();
    if (uuid) removeClone({ name: n, uuid, mac: '' });
  }
  quiet('pool-destroy', '--pool', POOL);
  if (dir) rmSync(dir, { recursive: true, force: true });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
  const mib = values.quick ? 64 : 256;
  const rounds = values.quick ? 2 : 3;
  const th = testHost();
  cleanup(undefined);
  const dir = mkdtempSync(join(tmpdir(), 'vd-bench-clone-'));
  chmodSync(dir, 0o755);
  const h = await startHarness();
  try {
    virsh('pool-create-as', '--name', POOL, '--type', 'dir', '--target', dir);
    const poolUuid = virsh('pool-uuid', '--pool', POOL).trim();
    virsh('vol-create-as', '--pool', POOL, '--name', 'src.raw', '--capacity', `${mib}M`, '--format', 'raw');
    const w = spawnSync('qemu-io', ['-f', 'raw', '-c', `write -P 0x5a 0 ${mib}M`, join(dir, 'src.raw')], { encoding: 'utf8' });
    if (w.status !== 0) throw new Error(`qemu-io: ${w.stderr}`);
    defineValidated(SRC.name, cloneXmlOf(th, SRC).replace('<devices>', `<devices>\n    <disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='${join(dir, 'src.raw')}'/><target dev='vdb' bus='virtio'/></disk>`));
    await quietHarness(h);
    const view = await h.call('hosts.save', { connection: { name: 'bench ssh', uri: `qemu+ssh://${th.SSH_USER}@${th.SSH_HOST}:${th.SSH_PORT}/system`, ssh: { auth: 'key', keyFile: th.SSH_KEY } } });
    const hostId = view.config.id;
    await h.call('hosts.connect', { hostId });
    const plain: number[] = [];
    const app: number[] = [];
    for (let i = 0; i < rounds; i++) {
      let t = performance.now();
      virsh('vol-clone', '--pool', poolUuid, '--vol', 'src.raw', '--newname', `plain-${i}.raw`);
      plain.push(performance.now() - t);
      virsh('vol-delete', '--pool', poolUuid, '--vol', `plain-${i}.raw`);
      t = performance.now();
      const res = await h.call('clones.create', { hostId, uuid: SRC.uuid, name: `vd-bench-clone-${i}`, disks: [{ target: 'vdb', mode: 'copy', newName: `app-${i}.raw` }] });
      app.push(performance.now() - t);
      removeClone({ name: res.name, uuid: res.uuid, mac: '' });
      virsh('vol-delete', '--pool', poolUuid, '--vol', `app-${i}.raw`);
      log(`clone: round ${i + 1}/${rounds}: vol-clone ${Math.round(plain[i]!)} ms, Virtdeck ${Math.round(app[i]!)} ms`);
    }
    const mbps = (ms: number) => r(mib / (ms / 1000));
    emit({
      bench: 'clone',
      where: 'ssh (Virtdeck) vs local root virsh (vol-clone)',
      sizeMiB: mib,
      rounds,
      volCloneMedianMs: r(median(plain)),
      virtdeckMedianMs: r(median(app)),
      volCloneMiBps: mbps(median(plain)),
      virtdeckMiBps: mbps(median(app)),
      overheadMedianMs: r(median(app) - median(plain)),
    });
  } finally {
    h.close();
    cleanup(dir);
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
