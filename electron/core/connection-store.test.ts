import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionStore } from './connection-store';

describe('saved connections', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('changes made at the same moment (two tabs) all land, and none fails on a shared temp file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vd-store-'));
    dirs.push(dir);
    const store = new ConnectionStore(dir);
    await store.save(['a', 'b', 'c', 'd'].map((id) => ({ id, name: id, uri: 'test:///default', autoconnect: false })));
    await Promise.all([store.remove('a'), store.remove('b'), store.upsert({ id: 'e', name: 'e', uri: 'test:///default', autoconnect: false }), store.remove('c')]);
    expect(store.list().map((c) => c.id)).toEqual(['d', 'e']);
    const onDisk = JSON.parse(readFileSync(join(dir, 'connections.json'), 'utf8')) as { connections: { id: string }[] };
    expect(onDisk.connections.map((c) => c.id)).toEqual(['d', 'e']);
    expect(readdirSync(dir)).toEqual(['connections.json']);
  });
});
