// Logging in with prompts: cancelling one, and a ProxyJump hop with its own password. The hop
// (and the one-time-code server) is an SSH server inside this process; the target is the
// provisioned sshd, so the connection is real to the end.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Prompt } from '../../shared/model/prompt';
import { MemorySecretStore } from '../core/adapters';
import { startHarness, type Harness } from '../../e2e/support/backend-harness';
import { startFakeSshd, type FakeSshd } from '../../e2e/support/fake-sshd';
import { sshPassword, sshUri, testHost } from '../../e2e/support/test-host';

const th = testHost();


describe('SSH login prompts', () => {
  let h: Harness;
  let fake: FakeSshd;
  const rejections: unknown[] = [];
  const onRejection = (r: unknown) => rejections.push(r);
  beforeEach(() => {
    rejections.length = 0;
    process.on('unhandledRejection', onRejection);
  });
  afterEach(async () => {
    process.off('unhandledRejection', onRejection);
    h?.close();
    await fake?.close();
  });

  it('cancelling a keyboard-interactive question ends the login as cancelled, and nothing crashes', async () => {
    fake = await startFakeSshd({ passwords: { otp: 'pw' }, oneTimeCode: { prompt: 'Verification code: ', code: '123456' } });
    h = await startHarness();
    h.answerPrompts((p) => (p.kind === 'hostKey' ? { accept: true } : p.purpose === 'password' ? { accept: true, value: 'pw' } : { accept: false }));
    const { config } = await h.call('hosts.save', { connection: { name: 'otp', uri: `qemu+ssh://otp@127.0.0.1:${fake.port}/system`, ssh: { auth: 'password' } } });
    const started = Date.now();
    await expect(h.call('hosts.connect', { hostId: config.id })).rejects.toMatchObject({ code: 'cancelled' });
    expect(Date.now() - started).toBeLessThan(10_000); // not the handshake timeout
    expect(h.prompts.filter((p) => p.kind === 'secret').map((p) => p.message)).toEqual([
      `Password for otp@127.0.0.1:${fake.port}`,
      `otp@127.0.0.1:${fake.port} asks: Verification code:`,
    ]);
    await new Promise((r) => setTimeout(r, 100)); // let a stray rejection surface
    expect(rejections).toEqual([]);
  });

  describe('ProxyJump with a password on each host', () => {
    const hop = { user: 'hopper', password: 'hop-secret' };
    let hopLogin = '';
    let targetLogin = '';
    const answer = (p: Prompt) => {
      if (p.kind === 'hostKey') return { accept: true };
      if (p.message.includes(hopLogin)) return { accept: true, value: hop.password, remember: true };
      if (p.message.includes(targetLogin)) return { accept: true, value: sshPassword(th), remember: true };
      return { accept: false };
    };
    beforeEach(async () => {
      fake = await startFakeSshd({ passwords: { [hop.user]: hop.password } });
      hopLogin = `${hop.user}@127.0.0.1:${fake.port}`;
      targetLogin = `${th.SSH_USER}@${th.SSH_HOST}:${th.SSH_PORT}`;
    });
    const save = async () =>
      (await h.call('hosts.save', { connection: { name: 'via hop', uri: sshUri(th), ssh: { auth: 'password', proxyJump: hopLogin } } })).config.id;

    it('asks each host for its own password, naming user@host:port, and never offers the hop\'s password to the target', async () => {
      const secrets = new MemorySecretStore(true);
      h = await startHarness({ secrets });
      h.answerPrompts((p) => answer(p) as { accept: boolean; value?: string });
      const id = await save();
      await h.call('hosts.connect', { hostId: id });
      const asked = h.prompts.filter((p) => p.kind === 'secret').map((p) => p.message);
      expect(asked).toEqual([`Password for ${hopLogin}`, `Password for ${targetLogin}`]);
      expect(fake.offered).toEqual([{ user: hop.user, password: hop.password }]);
      expect(secrets.values).toEqual(new Map([[`ssh-password:${hopLogin}`, hop.password], [`ssh-password:${targetLogin}`, sshPassword(th)]]));
      expect((await h.call('domains.list', { hostId: id })).some((d) => d.name === th.GUEST_NAME)).toBe(true);
    });

    it('a refused target password is forgotten, and the hop\'s stays', async () => {
      const secrets = new MemorySecretStore(true);
      secrets.values.set(`ssh-password:${hopLogin}`, hop.password);
      secrets.values.set(`ssh-password:${targetLogin}`, 'not the password');
      h = await startHarness({ secrets });
      h.answerPrompts(() => ({ accept: true }));
      const id = await save();
      await expect(h.call('hosts.connect', { hostId: id })).rejects.toMatchObject({ code: 'ssh_auth', message: expect.stringContaining(targetLogin) });
      expect(secrets.values).toEqual(new Map([[`ssh-password:${hopLogin}`, hop.password]]));
      expect(h.prompts.filter((p) => p.kind === 'secret')).toEqual([]);
    });

    it('a password kept under the old per-connection name moves to the hop\'s login (the first one asked)', async () => {
      const secrets = new MemorySecretStore(true);
      h = await startHarness({ secrets });
      h.answerPrompts((p) => answer(p) as { accept: boolean; value?: string });
      const id = await save();
      secrets.values.set(`ssh:${id}:password`, hop.password);
      await h.call('hosts.connect', { hostId: id });
      expect(h.prompts.filter((p) => p.kind === 'secret').map((p) => p.message)).toEqual([`Password for ${targetLogin}`]);
      expect(secrets.values.has(`ssh:${id}:password`)).toBe(false);
      expect(secrets.values.get(`ssh-password:${hopLogin}`)).toBe(hop.password);
    });
  });
});
