import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

const m = vi.hoisted(() => ({ schemes: [] as unknown[], handlers: new Map<string, (r: Request) => Promise<Response>>() }));
vi.mock('electron', () => ({
  protocol: {
    registerSchemesAsPrivileged: (s: unknown[]) => m.schemes.push(...s),
    handle: (scheme: string, fn: (r: Request) => Promise<Response>) => m.handlers.set(scheme, fn),
  },
}));
const { registerAppScheme, serveRenderer } = await import('./app-protocol');

const root = mkdtempSync(join(tmpdir(), 'vd-app-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const renderer = join(root, 'renderer');
mkdirSync(join(renderer, 'assets'), { recursive: true });
writeFileSync(join(renderer, 'index.html'), '<!doctype html>app');
writeFileSync(join(renderer, 'assets', 'main.js'), 'console.log(1)');
writeFileSync(join(root, 'secret.txt'), 'outside');
registerAppScheme();
serveRenderer(renderer);
const get = (url: string, method = 'GET') => m.handlers.get('app')!(new Request(url, { method }));

describe('the desktop renderer is served from app://virtdeck, and only the built renderer folder', () => {
  it('registers app: as a standard, secure scheme', () => {
    expect(m.schemes).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
  });

  it('serves the page and its assets with their types and the CSP', async () => {
    const page = await get('app://virtdeck/index.html');
    expect(page.status).toBe(200);
    expect(await page.text()).toBe('<!doctype html>app');
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    const js = await get('app://virtdeck/assets/main.js');
    expect(js.headers.get('content-type')).toMatch(/javascript/);
  });

  it('serves nothing outside the renderer folder, from another host, or for other methods', async () => {
    for (const url of [
      'app://virtdeck/..%2fsecret.txt',
      'app://virtdeck/assets/..%2f..%2fsecret.txt',
      'app://virtdeck/%2e%2e/secret.txt',
      'app://virtdeck/..%5csecret.txt',
      'app://virtdeck/missing.js',
      'app://virtdeck/index.html%00.js',
      'app://other/index.html',
    ])
      expect((await get(url)).status, url).toBe(404);
    expect((await get('app://virtdeck/index.html', 'POST')).status).toBe(404);
  });
});
