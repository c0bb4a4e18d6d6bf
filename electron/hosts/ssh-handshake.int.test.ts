// The SSH handshake against real sshd instances: the time a person takes to answer is not the
// server's, an attempt owns its prompts, and host-key types are negotiated the way OpenSSH does.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness } from '../../e2e/support/backend-harness';
import { startPrivateSshd, type PrivateSshd } from '../../e2e/support/private-sshd';
import { sshPassword, sshUri, tempHome, testHost } from '../../e2e/support/test-host';
import type { Prompt } from '../../shared/model/prompt';
import type { AskScope } from './ssh-auth';
import { openSsh, type SshAsk, type SshEndpoint } from './ssh-connect';

const th = testHost();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A person at the keyboard: records each question and answers it (possibly slowly). */
function person(answers: { hostKey?: (s: AskScope) => Promise<boolean>; password?: (s: AskScope) => Promise<string | undefined> }) {
  const asked: string[] = [];
  const ask: SshAsk = {
    hostKey: async (s, keyType) => {
      asked.push(`hostKey ${keyType}`);
      return answers.hostKey ? answers.hostKey(s) : false;
    },
    secret: async (s, purpose, message) => {
      asked.push(`${purpose}: ${message}`);
      return purpose === 'password' && answers.password ? answers.password(s) : undefined;
    },
    forgetPassword: async () => {},
  };
  return { ask, asked };
}

describe('SSH handshake timing and prompts', () => {
  let home: ReturnType<typeof tempHome>;
  let sshd: PrivateSshd | undefined;
  let knownHosts = '';
  beforeEach(() => {
    home = tempHome();
    knownHosts = join(home.dir, '.ssh', 'known_hosts');
  });
  afterEach(async () => {
    await sshd?.stop();
    sshd = undefined;
    home.cleanup();
  });
  const endpoint = (port: number, auth: 'key' | 'password' = 'key'): SshEndpoint => ({
    host: th.SSH_HOST,
    port,
    user: th.SSH_USER,
    auth,
    keyFiles: auth === 'key' ? [th.SSH_KEY] : [],
  });
  const knownLine = (port: number, key: string) => {
    mkdirSync(join(home.dir, '.ssh'), { recursive: true });
    writeFileSync(knownHosts, `[${th.SSH_HOST}]:${port} ${key}\n`);
  };

  it('a host key accepted after 25 s of reading still connects and is remembered (reading is not handshake time)', async () => {
    const { ask, asked } = person({ hostKey: async () => (await sleep(25_000), true) });
    const link = await openSsh({ target: endpoint(th.SSH_PORT), knownHostsPath: knownHosts, homeDir: home.dir, ask });
    link.close();
    expect(asked).toEqual(['hostKey ssh-ed25519']);
    expect(readFileSync(knownHosts, 'utf8')).toContain(readFileSync(th.SSH_HOST_KEY_PUB, 'utf8').split(' ')[1]);
  }, 60_000);

  it('when sshd gives up during a slow host-key answer (LoginGraceTime), it reconnects and uses that answer instead of asking again', async () => {
    sshd = await startPrivateSshd({ hostKeys: ['ed25519'], extraConfig: ['LoginGraceTime 3'] });
    const { ask, asked } = person({ hostKey: async () => (await sleep(5000), true) });
    const link = await openSsh({ target: endpoint(sshd.port), knownHostsPath: knownHosts, homeDir: home.dir, ask });
    link.close();
    expect(asked).toEqual(['hostKey ssh-ed25519']);
    expect(readFileSync(knownHosts, 'utf8')).toBe(`[${th.SSH_HOST}]:${sshd.port} ${sshd.publicKeys.ed25519}\n`);
  });

  it('when sshd gives up during slow password typing (LoginGraceTime), it reconnects with the typed password', async () => {
    sshd = await startPrivateSshd({ hostKeys: ['ed25519'], extraConfig: ['LoginGraceTime 3'] });
    knownLine(sshd.port, sshd.publicKeys.ed25519!);
    const { ask, asked } = person({ password: async () => (await sleep(5000), sshPassword(th)) });
    const link = await openSsh({ target: endpoint(sshd.port, 'password'), knownHostsPath: knownHosts, homeDir: home.dir, ask });
    link.close();
    expect(asked).toEqual([`password: Password for ${th.SSH_USER}@${th.SSH_HOST}:${sshd.port}`]);
  });

  it('a connect called off while its host-key question is open withdraws the question and writes nothing to known_hosts', async () => {
    const abort = new AbortController();
    let scope: AskScope | undefined;
    // An asker that answers "trust" late, even after the question was withdrawn.
    const { ask } = person({ hostKey: async (s) => ((scope = s), await sleep(1500), true) });
    setTimeout(() => abort.abort(), 300);
    await expect(openSsh({ target: endpoint(th.SSH_PORT), knownHostsPath: knownHosts, homeDir: home.dir, ask, signal: abort.signal })).rejects.toMatchObject({
      code: 'cancelled',
    });
    expect(scope?.signal.aborted).toBe(true);
    await sleep(2000);
    expect(existsSync(knownHosts) ? readFileSync(knownHosts, 'utf8') : '').toBe('');
  });

  it('in the app, a password typed after sshd gave up (LoginGraceTime) still logs in, asked once', async () => {
    sshd = await startPrivateSshd({ hostKeys: ['ed25519'], extraConfig: ['LoginGraceTime 3'] });
    const h = await startHarness();
    try {
      // The person: trusts the key at once, types the password in 5 s.
      h.backend.onEvent((name, payload) => {
        if (name !== 'prompts.ask') return;
        const p = payload as Prompt;
        const reply = p.kind === 'hostKey' ? { accept: true } : { accept: true, value: sshPassword(th) };
        setTimeout(() => void h.backend.handle('prompts.answer', { promptId: p.promptId, ...reply }), p.kind === 'hostKey' ? 0 : 5000);
      });
      const uri = `qemu+ssh://${th.SSH_USER}@${th.SSH_HOST}:${sshd.port}/system`;
      const id = (await h.call('hosts.save', { connection: { name: 'slow typist', uri, ssh: { auth: 'password' } } })).config.id;
      await h.call('hosts.connect', { hostId: id });
      expect(h.prompts.map((p) => p.kind)).toEqual(['hostKey', 'secret']);
      expect((await h.call('domains.list', { hostId: id })).some((d) => d.name === th.GUEST_NAME)).toBe(true);
    } finally {
      h.close();
    }
  });

  it('disconnecting while the host-key prompt is open closes that prompt', async () => {
    const h = await startHarness();
    try {
      const id = (await h.call('hosts.save', { connection: { name: 'ssh', uri: sshUri(th), ssh: { auth: 'key', keyFile: th.SSH_KEY } } })).config.id;
      const asked = h.next('prompts.ask', (p) => p.kind === 'hostKey', 10_000);
      const connecting = h.call('hosts.connect', { hostId: id }).catch((e: unknown) => e);
      const prompt = await asked;
      const closed = h.next('prompts.closed', (p) => p.promptId === prompt.promptId, 5000);
      await h.call('hosts.disconnect', { hostId: id });
      await closed;
      expect(await h.call('prompts.list', {})).toEqual([]);
      expect(await connecting).toMatchObject({ code: 'cancelled' });
    } finally {
      h.close();
    }
  });
});

describe('host-key types', () => {
  let home: ReturnType<typeof tempHome>;
  let sshd: PrivateSshd | undefined;
  beforeEach(() => (home = tempHome()));
  afterEach(async () => {
    await sshd?.stop();
    sshd = undefined;
    home.cleanup();
  });
  const connectWithKnown = async (known: string) => {
    const knownHosts = join(home.dir, '.ssh', 'known_hosts');
    mkdirSync(join(home.dir, '.ssh'), { recursive: true });
    writeFileSync(knownHosts, `[${th.SSH_HOST}]:${sshd!.port} ${known}\n`);
    const { ask, asked } = person({ hostKey: async () => true });
    const target: SshEndpoint = { host: th.SSH_HOST, port: sshd!.port, user: th.SSH_USER, auth: 'key', keyFiles: [th.SSH_KEY] };
    const result = await openSsh({ target, knownHostsPath: knownHosts, homeDir: home.dir, ask }).then(
      (link) => (link.close(), 'connected'),
      (e: unknown) => e,
    );
    return { result, asked, knownHosts: readFileSync(knownHosts, 'utf8') };
  };

  it('a host with ed25519 and ecdsa keys, known by its ecdsa key only, connects with ecdsa and asks nothing', async () => {
    sshd = await startPrivateSshd({ hostKeys: ['ed25519', 'ecdsa'] });
    const r = await connectWithKnown(sshd.publicKeys.ecdsa!);
    expect(r).toMatchObject({ result: 'connected', asked: [] });
    expect(r.knownHosts).not.toContain(sshd.publicKeys.ed25519!.split(' ')[1]);
  });

  it('the same host known by its ed25519 key only connects with ed25519 and asks nothing', async () => {
    sshd = await startPrivateSshd({ hostKeys: ['ed25519', 'ecdsa'] });
    expect(await connectWithKnown(sshd.publicKeys.ed25519!)).toMatchObject({ result: 'connected', asked: [] });
  });

  it('a known host that now offers only a new key type is refused with how to accept it, without a prompt', async () => {
    sshd = await startPrivateSshd({ hostKeys: ['ecdsa'] });
    const other = await startPrivateSshd({ hostKeys: ['ed25519'] }); // just for a real ed25519 key
    await other.stop();
    const r = await connectWithKnown(other.publicKeys.ed25519!);
    expect(r.asked).toEqual([]);
    expect(r.result).toMatchObject({ code: 'host_key_changed', message: expect.stringMatching(/known by its ssh-ed25519 host key.*only a ecdsa-sha2-nistp256 key.*ssh-keygen -R/s) });
    expect(r.knownHosts.trim().split('\n')).toHaveLength(1);
  });
});
