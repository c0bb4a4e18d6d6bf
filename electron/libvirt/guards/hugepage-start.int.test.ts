/**
 * Issue 17 on the real host: Start in the VM list asks `tuning.hugepages.checkStart` first. A copy
 * of the test guest backed by hugepages, with no free hugepages on the host (none are allocated
 * here: the shared host is never changed), is named with the reason, and libvirt indeed refuses
 * to start it; a VM without hugepages is not named.
 */
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectOverSsh, startHarness, type Harness } from '../../../e2e/support/backend-harness';
import { testHost } from '../../../e2e/support/test-host';
import { cloneXmlOf, defineValidated, removeClone, type CloneId } from '../testing/details-guest';

const virsh = (...a: string[]) => spawnSync('virsh', ['-c', 'qemu:///system', ...a], { encoding: 'utf8' });
const HUGE_VM: CloneId = { name: 'vd-test-guards-huge', uuid: '5d7e57a1-0000-4e2e-8d0c-9a4d00000b03', mac: '52:54:00:9a:4d:03' };
const freeHugepages = () => Number(/HugePages_Free:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 'NaN');

describe('Start says why a hugepage-backed VM would not start, before it is started', () => {
  const th = testHost();
  let h: Harness;
  let hostId = '';
  let guestUuid = '';

  beforeAll(async () => {
    removeClone(HUGE_VM);
    defineValidated(HUGE_VM.name, cloneXmlOf(th, HUGE_VM).replace('</currentMemory>', '</currentMemory>\n  <memoryBacking><hugepages/></memoryBacking>'));
    guestUuid = virsh('domuuid', '--domain', th.GUEST_NAME).stdout.trim();
    h = await startHarness();
    h.answerPrompts(() => ({ accept: true }));
    hostId = await connectOverSsh(h, th);
  }, 120_000);

  afterAll(() => {
    h?.close();
    removeClone(HUGE_VM);
  });

  it('names the hugepage-backed VM with the pages it needs, and not the VM without hugepages', async () => {
    // Precondition, not a change: this host has no hugepages allocated (provisioning allocates none).
    expect(freeHugepages()).toBe(0);
    const t0 = performance.now();
    const refused = await h.call('tuning.hugepages.checkStart', { hostId, uuids: [HUGE_VM.uuid, guestUuid] });
    const ms = performance.now() - t0;
    expect(refused).toEqual([
      expect.objectContaining({ uuid: HUGE_VM.uuid, name: HUGE_VM.name, fits: false, pageSizeKiB: 2048, pagesNeeded: 64, reason: expect.stringMatching(/needs 64 pages of 2048 KiB \(128 MiB\); 0 are free/) }),
    ]);
    // A VM without hugepages costs one dumpxml: nothing to refuse, no host files read.
    const t1 = performance.now();
    expect(await h.call('tuning.hugepages.checkStart', { hostId, uuids: [guestUuid] })).toEqual([]);
    console.log(`checkStart over SSH: 2 VMs (one with hugepages) ${ms.toFixed(0)} ms, 1 VM without ${(performance.now() - t1).toFixed(0)} ms`);
    // And the reason is real: libvirt refuses to start it.
    const start = virsh('start', '--domain', HUGE_VM.uuid);
    expect(start.status).not.toBe(0);
    expect(virsh('domstate', '--domain', HUGE_VM.uuid).stdout.trim()).toBe('shut off');
  });
});
