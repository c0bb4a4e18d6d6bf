import { describe, expect, it } from 'vitest';
import { MemorySecretStore } from './adapters';
import { legacySshPasswordKey, migrateSshPassword, sshPasswordKey } from './secret-keys';


describe('SSH password keys', () => {
  const hop = { user: 'me', host: 'bastion.example', port: 22 };

  it('name a login, not a connection (IPv6 in brackets)', () => {
    expect(sshPasswordKey(hop)).toBe('ssh-password:me@bastion.example:22');
    expect(sshPasswordKey({ user: 'root', host: 'fe80::1', port: 2222 })).toBe('ssh-password:root@[fe80::1]:2222');
  });

  it('a password saved under the old per-connection name moves to the login, once', async () => {
    const s = new MemorySecretStore(true);
    s.values.set(legacySshPasswordKey('c1'), 'old');
    await migrateSshPassword(s, 'c1', hop);
    expect(s.values).toEqual(new Map([[sshPasswordKey(hop), 'old']]));
    await migrateSshPassword(s, 'c1', hop);
    expect(s.values).toEqual(new Map([[sshPasswordKey(hop), 'old']]));
  });

  it('a password already saved for the login wins over the old entry, which is removed', async () => {
    const s = new MemorySecretStore(true);
    s.values.set(legacySshPasswordKey('c1'), 'old');
    s.values.set(sshPasswordKey(hop), 'newer');
    await migrateSshPassword(s, 'c1', hop);
    expect(s.values).toEqual(new Map([[sshPasswordKey(hop), 'newer']]));
  });
});
