import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConnectionConfig } from '../../shared/model/host';
import { ConnectionStore } from './connection-store';

const root = mkdtempSync(join(tmpdir(), 'vd-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = () => join(root, `d${n++}`);
const conn = (id: string): ConnectionConfig => ({ id, name: id, uri: `qemu+ssh://u@${id}/system`, autoconnect: false }) as ConnectionConfig;
const idsOnDisk = (dir: string) => (JSON.parse(readFileSync(join(dir, 'connections.json'), 'utf8')) as { connections: ConnectionConfig[] }).connections.map((c) => c.id).sort();
const range = (k: number, p: string) => Array.from({ length: k }, (_, i) => `${p}${String(i).padStart(2, '0')}`);

describe('saved connections survive parallel saves', () => {
  it('keeps all 50 connections saved at once (npm run web -- --connect A --connect B …)', async () => {
    const dir = freshDir();
    const store = new ConnectionStore(dir);
    await store.load();
    await Promise.all(range(50, 'c').map((id) => store.upsert(conn(id))));
    expect(idsOnDisk(dir)).toEqual(range(50, 'c'));
    expect(store.list().map((c) => c.id).sort()).toEqual(range(50, 'c'));
    expect(statSync(join(dir, 'connections.json')).mode & 0o077).toBe(0);
    expect(readdirSync(dir).filter((f) => f !== 'connections.json')).toEqual([]); // no temp or lock file left
  });

  it('keeps the connections two Virtdeck processes save into the same folder at the same time', async () => {
    const dir = freshDir();
    const bundle = join(root, 'store.cjs');
    await build({ entryPoints: [join(__dirname, 'connection-store.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: bundle, logLevel: 'silent' });
    const script = `const { ConnectionStore } = require(${JSON.stringify(bundle)});
      const s = new ConnectionStore(process.argv[1]);
      const ids = Array.from({ length: 25 }, (_, i) => process.argv[2] + String(i).padStart(2, '0'));
      s.load().then(() => Promise.all(ids.map((id) => s.upsert({ id, name: id, uri: 'qemu:///system', autoconnect: false }))))
        .catch((e) => { console.error(e); process.exit(1); });`;
    const run = (prefix: string) => promisify(execFile)(process.execPath, ['-e', script, dir, prefix]);
    await Promise.all([run('a'), run('b')]);
    expect(idsOnDisk(dir)).toEqual([...range(25, 'a'), ...range(25, 'b')]);
  });

  it('keeps an invalid connections.json aside instead of overwriting it', async () => {
    const dir = freshDir();
    mkdirSync(dir);
    writeFileSync(join(dir, 'connections.json'), '{"version":1,"connections":[{"id":');
    const store = new ConnectionStore(dir);
    expect(await store.load()).toBeUndefined();
    await store.upsert(conn('new'));
    const aside = readdirSync(dir).filter((f) => f.startsWith('connections.json.invalid-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dir, aside[0]!), 'utf8')).toBe('{"version":1,"connections":[{"id":');
    expect(idsOnDisk(dir)).toEqual(['new']);
  });

  it('refuses to save over a connections.json it cannot read, and says which file', async () => {
    const dir = freshDir();
    mkdirSync(join(dir, 'connections.json'), { recursive: true }); // unreadable as a file (EISDIR; root ignores chmod)
    writeFileSync(join(dir, 'connections.json', 'keep'), 'x');
    const store = new ConnectionStore(dir);
    await expect(store.upsert(conn('x'))).rejects.toThrow(/connections\.json.*left as it is/);
    expect(readFileSync(join(dir, 'connections.json', 'keep'), 'utf8')).toBe('x');
  });

  it('takes over the lock of a Virtdeck process that died while saving, but waits for a live one', async () => {
    const dir = freshDir();
    mkdirSync(dir);
    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise((r) => dead.on('exit', r));
    writeFileSync(join(dir, 'connections.json.lock'), `${dead.pid}\n`);
    const store = new ConnectionStore(dir);
    await store.upsert(conn('after-crash'));
    expect(idsOnDisk(dir)).toEqual(['after-crash']);

    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 600)']);
    writeFileSync(join(dir, 'connections.json.lock'), `${live.pid}\n`);
    const t0 = Date.now();
    const saved = store.upsert(conn('second'));
    live.on('exit', () => rmSync(join(dir, 'connections.json.lock'), { force: true })); // it releases when done
    await saved;
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    expect(idsOnDisk(dir)).toEqual(['after-crash', 'second']);
  });
});

describe('saved connections changed at the same moment', () => {
  it('changes made at the same moment (two tabs) all land, and none fails on a shared temp file', async () => {
    const dir = freshDir();
    const store = new ConnectionStore(dir);
    await store.save(['a', 'b', 'c', 'd'].map((id) => ({ id, name: id, uri: 'test:///default', autoconnect: false })));
    await Promise.all([store.remove('a'), store.remove('b'), store.upsert({ id: 'e', name: 'e', uri: 'test:///default', autoconnect: false }), store.remove('c')]);
    expect(store.list().map((c) => c.id)).toEqual(['d', 'e']);
    expect(idsOnDisk(dir)).toEqual(['d', 'e']);
    expect(readdirSync(dir)).toEqual(['connections.json']);
  });
});
