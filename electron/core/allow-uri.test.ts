import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MemorySecretStore } from './adapters';
import { Backend } from './backend';

describe('a backend limited to some libvirt URIs (--only-uri, the contract fuzz)', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('neither saves nor connects any other URI, even one already saved', async () => {
    const home = mkdtempSync(join(tmpdir(), 'vd-allow-'));
    dirs.push(home);
    const configDir = join(home, 'config');
    mkdirSync(configDir);
    writeFileSync(join(configDir, 'connections.json'), JSON.stringify({ version: 1, connections: [{ id: 'sys', name: 'System', uri: 'qemu:///system', autoconnect: false }] }));
    const backend = new Backend(
      { mode: 'web', version: 'test', homeDir: home, configDir, dataDir: join(home, 'data'), secrets: new MemorySecretStore() },
      { allowUri: (uri) => uri === 'test:///default' },
    );
    await backend.init();
    try {
      expect(await backend.handle('hosts.connect', { hostId: 'sys' })).toMatchObject({ ok: false, error: { code: 'permission' } });
      expect(backend.hosts.status('sys')).toEqual({ state: 'disconnected' });
      for (const uri of ['qemu:///system', 'qemu+ssh://root@127.0.0.1/system', 'test:///etc/hostname'])
        expect(await backend.handle('hosts.save', { connection: { name: 'x', uri } })).toMatchObject({ ok: false, error: { code: 'permission' } });
      expect(await backend.handle('hosts.save', { connection: { name: 'demo', uri: 'test:///default' } })).toMatchObject({ ok: true });
      await expect(backend.ensureConnection('qemu:///system')).rejects.toMatchObject({ code: 'permission' });
    } finally {
      backend.shutdown();
    }
  });
});
