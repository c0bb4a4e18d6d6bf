/**
 * The Tuning tab's CPU map, pinning, memtune and advisor on the real host (libvirt 9.0.0, QEMU
 * 7.2 TCG, cgroup v1 with cpuset but no memory controller), through the real Backend locally
 * (qemu:///system) and over SSH as the non-root test user. Copies of the test guest only
 * (testing/tune-guests.ts): one started for live pinning, one shut off for the advisor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectOverSsh, startHarness, type Harness } from '../../../e2e/support/backend-harness';
import { testHost } from '../../../e2e/support/test-host';
import { ADV_CLONE, defineAdvisorGuest, defineHugepageGuest, HP_CLONE, PIN_CLONE, startPinGuest, tuneGuestDir, vcpupinTable, virsh, type TuneGuests } from './testing/tune-guests';

const th = testHost();
let guests: TuneGuests;

beforeAll(() => {
  guests = tuneGuestDir([PIN_CLONE, ADV_CLONE, HP_CLONE]);
  startPinGuest(th);
  defineHugepageGuest(th);
}, 60_000);
afterAll(() => guests?.cleanup());

describe.each([
  ['locally', 'local', 1],
  ['over SSH as the test user', 'ssh', 0],
] as const)('tuning %s', (_label, how, cpu) => {
  let h: Harness;
  let hostId: string;
  beforeAll(async () => {
    h = await startHarness();
    h.answerPrompts(() => ({ accept: true }));
    if (how === 'ssh') hostId = await connectOverSsh(h, th);
    else {
      hostId = (await h.call('hosts.save', { connection: { name: 'local', uri: 'qemu:///system' } })).config.id;
      await h.call('hosts.connect', { hostId });
    }
  }, 60_000);
  afterAll(() => h?.close());

  it('draws the host topology and the running copy on the CPU map', async () => {
    const t0 = performance.now();
    const map = await h.call('tuning.cpuMap', { hostId });
    console.log(`tuning.cpuMap ${how}: ${Math.round(performance.now() - t0)} ms for ${map.vms.length} VMs`);
    expect(map.hostCpus).toBe(2);
    expect(map.cells[0]!.cpus.map((c) => c.id)).toEqual([0, 1]);
    const vm = map.vms.find((v) => v.uuid === PIN_CLONE.uuid)!;
    expect(vm).toMatchObject({ name: PIN_CLONE.name, running: true });
  });

  it(`pins vCPU 0 to CPU ${cpu} persistently and live (cgroups allow it here), and virsh vcpupin agrees`, async () => {
    const live = await h.call('tuning.liveTuning', { hostId, uuid: PIN_CLONE.uuid });
    expect(live.pin).toEqual({ available: true, reason: null });
    const args = { hostId, uuid: PIN_CLONE.uuid, target: { kind: 'vcpu' as const, vcpu: 0 }, cpuset: String(cpu), config: true, live: true };
    const preview = await h.call('commands.preview', { name: 'tuning.pin', args });
    expect(preview.commands.map((c) => c.argv.slice(3))).toEqual([['vcpupin', '--domain', PIN_CLONE.uuid, '--vcpu', '0', '--cpulist', String(cpu), '--config', '--live']]);
    await h.call('tuning.pin', args);
    expect(vcpupinTable(PIN_CLONE.uuid, '--config')['0']).toBe(String(cpu));
    expect(vcpupinTable(PIN_CLONE.uuid, '--live')['0']).toBe(String(cpu));
    const vm = (await h.call('tuning.cpuMap', { hostId })).vms.find((v) => v.uuid === PIN_CLONE.uuid)!;
    expect(vm.vcpuPins).toContainEqual({ vcpu: 0, cpuset: String(cpu) });
    // Emulator threads too, live only.
    await h.call('tuning.pin', { hostId, uuid: PIN_CLONE.uuid, target: { kind: 'emulator' }, cpuset: String(cpu), config: false, live: true });
    expect(virsh('emulatorpin', '--domain', PIN_CLONE.uuid, '--live').stdout).toMatch(new RegExp(`\\*:\\s+${cpu}\\s`));
  });

  it('refuses a CPU list that is not one, and a CPU the host lacks, with a clear error', async () => {
    const bad = { hostId, uuid: PIN_CLONE.uuid, target: { kind: 'vcpu' as const, vcpu: 0 }, config: true, live: false };
    await expect(h.call('tuning.pin', { ...bad, cpuset: '$(reboot)' })).rejects.toMatchObject({ code: 'invalid_args' });
    await expect(h.call('tuning.pin', { ...bad, cpuset: '-1' })).rejects.toMatchObject({ code: 'invalid_args' });
    await expect(h.call('tuning.pin', { ...bad, cpuset: '7' })).rejects.toThrow(/no CPU 7/);
  });

  it('memtune: live is off with libvirt’s reason (no memory cgroup here); a --config hard limit is set and read back', async () => {
    const mt = await h.call('tuning.memtune', { hostId, uuid: PIN_CLONE.uuid });
    expect(mt.live.memtune.available).toBe(false);
    expect(mt.live.memtune.reason).toMatch(/cgroup memory controller is not mounted.*--config/);
    const kib = how === 'ssh' ? 1048576 : 2097152;
    await h.call('tuning.setMemtune', { hostId, uuid: PIN_CLONE.uuid, hardKiB: kib, softKiB: null, swapHardKiB: null, config: true, live: false });
    expect(virsh('memtune', '--domain', PIN_CLONE.uuid, '--config').stdout).toMatch(new RegExp(`hard_limit\\s*:\\s*${kib}`));
  });

  it('advisor: a shut-off debian12 copy with an IDE disk and an e1000 NIC gets both findings; the fixes apply through define --validate, the findings go, undo brings the old XML back', async () => {
    defineAdvisorGuest(th, ADV_CLONE, guests.dir);
    const original = virsh('dumpxml', '--inactive', '--domain', ADV_CLONE.uuid).stdout;
    const t0 = performance.now();
    const report = await h.call('tuning.advisor', { hostId });
    console.log(`tuning.advisor ${how}: ${Math.round(performance.now() - t0)} ms for ${report.checkedVms} VMs`);
    const mine = report.findings.filter((f) => f.vm?.uuid === ADV_CLONE.uuid);
    const disk = mine.find((f) => f.rule === 'disk-bus')!;
    const nic = mine.find((f) => f.rule === 'nic-model')!;
    expect(disk.evidence).toContain('disk hda on bus ide');
    expect(disk.evidence.join(' ')).toMatch(/debian12 is not in this host's osinfo-db/); // the 2022 db: the newest Debian stands in
    expect(nic.evidence).toContain(`interface ${ADV_CLONE.mac} with model e1000`);
    expect(disk.fix).toMatchObject({ kind: 'xml', available: true });
    expect(disk.fix!.warnings.join(' ')).toMatch(/\/dev\/sdX/);
    // A rule that does not apply is silent: the TCG copy gets no CPU-mode or clock findings.
    expect(mine.filter((f) => ['cpu-mode', 'kvmclock-off', 'windows-hyperv-clock'].includes(f.rule))).toEqual([]);

    const preview = await h.call('commands.preview', { name: 'tuning.applyFix', args: { hostId, findingId: disk.id } });
    expect(preview.commands[0]!.argv.slice(3)).toEqual(['define', '--file', '/dev/stdin', '--validate']);
    expect(preview.commands[0]!.stdin).toMatch(/<target dev='vda' bus='virtio'\/>/);

    const diff = (await h.call('tuning.fixDiff', { hostId, findingId: disk.id }))!;
    expect(diff.before.trimEnd()).toBe(original.trimEnd()); // the runner's stdout ends with one newline less
    expect(diff.after).toMatch(/<target dev='vda' bus='virtio'\/>/);

    const first = await h.call('tuning.applyFix', { hostId, findingId: disk.id });
    expect(first.undoEntryId).not.toBeNull();
    await h.call('tuning.applyFix', { hostId, findingId: nic.id });
    const fixed = virsh('dumpxml', '--inactive', '--domain', ADV_CLONE.uuid).stdout;
    expect(fixed).toMatch(/<target dev='vda' bus='virtio'\/>/);
    expect(fixed).toContain("<model type='virtio'/>");
    const after = (await h.call('tuning.advisor', { hostId })).findings.filter((f) => f.vm?.uuid === ADV_CLONE.uuid).map((f) => f.rule);
    expect(after).not.toContain('disk-bus');
    expect(after).not.toContain('nic-model');
    await expect(h.call('tuning.applyFix', { hostId, findingId: disk.id })).rejects.toThrow(/no longer applies/);
    const history = await h.call('details.history', { hostId, uuid: ADV_CLONE.uuid });
    expect(history.slice(0, 2).map((e) => e.cause)).toEqual(['advisor', 'advisor']);

    // Undo: the version before the first fix, restored through the same safe flow.
    const { etag } = await h.call('details.xml', { hostId, uuid: ADV_CLONE.uuid });
    await h.call('details.restore', { hostId, uuid: ADV_CLONE.uuid, entryId: first.undoEntryId!, etag });
    expect(virsh('dumpxml', '--inactive', '--domain', ADV_CLONE.uuid).stdout).toBe(original);
    const back = (await h.call('tuning.advisor', { hostId })).findings.filter((f) => f.vm?.uuid === ADV_CLONE.uuid).map((f) => f.rule);
    expect(back).toEqual(expect.arrayContaining(['disk-bus', 'nic-model']));
  });

  it('hugepage backing the host cannot satisfy: the finding says how many pages are missing, its fix is `virsh allocpages --add` (previewed, not run: hugepages are host-wide)', async () => {
    const f = (await h.call('tuning.advisor', { hostId })).findings.find((x) => x.vm?.uuid === HP_CLONE.uuid && x.rule === 'hugepages-unsatisfied')!;
    expect(f.evidence[0]).toBe('needs 32768 free pages of 2048 KiB for its memory');
    const free = Number(/the host has (\d+) free/.exec(f.evidence[1]!)![1]);
    const preview = await h.call('commands.preview', { name: 'tuning.applyFix', args: { hostId, findingId: f.id } });
    // The free count may move between the two calls (other tests allocate pages): the argv shape is fixed.
    expect(preview.commands.map((c) => c.argv.slice(3, 7))).toEqual([['allocpages', '--pagesize', '2048KiB', '--pagecount']]);
    expect(Number(preview.commands[0]!.argv[7])).toBeGreaterThan(32768 - free - 4096);
    expect(preview.commands[0]!.argv[8]).toBe('--add');
  });

  it('a fix whose finding does not apply is refused, and an unknown rule is invalid', async () => {
    const report = await h.call('tuning.advisor', { hostId });
    // The running pin copy has no osinfo metadata: silent for OS rules; a made-up id is refused.
    expect(report.findings.filter((f) => f.vm?.uuid === PIN_CLONE.uuid && f.rule === 'disk-bus')).toEqual([]);
    await expect(h.call('tuning.applyFix', { hostId, findingId: `disk-bus:${PIN_CLONE.uuid}` })).rejects.toThrow(/no longer applies/);
    await expect(h.call('tuning.applyFix', { hostId, findingId: 'nope:host' })).rejects.toMatchObject({ code: 'invalid_args' });
  });
});

describe("on libvirt's test driver (a simulated host)", () => {
  let h: Harness;
  let hostId: string;
  beforeAll(async () => {
    h = await startHarness();
    hostId = (await h.call('hosts.save', { connection: { name: 'test', uri: 'test:///default' } })).config.id;
    await h.call('hosts.connect', { hostId });
  });
  afterAll(() => h?.close());

  it('draws its 16 simulated CPUs and its VM, and the advisor runs without reading this machine’s KSM state', async () => {
    const map = await h.call('tuning.cpuMap', { hostId });
    expect(map.hostCpus).toBe(16);
    expect(map.vms.map((v) => v.name)).toContain('test');
    const report = await h.call('tuning.advisor', { hostId });
    expect(report.checkedVms).toBe(map.vms.length);
    expect(report.findings.filter((f) => f.rule === 'balloon-ksm')).toEqual([]);
  });
});
