import { describe, expect, it } from 'vitest';
import { keyTypeLabel, sshHostLabel } from './prompt-labels';

describe('prompt labels', () => {
  it('writes host and port the way ssh does', () => {
    expect(sshHostLabel('example.org', 22)).toBe('example.org');
    expect(sshHostLabel('127.0.0.1', 2222)).toBe('[127.0.0.1]:2222');
  });

  it('names key types like ssh-keygen -l', () => {
    expect(keyTypeLabel('ssh-ed25519')).toBe('ED25519');
    expect(keyTypeLabel('ED25519')).toBe('ED25519');
    expect(keyTypeLabel('ecdsa-sha2-nistp256')).toBe('ECDSA');
    expect(keyTypeLabel('rsa-sha2-512')).toBe('RSA');
    expect(keyTypeLabel('ssh-rsa')).toBe('RSA');
    expect(keyTypeLabel('weird')).toBe('WEIRD');
  });
});
