import { describe, expect, it } from 'vitest';
import { preferKnownHostKeys } from './host-key-algorithms';

describe('host-key algorithm order (OpenSSH prefers the key types it already knows)', () => {
  it('puts the known types first, in known_hosts order, with every RSA signature algorithm for an ssh-rsa key', () => {
    expect(preferKnownHostKeys(['ecdsa-sha2-nistp256', 'ssh-rsa'])).toEqual({
      remove: ['ecdsa-sha2-nistp256', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
      prepend: ['ecdsa-sha2-nistp256', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
      append: [],
    });
  });

  it("leaves ssh2's defaults alone for an unknown host, and ignores types ssh2 cannot verify", () => {
    expect(preferKnownHostKeys([])).toBeUndefined();
    expect(preferKnownHostKeys(['sk-ssh-ed25519@openssh.com', 'ssh-dss'])).toBeUndefined();
  });
});
