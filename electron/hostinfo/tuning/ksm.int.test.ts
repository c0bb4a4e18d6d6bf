/**
 * KSM on the real test host (kernel 6.x, libvirt 9.0): as root locally it is turned on, set and
 * turned off, with the sysfs values read back; over SSH as the non-root test user the scan
 * settings still work (libvirtd writes them), but `run` is refused with the exact root command
 * to run, and nothing changes. The host is shared: every KSM value is restored in `finally`.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectOverSsh, startHarness, type Harness } from '../../../e2e/support/backend-harness';
import { testHost } from '../../../e2e/support/test-host';
import { AppError } from '../../../shared/errors';

const th = testHost();
const KSM = '/sys/kernel/mm/ksm';
const read = (f: string) => readFileSync(`${KSM}/${f}`, 'utf8').trim();
const SAVED = ['pages_to_scan', 'sleep_millisecs', 'run'] as const;

/** Runs `fn`, then writes the KSM values back as they were (run last: 0 stops the scan at once). */
async function restoringKsm(fn: () => Promise<void>): Promise<void> {
  const old = Object.fromEntries(SAVED.map((f) => [f, read(f)]));
  try {
    await fn();
  } finally {
    for (const f of SAVED) if (read(f) !== old[f]) writeFileSync(`${KSM}/${f}`, `${old[f]}\n`);
  }
}

describe('KSM from the Tuning tab', () => {
  let h: Harness;
  let local = '';
  let ssh = '';

  beforeAll(async () => {
    h = await startHarness();
    h.answerPrompts(() => ({ accept: true }));
    local = (await h.call('hosts.save', { connection: { name: 'local', uri: 'qemu:///system' } })).config.id;
    await h.call('hosts.connect', { hostId: local });
    ssh = await connectOverSsh(h, th);
  });
  afterAll(() => h?.close());

  it('lists every file of /sys/kernel/mm/ksm with the value the kernel shows, and who may change run', async () => {
    for (const id of [local, ssh]) {
      const t = await h.call('tuning.memory', { hostId: id });
      const names = readdirSync(KSM).sort();
      expect(t.ksm.files.map((f) => f.name)).toEqual(names);
      for (const f of t.ksm.files) if (!/^(pages_|full_scans|general_profit|stable_node|ksm_zero)/.test(f.name)) expect(f.value).toBe(read(f.name));
      expect(t.ksm.pageSizeBytes).toBe(4096);
      expect(t.rights.root).toBe(id === local);
    }
  });

  it('as root: turned on with a scan setting, read back from sysfs, then turned off', async () => {
    await restoringKsm(async () => {
      const args = { hostId: local, run: 1 as const, pagesToScan: 321, sleepMillisecs: 77 };
      const preview = await h.call('commands.preview', { name: 'tuning.ksm.set', args });
      const seq = (await h.call('activity.list', { hostId: local })).at(-1)?.seq ?? 0;
      await h.call('tuning.ksm.set', args);
      // What "Show command" said is what ran (the activity log records each command as shown).
      const ran = (await h.call('activity.list', { hostId: local, afterSeq: seq })).map((e) => e.argv).filter((a) => a[0] === 'tee' || a[3] === 'node-memory-tune');
      expect(ran).toEqual(preview.commands.map((c) => c.argv));
      expect(preview.commands.map((c) => c.argv)).toEqual([
        ['virsh', '-c', 'qemu:///system', 'node-memory-tune', '--shm-pages-to-scan', '321', '--shm-sleep-millisecs', '77'],
        ['tee', '/sys/kernel/mm/ksm/run'],
      ]);
      expect([read('run'), read('pages_to_scan'), read('sleep_millisecs')]).toEqual(['1', '321', '77']);
      expect((await h.call('tuning.memory', { hostId: local })).ksm.run).toBe(1);
      await h.call('tuning.ksm.set', { hostId: local, run: 0 });
      expect(read('run')).toBe('0');
    });
  });

  it('as a user without root or sudo: the scan settings change, run does not, and the error names the command', async () => {
    await restoringKsm(async () => {
      const before = read('run');
      const want = before === '1' ? 0 : 1;
      await h.call('tuning.ksm.set', { hostId: ssh, pagesToScan: 222 });
      expect(read('pages_to_scan')).toBe('222');
      const err = await h.call('tuning.ksm.set', { hostId: ssh, run: want, pagesToScan: 333 }).catch((e: AppError) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('permission');
      expect((err as AppError).message).toContain(`sudo tee /sys/kernel/mm/ksm/run <<'EOF'\n${want}\nEOF`);
      // Checked before anything ran: not even the node-memory-tune step.
      expect([read('run'), read('pages_to_scan')]).toEqual([before, '222']);
      const preview = await h.call('commands.preview', { name: 'tuning.ksm.set', args: { hostId: ssh, run: want } });
      expect(preview.commands).toEqual([{ argv: ['sudo', 'tee', '/sys/kernel/mm/ksm/run'], stdin: `${want}\n` }]);
    });
  });

  it('sudo opted in, but no sudoers rule for this user: sudo -n refuses at once (no password asked) and nothing changes', async () => {
    await restoringKsm(async () => {
      const saved = (await h.call('hosts.list', {})).find((c) => c.config.id === ssh)!.config;
      await h.call('hosts.save', { connection: { ...saved, sudo: true } });
      await h.call('hosts.connect', { hostId: ssh });
      const before = read('run');
      const preview = await h.call('commands.preview', { name: 'tuning.ksm.set', args: { hostId: ssh, run: before === '1' ? 0 : 1 } });
      expect(preview.commands[0]!.argv).toEqual(['sudo', '-n', 'tee', '/sys/kernel/mm/ksm/run']);
      const err = await h.call('tuning.ksm.set', { hostId: ssh, run: before === '1' ? 0 : 1 }).catch((e: AppError) => e);
      expect((err as AppError).code).toBe('permission');
      expect((err as AppError).message).toMatch(/^sudo refused: .*password is required/s);
      expect(read('run')).toBe(before);
    });
  });
});
