/**
 * Provisioning from an empty state: provision.sh's host steps (configure_libvirt, start_libvirt)
 * run alone in a private mount namespace over EMPTY tmpfs folders (/run/libvirt, /etc/libvirt,
 * /var/lib/libvirt, /var/log/libvirt, /var/cache/libvirt), then the test guest boots there to
 * its banner. So whatever libvirt or the guest needs that the steps forget to create (as
 * /var/log/libvirt/qemu once was) fails here, even on a machine that happens to have it.
 * The shared libvirtd is not touched (e2e/host/private-host.sh --empty).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { guestXmlAs, pidAlive, privateHostPath, privateVirsh, startPrivateHost, stopPrivateHost, type PrivateHost } from './support/private-host';
import { testHost } from './support/test-host';
import { until } from './support/until';

const th = testHost();
const GUEST = { name: 'vd-test-empty-state', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ff0e51', mac: '52:54:00:7e:0e:51' };
const FOLDERS = ['/run/libvirt', '/etc/libvirt', '/var/lib/libvirt', '/var/log/libvirt', '/var/cache/libvirt'];
const pidIn = (file: string) => Number(readFileSync(file, 'utf8').trim());

describe('provisioning from an empty state', () => {
  it("provision.sh's host steps alone, over empty libvirt folders, make a host that boots the test guest to its banner", async () => {
    const shared = { libvirtd: pidIn('/run/libvirtd.pid'), virtlogd: pidIn('/run/virtlogd.pid') };
    const dir = mkdtempSync(join(tmpdir(), 'vd-empty-state-'));
    let ph: PrivateHost | undefined;
    try {
      ph = await startPrivateHost({ empty: true });
      const h = ph;
      // Each folder is a tmpfs of its own in the host's namespace (it started empty).
      const mounts = readFileSync(`/proc/${h.SUPERVISOR_PID}/mountinfo`, 'utf8').split('\n').map((l) => l.split(' '));
      for (const f of FOLDERS) expect(mounts.findLast((m) => m[4] === f)?.slice(-3, -2), f).toEqual(['tmpfs']);

      writeFileSync(join(dir, 'guest.xml'), guestXmlAs(th, GUEST));
      const def = privateVirsh(h, 'define', join(dir, 'guest.xml'));
      expect(def.status, def.stderr).toBe(0);
      // Where a missing folder shows: libvirt cannot open the guest's logs and the start fails.
      const start = privateVirsh(h, 'start', GUEST.name);
      expect(start.status, start.stderr).toBe(0);
      const log = privateHostPath(h, `/var/log/libvirt/qemu/${GUEST.name}-serial.log`);
      await until(() => existsSync(log) && readFileSync(log, 'utf8').includes(th.GUEST_BANNER), 40_000, 'the guest banner on the empty-state host');
      expect(spawnSync('virsh', ['-c', 'qemu:///system', 'list', '--all', '--name'], { encoding: 'utf8' }).stdout).not.toContain(GUEST.name);

      const pids = [h.SUPERVISOR_PID, h.LIBVIRTD_PID, h.VIRTLOGD_PID, pidIn(privateHostPath(h, `/run/libvirt/qemu/${GUEST.name}.pid`))];
      await stopPrivateHost(h);
      ph = undefined;
      for (const p of pids) expect(pidAlive(p), `pid ${p} still runs`).toBe(false);
    } finally {
      if (ph) await stopPrivateHost(ph);
      rmSync(dir, { recursive: true, force: true });
    }
    expect({ libvirtd: pidIn('/run/libvirtd.pid'), virtlogd: pidIn('/run/virtlogd.pid') }).toEqual(shared);
    expect(pidAlive(shared.libvirtd)).toBe(true);
  }, 60_000);
});
