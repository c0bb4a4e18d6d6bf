import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectOverSsh, outsideChange, startHarness, type Harness } from '../../e2e/support/backend-harness';
import { resetGuest, sshPassword, sshUri, testHost } from '../../e2e/support/test-host';
import { until } from '../../e2e/support/until';
import { ownTcpConnectionsTo, processesWithEnv } from '../../e2e/support/processes';
import { CONNECTION_ENV } from './command-runner';

const th = testHost();
const hostFingerprint = execFileSync('ssh-keygen', ['-lf', th.SSH_HOST_KEY_PUB], { encoding: 'utf8' }).split(' ')[1];

async function addSsh(h: Harness, ssh: { auth: 'key' | 'password' | 'agent'; keyFile?: string }): Promise<string> {
  const view = await h.call('hosts.save', { connection: { name: 'loopback', uri: sshUri(th), ssh, autoconnect: false } });
  return view.config.id;
}

describe('remote host over real SSH (qemu+ssh to 127.0.0.1)', () => {
  let h: Harness;
  beforeEach(async () => {
    resetGuest(th);
    h = await startHarness();
  });
  afterEach(() => h.close());

  it('asks about an unknown host key with the OpenSSH fingerprint, remembers it, and manages the guest', async () => {
    h.answerPrompts(() => ({ accept: true }));
    const id = await addSsh(h, { auth: 'key', keyFile: th.SSH_KEY });
    await h.call('hosts.connect', { hostId: id });
    expect(h.prompts).toEqual([expect.objectContaining({ kind: 'hostKey', host: th.SSH_HOST, port: th.SSH_PORT, fingerprint: hostFingerprint })]);
    const known = readFileSync(join(h.home, '.ssh', 'known_hosts'), 'utf8');
    expect(spawnSync('ssh-keygen', ['-F', `[${th.SSH_HOST}]:${th.SSH_PORT}`, '-f', join(h.home, '.ssh', 'known_hosts')]).status).toBe(0);
    expect(known).toMatch(/ssh-ed25519|ecdsa|ssh-rsa/);

    const find = async () => (await h.call('domains.list', { hostId: id })).find((d) => d.name === th.GUEST_NAME);
    const vm = await find();
    expect(vm?.state).toBe('shutoff');
    await h.call('domains.action', { hostId: id, uuids: [vm!.uuid], action: 'start' });
    expect((await find())?.state).toBe('running');
    // An outside change arrives within 2 s (the event stream runs over the same SSH connection;
    // lifecycle.int.test.ts holds it to events only).
    expect((await outsideChange(h, id, ['destroy', th.GUEST_NAME])).ms).toBeLessThan(2000);
    expect((await find())?.state).toBe('shutoff');

    // A second connect of the same host asks nothing: the key is known now.
    await h.call('hosts.disconnect', { hostId: id });
    await h.call('hosts.connect', { hostId: id });
    expect(h.prompts).toHaveLength(1);
  });

  it('refuses a changed host key without asking', async () => {
    mkdirSync(join(h.home, '.ssh'), { recursive: true });
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(h.home, 'other')]);
    const other = readFileSync(join(h.home, 'other.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
    writeFileSync(join(h.home, '.ssh', 'known_hosts'), `[${th.SSH_HOST}]:${th.SSH_PORT} ${other}\n`);
    h.answerPrompts(() => ({ accept: true }));
    const id = await addSsh(h, { auth: 'key', keyFile: th.SSH_KEY });
    await expect(h.call('hosts.connect', { hostId: id })).rejects.toMatchObject({ code: 'host_key_changed' });
    expect(h.prompts).toEqual([]);
    expect((await h.call('hosts.list', {})).find((x) => x.config.id === id)?.status).toMatchObject({ state: 'error', message: expect.stringMatching(/CHANGED/) });
  });

  it('a rejected new host key does not connect and is not saved', async () => {
    h.answerPrompts(() => ({ accept: false }));
    const id = await addSsh(h, { auth: 'key', keyFile: th.SSH_KEY });
    await expect(h.call('hosts.connect', { hostId: id })).rejects.toMatchObject({ code: 'host_key_unknown_rejected' });
    expect(spawnSync('ssh-keygen', ['-F', `[${th.SSH_HOST}]:${th.SSH_PORT}`, '-f', join(h.home, '.ssh', 'known_hosts')]).status).not.toBe(0);
  });

  it('password and key-passphrase prompts authenticate', async () => {
    h.answerPrompts((p) => (p.kind === 'hostKey' ? { accept: true } : p.purpose === 'passphrase' ? { accept: true, value: th.SSH_KEY_PASSPHRASE } : { accept: true, value: sshPassword(th) }));
    const pw = await addSsh(h, { auth: 'password' });
    await h.call('hosts.connect', { hostId: pw });
    expect(h.prompts.some((p) => p.kind === 'secret' && (p.purpose === 'password' || p.purpose === 'keyboard-interactive'))).toBe(true);
    const pp = await addSsh(h, { auth: 'key', keyFile: th.SSH_KEY_PASS });
    await h.call('hosts.connect', { hostId: pp });
    expect(h.prompts.some((p) => p.kind === 'secret' && p.purpose === 'passphrase')).toBe(true);
    expect((await h.call('domains.list', { hostId: pp })).some((d) => d.name === th.GUEST_NAME)).toBe(true);
  });

  it('a killed SSH connection fails the command in flight clearly and reconnects by itself', async () => {
    h.answerPrompts(() => ({ accept: true }));
    const id = await addSsh(h, { auth: 'key', keyFile: th.SSH_KEY });
    await h.call('hosts.connect', { hostId: id });
    const reconnecting = h.next('hosts.status', (p) => p.hostId === id && p.status.state === 'reconnecting', 10_000);
    const inFlight = h.backend.hosts.get(id).run(['virsh', 'event', '--all', '--timeout', '20']);
    // sshd's per-connection processes for the test user: killing them drops the TCP connection.
    spawnSync('pkill', ['-KILL', '-f', `^sshd: ${th.SSH_USER}`]);
    await expect(inFlight).rejects.toMatchObject({ code: 'disconnected' });
    await reconnecting;
    await h.next('hosts.status', (p) => p.hostId === id && p.status.state === 'connected', 20_000);
    expect((await h.call('domains.list', { hostId: id })).some((d) => d.name === th.GUEST_NAME)).toBe(true);
  });
});

describe('programs on the host end with the connection', () => {
  it('disconnect ends the virsh session and every event watcher it started over SSH', async () => {
    const h = await startHarness();
    try {
      h.answerPrompts(() => ({ accept: true }));
      const id = await connectOverSsh(h, th);
      // Exactly this connection's programs (other suites may run virsh as the same user now).
      const tag = connectionTagOf(h, id);
      const ours = () => processesWithEnv(tag).filter((p) => p.cmdline.startsWith('virsh '));
      // The session and the domain, pool and network watchers.
      await until(() => ours().length >= 4, 5000, '4 virsh processes');
      await h.call('hosts.disconnect', { hostId: id });
      // Without a signal, `pool-event`/`net-event --loop` would live on until their next event.
      await until(() => ours().length === 0, 5000, 'the watchers to end');
    } finally {
      h.close();
    }
  });
});

describe('SSH channels in use', () => {
  it('long-lived programs leave room for short commands; one that must wait says so on the host and gets the next free channel', async () => {
    const h = await startHarness();
    try {
      h.answerPrompts(() => ({ accept: true }));
      const id = await connectOverSsh(h, th);
      const host = h.backend.hosts.get(id);
      // The session and three event watchers hold 4 long-lived channels (their spawns may still
      // be on their way when connect returns: wait for them); 4 serial consoles or transfers
      // take the other 4 that long-lived programs may have.
      const tag = connectionTagOf(h, id);
      await until(() => processesWithEnv(tag).filter((p) => p.cmdline.startsWith('virsh ')).length >= 4, 10_000, 'the session and 3 watchers');
      const held = await Promise.all([1, 2, 3, 4].map((i) => host.open(['sleep', `600.${i}`])));
      const said = h.next('hosts.status', (p) => p.hostId === id && /Waiting for a free SSH channel \(the host allows 10/.test(p.status.message ?? ''), 10_000);
      const fifth = host.open(['sleep', '600.5']);
      await said;
      expect(host.status).toMatchObject({ state: 'connected', message: expect.stringContaining('Waiting for a free SSH channel') });
      // Short commands on their own channel still run meanwhile (define, save, a console's lookup).
      expect((await host.run(['virsh', 'define', '/dev/stdin', '--validate'], { stdin: '<not-xml' }).catch((e: Error) => e.message))).toMatch(/XML|xml|parse/);
      expect((await host.run(['echo', 'short'])).stdout).toBe('short\n');
      const cleared = h.next('hosts.status', (p) => p.hostId === id && p.status.state === 'connected' && p.status.message === undefined, 10_000);
      // Nobody reads the killed program's output: its channel must close all the same.
      held[0]!.kill();
      const proc = await fifth;
      await cleared;
      proc.kill();
      for (const p of held) p.kill();
    } finally {
      h.close();
    }
  });
});

describe('quick commands over SSH', () => {
  it('each of many at once gets its own exit status (status, data and close can arrive with the channel open)', async () => {
    const h = await startHarness();
    try {
      h.answerPrompts(() => ({ accept: true }));
      const id = await connectOverSsh(h, th);
      const host = h.backend.hosts.get(id);
      const codes: Array<number | null> = [];
      for (let round = 0; round < 5; round++) {
        const results = await Promise.all(Array.from({ length: 12 }, (_, i) => host.run(['sh', '-c', `echo ${i}; exit ${i % 3}`], { allowFailure: true })));
        results.forEach((r, i) => expect(r.stdout).toBe(`${i}\n`));
        codes.push(...results.map((r) => r.code));
      }
      expect(codes).toEqual(Array.from({ length: 5 }, () => Array.from({ length: 12 }, (_, i) => i % 3)).flat());
    } finally {
      h.close();
    }
  });
});

describe('libvirt permission errors', () => {
  it('a user outside group libvirt gets libvirt\'s message and what to fix', async () => {
    const h = await startHarness();
    try {
      h.answerPrompts(() => ({ accept: true }));
      const user = th.SSH_NOGROUP_USER;
      const { config } = await h.call('hosts.save', {
        connection: { name: 'no group', uri: `qemu+ssh://${user}@${th.SSH_HOST}:${th.SSH_PORT}/system`, ssh: { auth: 'key', keyFile: th.SSH_KEY } },
      });
      const err = await h.call('hosts.connect', { hostId: config.id }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'permission', message: expect.stringMatching(/libvirt-sock.*Permission denied.*libvirt/s) });
      // SSH was up when virsh failed: the failed attempt closes it, rather than keeping a
      // logged-in link under an 'error' status.
      expect((await h.call('hosts.list', {})).find((v) => v.config.id === config.id)?.status.state).toBe('error');
      await until(() => ownTcpConnectionsTo(th.SSH_PORT) === 0, 3000, 'the failed attempt to close its SSH connection');
    } finally {
      h.close();
    }
  });
});

/** What every program of this harness's connection `id` carries in its environment. */
function connectionTagOf(h: Harness, id: string): string {
  return `${CONNECTION_ENV}=virtdeck-bound:${readFileSync(join(h.home, 'config', 'instance-id'), 'utf8').trim()}:${id}`;
}
