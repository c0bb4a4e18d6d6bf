import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PLACEHOLDER_HASH, randomSalt, sha512Crypt } from './crypt';

const openssl = (pw: string, salt: string) => spawnSync('openssl', ['passwd', '-6', '-salt', salt, '-stdin'], { input: pw, encoding: 'utf8' }).stdout.trim();

describe('SHA-512 crypt', () => {
  it('matches `openssl passwd -6` (glibc crypt) for plain, unicode and shell-hostile passwords', () => {
    for (const [pw, salt] of [['secret', 'saltsalt'], ['pass word ü 密码', 'AbC./09xyzXYZ123'], ['$(id)`x`\'"', 'q']] as const) {
      expect(sha512Crypt(pw, salt)).toBe(openssl(pw, salt));
    }
  });

  it('random salts: 16 crypt characters, different each time; the placeholder has a real hash’s length', () => {
    const a = randomSalt();
    expect(a).toMatch(/^[./0-9A-Za-z]{16}$/);
    expect(randomSalt()).not.toBe(a);
    const h = sha512Crypt('pw');
    expect(h).toMatch(/^\$6\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{86}$/);
    expect(PLACEHOLDER_HASH.length).toBe(h.length);
    expect(() => sha512Crypt('pw', 'bad salt')).toThrow(/salt/);
  });
});
