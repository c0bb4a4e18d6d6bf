import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { localSshKeys } from './local-keys';

const dir = mkdtempSync(join(tmpdir(), 'vd-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ED = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl me@laptop';

describe('this computer’s SSH public keys', () => {
  it('reads only *.pub files, each valid key line with its comment; never a private key', async () => {
    writeFileSync(join(dir, 'id_ed25519.pub'), `${ED}\n`);
    writeFileSync(join(dir, 'id_ed25519'), '-----BEGIN OPENSSH PRIVATE KEY-----\nsecret\n');
    writeFileSync(join(dir, 'junk.pub'), 'not a key\n');
    writeFileSync(join(dir, 'two.pub'), 'ecdsa-sha2-nistp256 AAAAE2VjZHNh\n\nssh-rsa AAAAB3NzaC1yc2E= a b\n');
    mkdirSync(join(dir, 'dir.pub'));
    const keys = await localSshKeys(dir);
    expect(keys).toEqual([
      { file: join(dir, 'id_ed25519.pub'), key: ED, comment: 'me@laptop' },
      { file: join(dir, 'two.pub'), key: 'ecdsa-sha2-nistp256 AAAAE2VjZHNh', comment: '' },
      { file: join(dir, 'two.pub'), key: 'ssh-rsa AAAAB3NzaC1yc2E= a b', comment: 'a b' },
    ]);
    expect(JSON.stringify(keys)).not.toContain('secret');
    expect(await localSshKeys(join(dir, 'missing'))).toEqual([]);
  });
});
