/**
 * Live migration between two libvirt hosts on this machine, over SSH, without the shared host:
 * the private host (127.0.0.2:2223) and the empty-state host, which runs provisioning's host
 * steps with the shared host's own values (host UUID, migration address 127.0.1.1). So this
 * checks the settings the shared host gets, and that the two hosts' identities differ.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guestXmlAs, inPrivateHost, privateHostPath, privateVirsh, startPrivateHost, stopPrivateHost, type PrivateHost } from './support/private-host';
import { testHost } from './support/test-host';
import { until } from './support/until';

const th = testHost();
const GUEST = { name: 'vd-test-migrating', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ff0d01', mac: '52:54:00:7e:0d:01' };
const SERIAL_LOG = `/var/log/libvirt/qemu/${GUEST.name}-serial.log`;
const env = JSON.parse(readFileSync(process.env.VIRTDECK_TEST_ENV ?? '/var/lib/virtdeck-test/env.json', 'utf8')) as { HOST_UUID?: string; MIGRATION_ADDRESS?: string; GUEST_POWER_BUTTON_LINE: string };
const pidIn = (file: string) => Number(readFileSync(file, 'utf8').trim());

describe('live migration between two hosts on this machine', () => {
  let priv: PrivateHost | undefined;
  let other: PrivateHost | undefined;
  let dir: string;
  let privUri: string;
  const shared = { libvirtd: pidIn('/run/libvirtd.pid'), virtlogd: pidIn('/run/virtlogd.pid') };

  beforeAll(async () => {
    priv = await startPrivateHost();
    other = await startPrivateHost({ empty: true });
    dir = mkdtempSync(join(tmpdir(), 'vd-migration-'));
    // libvirt's ssh transport passes no known_hosts file to ssh: a wrapper does, checking the key.
    const ssh = join(dir, 'ssh');
    writeFileSync(ssh, `#!/bin/sh\nexec ssh -o UserKnownHostsFile=${priv.SSH_KNOWN_HOSTS} -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes "$@"\n`);
    chmodSync(ssh, 0o755);
    chmodSync(dir, 0o755);
    privUri = `qemu+ssh://${priv.SSH_USER}@${priv.SSH_HOST}:${priv.SSH_PORT}/system?keyfile=${priv.SSH_KEY}&command=${ssh}`;
  });
  afterAll(async () => {
    if (other) await stopPrivateHost(other);
    if (priv) await stopPrivateHost(priv);
    if (dir) rmSync(dir, { recursive: true, force: true });
    expect({ libvirtd: pidIn('/run/libvirtd.pid'), virtlogd: pidIn('/run/virtlogd.pid') }).toEqual(shared);
  });

  it('the two hosts have distinct host UUIDs and migration addresses, the second with the shared host’s values', () => {
    const uuidOf = (h: PrivateHost) => /<host>\s*<uuid>([^<]+)<\/uuid>/.exec(privateVirsh(h, 'capabilities').stdout)?.[1];
    expect(uuidOf(priv!)).toBe(priv!.HOST_UUID);
    expect(uuidOf(other!)).toBe(other!.HOST_UUID);
    expect(priv!.HOST_UUID).not.toBe(other!.HOST_UUID);
    expect([priv!.MIGRATION_ADDRESS, other!.MIGRATION_ADDRESS]).toEqual(['127.0.0.2', '127.0.1.1']);
    // Once provisioning has run with this version, env.json names the shared host's values.
    if (env.HOST_UUID) expect([other!.HOST_UUID, other!.MIGRATION_ADDRESS]).toEqual([env.HOST_UUID, env.MIGRATION_ADDRESS]);
  });

  it('a running guest migrates live to the private host over SSH and back, and still answers', async () => {
    const p = priv!;
    const o = other!;
    writeFileSync(join(dir, 'guest.xml'), guestXmlAs(th, GUEST));
    expect(privateVirsh(o, 'define', join(dir, 'guest.xml')).status).toBe(0);
    const start = privateVirsh(o, 'start', GUEST.name);
    expect(start.status, start.stderr).toBe(0);
    const log = (h: PrivateHost) => privateHostPath(h, SERIAL_LOG);
    await until(() => existsSync(log(o)) && readFileSync(log(o), 'utf8').includes(th.GUEST_BANNER), 60_000, 'the guest banner');

    // There: the client runs beside the source; the destination is reached over SSH.
    const there = privateVirsh(o, 'migrate', '--live', '--persistent', '--undefinesource', GUEST.name, privUri);
    expect(there.status, there.stderr).toBe(0);
    expect(privateVirsh(p, 'domstate', GUEST.name).stdout.trim()).toBe('running');
    expect(privateVirsh(o, 'dominfo', GUEST.name).status).not.toBe(0);

    // Back: the source is reached over SSH, the destination is local to the client.
    const back = inPrivateHost(o, 'virsh', '-c', privUri, 'migrate', '--live', '--persistent', '--undefinesource', GUEST.name, o.LIBVIRT_URI);
    expect(back.status, back.stderr).toBe(0);
    expect(privateVirsh(o, 'domstate', GUEST.name).stdout.trim()).toBe('running');
    expect(privateVirsh(p, 'dominfo', GUEST.name).status).not.toBe(0);

    // The guest lived through both: it answers the ACPI power button and powers off.
    expect(privateVirsh(o, 'shutdown', GUEST.name).status).toBe(0);
    await until(() => privateVirsh(o, 'domstate', GUEST.name).stdout.trim() === 'shut off', 30_000, 'the guest to power off');
    expect(readFileSync(log(o), 'utf8')).toContain(env.GUEST_POWER_BUTTON_LINE);
    expect(spawnSync('virsh', ['-c', 'qemu:///system', 'list', '--all', '--name'], { encoding: 'utf8' }).stdout).not.toContain(GUEST.name);
  });
});
