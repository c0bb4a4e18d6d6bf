import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../e2e/support/backend-harness';
import { testHost } from '../../e2e/support/test-host';

const th = testHost();

describe('~/.ssh/config and ProxyJump against the real sshd on 127.0.0.1', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    h.answerPrompts(() => ({ accept: true }));
  });
  afterEach(() => h.close());

  it('a Host alias supplies HostName, User, Port and IdentityFile', async () => {
    mkdirSync(join(h.home, '.ssh'), { recursive: true });
    writeFileSync(
      join(h.home, '.ssh', 'config'),
      `Host labbox\n  HostName ${th.SSH_HOST}\n  User ${th.SSH_USER}\n  Port ${th.SSH_PORT}\n  IdentityFile ${th.SSH_KEY}\n`,
    );
    const { config } = await h.call('hosts.save', { connection: { name: 'alias', uri: 'qemu+ssh://labbox/system' } });
    await h.call('hosts.connect', { hostId: config.id });
    expect((await h.call('domains.list', { hostId: config.id })).some((d) => d.name === th.GUEST_NAME)).toBe(true);
  });

  it('one ProxyJump hop from the dialog reaches the host through the jump host', async () => {
    const { config } = await h.call('hosts.save', {
      connection: {
        name: 'jumped',
        uri: `qemu+ssh://${th.SSH_USER}@${th.SSH_HOST}:${th.SSH_PORT}/system`,
        ssh: { auth: 'key', keyFile: th.SSH_KEY, proxyJump: `${th.SSH_USER}@${th.SSH_HOST}:${th.SSH_PORT}` },
      },
    });
    await h.call('hosts.connect', { hostId: config.id });
    // Both hops presented the same host key: asked about once, known for the second hop.
    expect(h.prompts.filter((p) => p.kind === 'hostKey')).toHaveLength(1);
    expect((await h.call('domains.list', { hostId: config.id })).some((d) => d.name === th.GUEST_NAME)).toBe(true);
  });
});
