/**
 * A linked pair for the delete guards' tests: a temp dir pool with `base.qcow2` and an overlay on
 * it, a copy of the test guest whose disk is the base (file) and one whose disk is the overlay as
 * a <disk type='volume'> (what New VM's cloud overlays are). Nothing runs; cleanup removes it all.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestHost } from '../../../e2e/support/test-host';
import { cloneXmlOf, defineValidated, removeClone, type CloneId } from './details-guest';

const virsh = (...a: string[]) => spawnSync('virsh', ['-c', 'qemu:///system', ...a], { encoding: 'utf8' });
export const PAIR_OVERLAY = 'cloud "$(x)" overlay.qcow2';

export interface LinkedPair {
  pool: string;
  poolUuid: string;
  dir: string;
  base: string;
  baseVm: CloneId;
  linkedVm: CloneId;
  cleanup(): void;
}

/** `tag` keeps the integration test's pair apart from the e2e one (names and UUIDs). */
export function makeLinkedPair(th: TestHost, tag: 'int' | 'e2e'): LinkedPair {
  const n = tag === 'int' ? '1' : '2';
  const pool = `vd-test-guards-${tag}-pool`;
  const baseVm: CloneId = { name: `vd-test-guards-${tag}-base`, uuid: `5d7e57a1-0000-4e2e-8d0c-9a4d0000${n}b01`, mac: `52:54:00:9a:${n}d:01` };
  const linkedVm: CloneId = { name: `vd-test-guards-${tag}-linked`, uuid: `5d7e57a1-0000-4e2e-8d0c-9a4d0000${n}b02`, mac: `52:54:00:9a:${n}d:02` };
  const dir = mkdtempSync(join(tmpdir(), 'vd-guards-'));
  const base = join(dir, 'base.qcow2');
  const cleanup = () => {
    for (const c of [baseVm, linkedVm]) removeClone(c);
    for (const v of [PAIR_OVERLAY, 'base.qcow2']) virsh('vol-delete', '--pool', pool, '--vol', v);
    virsh('pool-destroy', pool);
    virsh('pool-undefine', pool);
    rmSync(dir, { recursive: true, force: true });
  };
  const must = (r: ReturnType<typeof virsh>) => {
    if (r.status !== 0) throw new Error(r.stderr);
  };
  try {
    execFileSync('chmod', ['755', dir]);
    virsh('pool-destroy', pool);
    virsh('pool-undefine', pool);
    must(virsh('pool-define-as', pool, 'dir', '--target', dir));
    must(virsh('pool-start', pool));
    must(virsh('vol-create-as', pool, 'base.qcow2', '16M', '--format', 'qcow2'));
    must(virsh('vol-create-as', pool, PAIR_OVERLAY, '16M', '--format', 'qcow2', '--backing-vol', base, '--backing-vol-format', 'qcow2'));
    const disk = (type: string, src: string) => `  <disk type='${type}' device='disk'><driver name='qemu' type='qcow2'/><source ${src}/><target dev='vdb' bus='virtio'/></disk>\n  </devices>`;
    for (const c of [baseVm, linkedVm]) removeClone(c);
    defineValidated(baseVm.name, cloneXmlOf(th, baseVm).replace('</devices>', disk('file', `file='${base}'`)));
    defineValidated(linkedVm.name, cloneXmlOf(th, linkedVm).replace('</devices>', disk('volume', `pool='${pool}' volume='${PAIR_OVERLAY.replaceAll('"', '&quot;')}'`)));
  } catch (e) {
    cleanup();
    throw e;
  }
  return { pool, poolUuid: virsh('pool-uuid', pool).stdout.trim(), dir, base, baseVm, linkedVm, cleanup };
}
