import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

// A keyring-backed safeStorage: "encryption" is a reversible marker, enough to see what is stored.
vi.mock('electron', () => ({
  safeStorage: {
    isAsyncEncryptionAvailable: async () => true,
    getSelectedStorageBackend: () => 'gnome_libsecret',
    encryptStringAsync: async (s: string) => Buffer.from(`enc:${s}`),
    decryptStringAsync: async (b: Buffer) => ({ result: b.toString().slice(4), shouldReEncrypt: false }),
  },
}));
const { SafeSecretStore } = await import('./safe-secret-store');

const root = mkdtempSync(join(tmpdir(), 'vd-secrets-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = () => join(root, `d${n++}`);

describe('remembered passwords survive parallel saves and damaged files', () => {
  it('keeps all 50 passwords remembered at once, owner-only', async () => {
    const dir = freshDir();
    const store = await SafeSecretStore.create(dir);
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.set(`k${i}`, `pw${i}`)));
    const fresh = await SafeSecretStore.create(dir);
    for (let i = 0; i < 50; i++) expect(await fresh.get(`k${i}`)).toBe(`pw${i}`);
    expect(statSync(join(dir, 'secrets.json')).mode & 0o077).toBe(0);
    expect(readdirSync(dir)).toEqual(['secrets.json']);
  });

  it('sees a password another process remembered after this one started', async () => {
    const dir = freshDir();
    const a = await SafeSecretStore.create(dir);
    const b = await SafeSecretStore.create(dir);
    expect(await a.get('x')).toBeUndefined();
    await b.set('x', 'from-b');
    await a.set('y', 'from-a');
    expect(await a.get('x')).toBe('from-b');
    expect(await b.get('y')).toBe('from-a');
  });

  it('keeps a damaged secrets.json aside rather than overwriting it with one new password', async () => {
    const dir = freshDir();
    mkdirSync(dir);
    writeFileSync(join(dir, 'secrets.json'), '{"old":"ZW5jOm9sZA=="'); // truncated
    const store = await SafeSecretStore.create(dir);
    await store.set('new', 'pw');
    const aside = readdirSync(dir).filter((f) => f.startsWith('secrets.json.invalid-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dir, aside[0]!), 'utf8')).toBe('{"old":"ZW5jOm9sZA=="');
    expect(await store.get('new')).toBe('pw');
  });

  it('refuses to write when secrets.json cannot be read, and leaves it alone', async () => {
    const dir = freshDir();
    mkdirSync(join(dir, 'secrets.json'), { recursive: true }); // unreadable as a file (EISDIR; root ignores chmod)
    const store = await SafeSecretStore.create(dir);
    await expect(store.set('k', 'v')).rejects.toThrow(/secrets\.json/);
    await expect(store.get('k')).rejects.toThrow(/Could not read .*secrets\.json/);
    expect(statSync(join(dir, 'secrets.json')).isDirectory()).toBe(true);
  });
});
