import { safeStorage } from 'electron';
import { join } from 'node:path';
import { z } from 'zod';
import type { SecretStore } from '../core/adapters';
import { JsonFile } from '../core/json-file';

/** key → base64 ciphertext; one file for every secret, each change applied to what is on disk. */
const Ciphertexts = z.record(z.string(), z.string());

/**
 * Secrets encrypted with the OS keychain through Electron's safeStorage, kept as base64
 * ciphertext in <dataDir>/secrets.json. On Linux without a keyring Electron falls back to
 * 'basic_text' (a hard-coded key): that is not encryption, so nothing is persisted then.
 */
export class SafeSecretStore implements SecretStore {
  private readonly file: JsonFile<Record<string, string>>;

  private constructor(
    dir: string,
    readonly persistent: boolean,
  ) {
    this.file = new JsonFile(join(dir, 'secrets.json'), Ciphertexts);
  }

  static async create(dir: string): Promise<SafeSecretStore> {
    const usable =
      (await safeStorage.isAsyncEncryptionAvailable()) &&
      (process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text');
    return new SafeSecretStore(dir, usable);
  }

  async get(key: string): Promise<string | undefined> {
    if (!this.persistent) return undefined;
    const b64 = (await this.file.read())?.[key];
    if (b64 === undefined) return undefined;
    const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(Buffer.from(b64, 'base64'));
    if (shouldReEncrypt) await this.set(key, result);
    return result;
  }

  async set(key: string, value: string): Promise<void> {
    if (!this.persistent) return;
    const b64 = (await safeStorage.encryptStringAsync(value)).toString('base64');
    await this.file.update((all) => ({ ...all, [key]: b64 }));
  }

  async delete(key: string): Promise<void> {
    if ((await this.file.read())?.[key] === undefined) return;
    await this.file.update((all) => Object.fromEntries(Object.entries(all ?? {}).filter(([k]) => k !== key)));
  }
}
