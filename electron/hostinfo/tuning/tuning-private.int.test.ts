/**
 * The Tuning tab on the private test host (127.0.0.2:2223, e2e/support/private-host.ts), run
 * under `flock /tmp/vd-private-host.lock`:
 *   - over SSH as `vdsudo`, whose sudo rule (provision.sh) allows exactly `tee` of KSM's run and
 *     of /etc/ksmtuned.conf: with sudo opted in, KSM turns on and off and ksmtuned's config is edited;
 *   - hugepages: 72 × 2 MiB pages are allocated from the backend for a copy of the test guest
 *     with hugepage backing (128 MiB), it starts, the free count drops, it stops, they are released.
 * Why this host: libvirt finds hugetlbfs mounts only when libvirtd starts; this libvirtd starts
 * fresh after provisioning mounted /dev/hugepages (the shared one may predate the mount).
 * Sysfs and the config file are host-global: old values are restored in `finally`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../../e2e/support/backend-harness';
import { guestXmlAs, privateVirsh, startPrivateHost, stopPrivateHost, type PrivateHost } from '../../../e2e/support/private-host';
import { testHost } from '../../../e2e/support/test-host';

const th = testHost();
const SUDO_USER = 'vdsudo';
const GUEST = { name: 'vd-test-hugemem', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ff4b01', mac: '52:54:00:7e:4b:01' };
const RUN = '/sys/kernel/mm/ksm/run';
const CONF = '/etc/ksmtuned.conf';
const NR = '/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages';
const cat = (f: string) => readFileSync(f, 'utf8').trim();

describe('the Tuning tab on the private host', () => {
  let priv: PrivateHost;
  let h: Harness;
  let id = '';

  beforeAll(async () => {
    priv = await startPrivateHost();
    h = await startHarness();
    h.answerPrompts(() => ({ accept: true }));
    const uri = `qemu+ssh://${SUDO_USER}@${priv.SSH_HOST}:${priv.SSH_PORT}/system`;
    id = (await h.call('hosts.save', { connection: { name: 'private (sudo)', uri, ssh: { auth: 'key', keyFile: priv.SSH_KEY }, sudo: true } })).config.id;
    await h.call('hosts.connect', { hostId: id });
  });
  afterAll(async () => {
    privateVirsh(priv, 'destroy', GUEST.uuid);
    privateVirsh(priv, 'undefine', GUEST.uuid);
    h?.close();
    if (priv) await stopPrivateHost(priv);
  });

  it('a non-root user with sudo opted in turns KSM on and off through sudo -n tee', async () => {
    const old = cat(RUN);
    try {
      const t = await h.call('tuning.memory', { hostId: id });
      expect(t.rights).toMatchObject({ root: false, sudo: true });
      const preview = await h.call('commands.preview', { name: 'tuning.ksm.set', args: { hostId: id, run: 1 } });
      expect(preview.commands).toEqual([{ argv: ['sudo', '-n', 'tee', RUN], stdin: '1\n' }]);
      await h.call('tuning.ksm.set', { hostId: id, run: 1 });
      expect(cat(RUN)).toBe('1');
      await h.call('tuning.ksm.set', { hostId: id, run: 0 });
      expect(cat(RUN)).toBe('0');
    } finally {
      if (cat(RUN) !== old) writeFileSync(RUN, `${old}\n`);
    }
  });

  it("edits ksmtuned's config through sudo, keeping its comments, and the formula follows", async () => {
    const old = readFileSync(CONF, 'utf8');
    try {
      await h.call('tuning.ksmtuned.config', { hostId: id, values: { KSM_THRES_COEF: 35, KSM_THRES_CONST: 4096 } });
      const now = readFileSync(CONF, 'utf8');
      expect(now).toMatch(/^KSM_THRES_COEF=35$/m);
      expect(now).toMatch(/^KSM_THRES_CONST=4096$/m);
      expect(now).toContain('# Configuration file for ksmtuned.');
      const t = await h.call('tuning.memory', { hostId: id });
      const f = t.ksmtuned.formula;
      expect(t.ksmtuned.settings.find((s) => s.key === 'KSM_THRES_COEF')).toEqual({ key: 'KSM_THRES_COEF', value: 35, defaultValue: 20 });
      expect(f.thresKiB).toBe(Math.max(Math.trunc((f.totalKiB * 35) / 100), 4096));
      await h.call('tuning.ksmtuned.config', { hostId: id, values: { KSM_THRES_COEF: null, KSM_THRES_CONST: null } });
      expect(readFileSync(CONF, 'utf8')).toBe(old);
    } finally {
      writeFileSync(CONF, old);
    }
  });

  it('allocates 72 hugepages for a hugepage-backed copy of the test guest, which then starts and takes 64 of them', async () => {
    const old = cat(NR);
    try {
      const plain = guestXmlAs(th, GUEST);
      const define = (xml: string) => h.backend.hosts.get(id).run(['virsh', 'define', '--file', '/dev/stdin', '--validate'], { stdin: xml });
      // Without hugepage backing the Start check is silent.
      await define(plain);
      expect(await h.call('tuning.hugepages.check', { hostId: id, uuid: GUEST.uuid })).toBeNull();
      await define(plain.replace('<currentMemory', '<memoryBacking><hugepages/></memoryBacking>\n  <currentMemory'));
      await h.call('tuning.hugepages.allocate', { hostId: id, sizeKiB: 2048, count: 0 });
      const before = await h.call('tuning.hugepages.check', { hostId: id, uuid: GUEST.uuid });
      expect(before).toMatchObject({ fits: false, pagesNeeded: 64, pageSizeKiB: 2048 });
      expect(before!.reason).toContain('Allocate at least 64 more');

      await h.call('tuning.hugepages.allocate', { hostId: id, sizeKiB: 2048, count: 72 });
      let t = await h.call('tuning.memory', { hostId: id });
      const size = () => t.hugepages.sizes.find((s) => s.sizeKiB === 2048)!;
      expect([size().total, size().free]).toEqual([72, 72]);
      expect(t.hugepages.vms.find((v) => v.uuid === GUEST.uuid)).toMatchObject({ fits: true, reason: null });

      expect((await h.call('domains.action', { hostId: id, uuids: [GUEST.uuid], action: 'start' }))[0]).toMatchObject({ ok: true });
      t = await h.call('tuning.memory', { hostId: id });
      expect(size().free).toBe(72 - 64);
      expect(size().nodes[0]!.free).toBe(72 - 64);

      await h.call('domains.action', { hostId: id, uuids: [GUEST.uuid], action: 'destroy' });
      await h.call('tuning.hugepages.allocate', { hostId: id, sizeKiB: 2048, count: 0 });
      t = await h.call('tuning.memory', { hostId: id });
      expect([size().total, size().free]).toEqual([0, 0]);
      expect(cat(NR)).toBe('0');
    } finally {
      privateVirsh(priv, 'destroy', GUEST.uuid);
      if (cat(NR) !== old) writeFileSync(NR, `${old}\n`);
    }
  });
});
