import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../../shared/contract';
import { MemorySecretStore, type FileDialogs, type Platform } from './adapters';
import { Backend } from './backend';

const root = mkdtempSync(join(tmpdir(), 'vd-local-'));
const backends: Backend[] = [];
afterAll(() => {
  for (const b of backends) b.shutdown();
  rmSync(root, { recursive: true, force: true });
});

const POOL = '0b5e1c4a-5d6e-4f70-8a9b-0c1d2e3f4a5b';
const onVolume = { hostId: 'h1', poolUuid: POOL, name: 'disk.img' };

function backend(mode: Platform['mode'], fileDialogs?: FileDialogs): Backend {
  const dir = mkdtempSync(join(root, 'b-'));
  const b = new Backend({ mode, version: 'test', homeDir: dir, configDir: join(dir, 'config'), dataDir: join(dir, 'data'), secrets: new MemorySecretStore(), ...(fileDialogs ? { fileDialogs } : {}) });
  backends.push(b);
  return b;
}
const errorOf = (env: Envelope) => (env.ok ? undefined : env.error);

describe('browser mode never reads or writes a file of the server machine for the page', () => {
  const web = backend('web');

  it('refuses an upload or download that names a local path (the page could name /etc/shadow or ~/.ssh/authorized_keys)', async () => {
    for (const [name, args] of [
      ['storage.volumes.upload', { ...onVolume, localPath: '/etc/shadow' }],
      ['storage.volumes.download', { ...onVolume, localPath: '/root/.ssh/authorized_keys', overwrite: true }],
    ] as const) {
      expect(errorOf(await web.handle(name, args)), name).toMatchObject({ code: 'invalid_args' });
      expect(errorOf(await web.handle('commands.preview', { name, args })), `preview of ${name}`).toMatchObject({ code: 'invalid_args' });
    }
  });

  it('has no file handles to give or take', async () => {
    expect(errorOf(await web.handle('app.chooseFile', { mode: 'open', title: 't' }))).toMatchObject({ code: 'unsupported' });
    expect(errorOf(await web.handle('storage.volumes.upload', { ...onVolume, file: 'A'.repeat(24) }))).toMatchObject({ code: 'unsupported' });
    expect(errorOf(await web.handle('storage.volumes.download', { ...onVolume, file: 'A'.repeat(24), overwrite: true }))).toMatchObject({ code: 'unsupported' });
  });
});

describe('the desktop app transfers only files the user chose in its own dialogs', () => {
  let next: string | null = null;
  const desk = backend('desktop', { openFile: async () => next, saveFile: async () => next });
  const choose = async (mode: 'open' | 'save', path: string | null) => {
    next = path;
    const env = await desk.handle('app.chooseFile', { mode, title: 't' });
    if (!env.ok) throw new Error(env.error.message);
    return (env.result as { file: { handle: string; path: string } | null }).file;
  };

  it('hands the page an opaque handle for the chosen file, and nothing on cancel', async () => {
    const c = await choose('open', '/home/me/debian.iso');
    expect(c!.path).toBe('/home/me/debian.iso');
    expect(c!.handle).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(c!.handle).not.toContain('debian');
    expect((await choose('open', '/home/me/debian.iso'))!.handle).not.toBe(c!.handle);
    expect(await choose('save', null)).toBeNull();
  });

  it('refuses a path, a made-up handle, and a handle chosen for the other direction', async () => {
    expect(errorOf(await desk.handle('storage.volumes.upload', { ...onVolume, localPath: '/etc/shadow' }))).toMatchObject({ code: 'invalid_args' });
    expect(errorOf(await desk.handle('storage.volumes.upload', { ...onVolume, file: 'B'.repeat(24) }))).toMatchObject({ code: 'invalid_args', message: expect.stringMatching(/choose the file again/) });
    const saveAs = (await choose('save', '/home/me/out.img'))!.handle;
    const open = (await choose('open', '/home/me/in.img'))!.handle;
    expect(errorOf(await desk.handle('storage.volumes.upload', { ...onVolume, file: saveAs }))).toMatchObject({ code: 'invalid_args' });
    expect(errorOf(await desk.handle('storage.volumes.download', { ...onVolume, file: open }))).toMatchObject({ code: 'invalid_args' });
    // The right handle gets past the file check, to the host (unknown here).
    expect(errorOf(await desk.handle('storage.volumes.upload', { ...onVolume, file: open }))).toMatchObject({ code: 'not_found' });
    expect(errorOf(await desk.handle('storage.volumes.download', { ...onVolume, file: saveAs }))).toMatchObject({ code: 'not_found' });
  });
});
