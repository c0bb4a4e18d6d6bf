/**
 * SHA-512 crypt ("$6$…", glibc crypt(3), what /etc/shadow and cloud-init's `passwd` take).
 * Node has no crypt(3); unixcrypt implements the published algorithm
 * (https://www.akkadia.org/drepper/SHA-crypt.txt) in plain TypeScript, with no dependencies.
 */
import { randomBytes } from 'node:crypto';
import { encrypt } from 'unixcrypt';

const SALT_CHARS = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** 16 salt characters (the most crypt uses) from the crypt alphabet, uniformly. */
export function randomSalt(): string {
  return [...randomBytes(16)].map((b) => SALT_CHARS[b & 63]).join('');
}

export function sha512Crypt(password: string, salt = randomSalt()): string {
  if (!/^[./0-9A-Za-z]{1,16}$/.test(salt)) throw new Error('a crypt salt is 1–16 characters of [./0-9A-Za-z]');
  return encrypt(password, `$6$${salt}`);
}

/** Same length and shape as a real hash: what previews and the schema check see instead. */
export const PLACEHOLDER_HASH = `$6$${'x'.repeat(16)}$${'x'.repeat(86)}`;
