import { safeStorage } from 'electron';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SecretStore } from '../core/adapters';

/**
 * Secrets encrypted with the OS keychain through Electron's safeStorage, kept as base64
 * ciphertext in <dataDir>/secrets.json. On Linux without a keyring Electron falls back to
 * 'basic_text' (a hard-coded key): that is not encryption, so nothing is persisted then.
 */
export class SafeSecretStore implements SecretStore {
  private readonly file: string;
  private cache?: Record<string, string>;

  private constructor(
    dir: string,
    readonly persistent: boolean,
  ) {
    this.file = join(dir, 'secrets.json');
  }

  static async create(dir: string): Promise<SafeSecretStore> {
    const usable =
      (await safeStorage.isAsyncEncryptionAvailable()) &&
      (process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text');
    return new SafeSecretStore(dir, usable);
  }

  async get(key: string): Promise<string | undefined> {
    if (!this.persistent) return undefined;
    const b64 = (await this.load())[key];
    if (b64 === undefined) return undefined;
    const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(Buffer.from(b64, 'base64'));
    if (shouldReEncrypt) await this.set(key, result);
    return result;
  }

  async set(key: string, value: string): Promise<void> {
    if (!this.persistent) return;
    const all = await this.load();
    all[key] = (await safeStorage.encryptStringAsync(value)).toString('base64');
    await this.write(all);
  }

  async delete(key: string): Promise<void> {
    const all = await this.load();
    if (!(key in all)) return;
    delete all[key];
    await this.write(all);
  }

  private async load(): Promise<Record<string, string>> {
    if (this.cache) return this.cache;
    try {
      this.cache = JSON.parse(await readFile(this.file, 'utf8')) as Record<string, string>;
    } catch {
      this.cache = {};
    }
    return this.cache;
  }

  private async write(all: Record<string, string>): Promise<void> {
    await mkdir(join(this.file, '..'), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.tmp`;
    await writeFile(tmp, JSON.stringify(all), { mode: 0o600 });
    await rename(tmp, this.file);
    this.cache = all;
  }
}
