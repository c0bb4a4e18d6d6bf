/**
 * Static check of the packaging config: the Electron fuses electron-builder flips in the
 * shipped binary (https://www.electronjs.org/docs/latest/tutorial/fuses). Nothing here can run
 * Electron; the file is read with electron-builder's own YAML parser and schema.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const fromBuilder = createRequire(require.resolve('app-builder-lib/package.json'));
const yaml = fromBuilder('js-yaml') as { load(text: string): unknown };
const { validateConfiguration } = fromBuilder('./out/util/config/config') as { validateConfiguration(c: unknown, log: unknown): Promise<void> };
const { DebugLogger } = fromBuilder('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

const config = yaml.load(readFileSync(join(__dirname, '..', '..', 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;

describe('the packaged desktop app cannot be turned into something else', () => {
  it('is a configuration electron-builder accepts', async () => {
    await expect(validateConfiguration(structuredClone(config), new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('packs the app into an asar archive', () => {
    expect(config.asar).toBe(true);
  });

  it('flips the fuses: no Node mode, no NODE_OPTIONS, no inspector, encrypted cookies, only a checked app.asar, no file:// privileges', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });
});
