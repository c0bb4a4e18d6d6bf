import { describe, expect, it } from 'vitest';
import { directUri } from './direct';

describe('the direct URI (path 4)', () => {
  it('libssh with the verified key file, verification on, key auth only, odd paths escaped', () => {
    expect(directUri({ host: '127.0.0.2', port: 2223, user: 'vdtest' }, '/root/.ssh/id ed&25519', '/tmp/virtdeck-relay.x/known_hosts')).toBe(
      'qemu+libssh://vdtest@127.0.0.2:2223/system?keyfile=/root/.ssh/id%20ed%2625519&known_hosts=/tmp/virtdeck-relay.x/known_hosts&known_hosts_verify=normal&sshauth=privkey',
    );
    expect(directUri({ host: 'fd00::2', port: 22, user: 'a@b' }, '/k', '/f')).toMatch(/^qemu\+libssh:\/\/a%40b@\[fd00::2\]:22\/system\?/);
  });
});
