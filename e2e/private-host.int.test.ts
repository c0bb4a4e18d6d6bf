/**
 * The private libvirt host (e2e/host/private-host.sh): a second libvirtd on this machine that
 * the tests reach over SSH on 127.0.0.2:2223, independent of the shared one, which it must
 * leave untouched (other test runs use it at the same time).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guestXmlAs, pidAlive, privateHostPath, privateSsh, privateVirsh, startPrivateHost, stopPrivateHost, type PrivateHost } from './support/private-host';
import { testHost } from './support/test-host';
import { until } from './support/until';

const th = testHost();
const GUEST = { name: 'vd-test-private-guest', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ff0b02', mac: '52:54:00:7e:0b:02' };
const SERIAL_LOG = `/var/log/libvirt/qemu/${GUEST.name}-serial.log`;

const sharedVirsh = (...a: string[]) => spawnSync('virsh', ['-c', 'qemu:///system', ...a], { encoding: 'utf8' });
const pidIn = (file: string) => Number(readFileSync(file, 'utf8').trim());
/** A process's start time (field 22 of its stat), to tell it from a later one with its pid. */
const startOf = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
};
const env = JSON.parse(readFileSync(process.env.VIRTDECK_TEST_ENV ?? '/var/lib/virtdeck-test/env.json', 'utf8')) as { STATE_DIR: string };

/** The shared host as other tests see it. Domains other test runs may add or remove meanwhile
 *  (vd-test-*, except the provisioned guest) are left out of the list. */
function sharedHost() {
  const names = sharedVirsh('list', '--all', '--name').stdout.split('\n').map((s) => s.trim()).filter(Boolean);
  return {
    libvirtd: pidIn('/run/libvirtd.pid'),
    virtlogd: pidIn('/run/virtlogd.pid'),
    sshd: pidIn(`${env.STATE_DIR}/ssh/sshd.pid`),
    domains: names.filter((n) => n === th.GUEST_NAME || !n.startsWith('vd-test-')).sort(),
    all: names,
  };
}

describe('the private libvirt host', () => {
  let ph: PrivateHost | undefined;
  let before: ReturnType<typeof sharedHost>;
  let stopped = false;
  /** Every process of the private host the test saw, with its start time. */
  const pids = new Map<number, string | undefined>();
  const track = (...ps: number[]) => ps.forEach((p) => pids.set(p, startOf(p)));

  beforeAll(async () => {
    before = sharedHost();
    expect(before.domains).toContain(th.GUEST_NAME);
    ph = await startPrivateHost();
    track(ph.SUPERVISOR_PID, ph.LIBVIRTD_PID, ph.VIRTLOGD_PID, ph.SSHD_PID);
  });
  afterAll(async () => {
    if (ph && !stopped) await stopPrivateHost(ph);
  });

  it('starts in under 5 s', () => {
    expect(ph!.startMs).toBeLessThan(5000);
    for (const p of pids.keys()) expect(pidAlive(p)).toBe(true);
  });

  it('vdtest reaches its own libvirtd over SSH on 127.0.0.2:2223: its host UUID, not the shared guest', () => {
    const h = ph!;
    expect([h.SSH_HOST, h.SSH_PORT]).toEqual(['127.0.0.2', 2223]);
    const caps = privateSsh(h, 'virsh -c qemu:///system capabilities');
    expect(caps.status, caps.stderr).toBe(0);
    expect(caps.stdout).toContain(`<uuid>${h.HOST_UUID}</uuid>`);
    const sharedUuid = /<host>\s*<uuid>([^<]+)<\/uuid>/.exec(sharedVirsh('capabilities').stdout)?.[1];
    expect(sharedUuid).toBeTruthy();
    expect(sharedUuid).not.toBe(h.HOST_UUID);
    const list = privateSsh(h, 'virsh -c qemu:///system list --all --name');
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).not.toContain(th.GUEST_NAME);
    // The user outside group libvirt logs in but cannot use the socket, as on the shared host.
    const nogroup = privateSsh({ ...h, SSH_USER: h.SSH_NOGROUP_USER }, 'id -un; virsh -c qemu:///system list');
    expect(nogroup.stdout.trim()).toBe(h.SSH_NOGROUP_USER);
    expect(nogroup.status).not.toBe(0);
    expect(nogroup.stderr).toMatch(/Permission denied/);
  });

  it('boots a copy of the TCG test guest, defined over SSH, to its banner; the shared host never sees it', async () => {
    const h = ph!;
    const def = privateSsh(h, 'virsh -c qemu:///system define /dev/stdin', guestXmlAs(th, GUEST));
    expect(def.status, def.stderr).toBe(0);
    const start = privateSsh(h, `virsh -c qemu:///system start ${GUEST.name}`);
    expect(start.status, start.stderr).toBe(0);
    const log = privateHostPath(h, SERIAL_LOG);
    await until(() => existsSync(log) && readFileSync(log, 'utf8').includes(th.GUEST_BANNER), 60_000, 'the guest banner on the private host');
    const qemuPid = Number(readFileSync(privateHostPath(h, `/run/libvirt/qemu/${GUEST.name}.pid`), 'utf8').trim());
    expect(pidAlive(qemuPid)).toBe(true);
    track(qemuPid);

    expect(sharedVirsh('list', '--all', '--name').stdout).not.toContain(GUEST.name);
    expect(sharedVirsh('dominfo', '--domain', GUEST.uuid).status).not.toBe(0);
    expect(existsSync(`/etc/libvirt/qemu/${GUEST.name}.xml`)).toBe(false);
    expect(existsSync(SERIAL_LOG)).toBe(false);

    // ACPI shutdown, as a user would; the guest powers off.
    const down = privateSsh(h, `virsh -c qemu:///system shutdown ${GUEST.name}`);
    expect(down.status, down.stderr).toBe(0);
    await until(() => privateVirsh(h, 'domstate', GUEST.name).stdout.trim() === 'shut off', 30_000, 'the private guest to power off');
    await until(() => !pidAlive(qemuPid), 10_000, 'its QEMU to exit');
    // Left defined: stopping the host must cope with that too.
  });

  it('stops cleanly: none of its processes is left, and the shared host kept its daemons and guests', async () => {
    const running = privateSsh(ph!, `virsh -c qemu:///system start ${GUEST.name}`);
    expect(running.status, running.stderr).toBe(0);
    track(Number(readFileSync(privateHostPath(ph!, `/run/libvirt/qemu/${GUEST.name}.pid`), 'utf8').trim()));
    await stopPrivateHost(ph!);
    stopped = true;
    // Not even zombies: the supervisor reaped the daemons and QEMU, and this process reaped it.
    for (const [p, start] of pids) expect(start !== undefined && startOf(p) === start, `pid ${p} is still in /proc`).toBe(false);
    const after = sharedHost();
    expect({ ...after, all: undefined }).toEqual({ ...before, all: undefined });
    expect(after.all).not.toContain(GUEST.name);
  });
});
