// Browser mode's protections, each tested against the real server process (electron/web/main.ts
// bundled as it is now, in a throwaway HOME): the token off every command line, the per-port
// session cookie, the Origin and token checks on WebSockets, CSRF on the HTTP routes, and
// static files that never leave the renderer folder.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawGet, wsOutcome } from '../../e2e/support/raw-http';
import { until } from '../../e2e/support/until';
import { buildWebServer, startWebApp, type WebApp } from '../../e2e/support/web-app';

let server = '';
let scratch = '';
let rendererDir = '';
const SECRET = 'VIRTDECK-OUTSIDE-THE-RENDERER';

beforeAll(async () => {
  server = await buildWebServer();
  scratch = mkdtempSync(join(tmpdir(), 'vd-websec-'));
  // renderer/ is served; its siblings (and a folder whose name merely starts the same) are not.
  rendererDir = join(scratch, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Virtdeck</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(scratch, 'secret.txt'), SECRET);
  mkdirSync(join(scratch, 'renderer-other'));
  writeFileSync(join(scratch, 'renderer-other', 'secret.txt'), SECRET);
});
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  rmSync(server, { force: true });
});

const start = (opts: Parameters<typeof startWebApp>[1] = {}) => startWebApp(['--renderer-dir', rendererDir], { server, env: { CI: undefined }, ...opts });

/** Every process's command line right now (what any local user can read in /proc). */
function allCommandLines(): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      out.push(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' '));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

describe('opening the browser', () => {
  let app: WebApp;
  let log = '';
  beforeAll(async () => {
    // A fake xdg-open first on PATH: it records its argv and what the file it was given says,
    // and lingers a moment so its command line can be looked at in /proc.
    const bin = join(scratch, 'bin');
    mkdirSync(bin, { recursive: true });
    log = join(scratch, 'opener.json');
    const opener = join(bin, 'xdg-open');
    writeFileSync(
      opener,
      `#!${process.execPath}
const fs = require('node:fs');
const arg = process.argv[2];
let content = null, mode = null;
try { content = fs.readFileSync(arg, 'utf8'); mode = fs.statSync(arg).mode & 0o777; } catch {}
fs.writeFileSync(${JSON.stringify(log)}, JSON.stringify({ argv: process.argv.slice(1), content, mode }));
setTimeout(() => {}, 3000);
`,
    );
    chmodSync(opener, 0o755);
    app = await start({ open: true, env: { CI: undefined, BROWSER: undefined, PATH: `${bin}:${process.env.PATH}` } });
    await until(() => existsSync(log), 10_000, 'the opener to run');
  });
  afterAll(() => app?.stop());

  it('the token is on no command line: the opener gets a private (0600) redirect file that carries it', () => {
    const seen = JSON.parse(readFileSync(log, 'utf8')) as { argv: string[]; content: string | null; mode: number | null };
    expect(seen.argv.join(' ')).not.toContain(app.token);
    expect(allCommandLines().filter((c) => c.includes(app.token))).toEqual([]);
    const file = seen.argv[1]!;
    expect(file.startsWith(app.home)).toBe(true); // in the user's own data folder
    expect(seen.mode).toBe(0o600);
    expect(statSync(join(file, '..')).mode & 0o777).toBe(0o700);
    expect(seen.content).toContain(`http://127.0.0.1:${app.port}/?token=${app.token}`);
    // The printed URL stays, for the user to copy.
    expect(app.output()).toContain(app.url);
  });
});

describe('the session cookie', () => {
  let a: WebApp;
  let b: WebApp;
  beforeAll(async () => {
    [a, b] = await Promise.all([start(), start()]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  const login = async (app: WebApp) => {
    const res = await rawGet(app.port, `/?token=${app.token}`);
    expect(res.status).toBe(200);
    return res.headers['set-cookie']![0]!;
  };

  it('is HttpOnly, SameSite=Strict, for the whole app, and named after its port', async () => {
    const cookie = await login(a);
    const [pair, ...flags] = cookie.split(';').map((s) => s.trim());
    expect(pair).toBe(`virtdeck_token_${a.port}=${a.token}`);
    expect(flags.sort()).toEqual(['HttpOnly', 'Path=/', 'SameSite=Strict']); // no Domain (host-only); no Secure on http loopback
    expect((await rawGet(a.port, '/', { Cookie: pair! })).status).toBe(200);
    expect((await rawGet(a.port, '/')).status).toBe(403);
    expect((await rawGet(a.port, '/', { Cookie: `virtdeck_token_${a.port}=wrong` })).status).toBe(403);
  });

  it('two servers on different ports keep their own session in one browser cookie jar', async () => {
    // A browser keeps one jar for 127.0.0.1 whatever the port: a cookie of the same name replaces the other.
    const jar = new Map<string, string>();
    const remember = (setCookie: string) => {
      const [pair] = setCookie.split(';');
      const eq = pair!.indexOf('=');
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    };
    remember(await login(a));
    remember(await login(b));
    const header = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    expect((await rawGet(a.port, '/', { Cookie: header })).status).toBe(200);
    expect((await rawGet(b.port, '/', { Cookie: header })).status).toBe(200);
    // The API socket of each takes its own cookie too.
    for (const app of [a, b]) {
      const o = await wsOutcome(`ws://127.0.0.1:${app.port}/api/ws`, { origin: app.origin, cookie: header });
      expect(o.kind).toBe('open');
      if (o.kind === 'open') o.ws.close();
    }
  });
});

describe('WebSockets, CSRF and static files', () => {
  let app: WebApp;
  let cookie = '';
  beforeAll(async () => {
    app = await start();
    cookie = `virtdeck_token_${app.port}=${app.token}`;
  });
  afterAll(() => app?.stop());

  const ws = (path: string, withToken: boolean | string = true) =>
    `ws://127.0.0.1:${app.port}${path}${withToken === false ? '' : `?token=${withToken === true ? app.token : withToken}`}`;

  it('an upgrade from a foreign Origin is refused, even with the token or the cookie', async () => {
    for (const origin of ['http://evil.example', `http://127.0.0.1:${app.port + 1}`, `http://localhost:${app.port}`, 'null', 'file://']) {
      for (const path of ['/api/ws', '/api/console', '/api/upload']) {
        expect(await wsOutcome(ws(path), { origin }), `${origin} ${path} with token`).toEqual({ kind: 'refused', status: 403 });
        expect(await wsOutcome(ws(path, false), { origin, cookie }), `${origin} ${path} with cookie`).toEqual({ kind: 'refused', status: 403 });
      }
    }
  });

  it('our own Origin with the token or the cookie is let in; no Origin (not a browser) needs the token', async () => {
    const withToken = await wsOutcome(ws('/api/ws'), { origin: app.origin });
    const withCookie = await wsOutcome(ws('/api/ws', false), { origin: app.origin, cookie });
    const noOrigin = await wsOutcome(ws('/api/ws'));
    for (const o of [withToken, withCookie, noOrigin]) {
      expect(o.kind).toBe('open');
      if (o.kind === 'open') o.ws.close();
    }
  });

  it('a bad or missing token closes the socket with 4401 (told apart from a dead server)', async () => {
    for (const path of ['/api/ws', '/api/console', '/api/upload']) {
      expect(await wsOutcome(ws(path, false), { origin: app.origin })).toEqual({ kind: 'closed', code: 4401 });
      expect(await wsOutcome(ws(path, 'x' + app.token.slice(1)), { origin: app.origin })).toEqual({ kind: 'closed', code: 4401 });
      expect(await wsOutcome(ws(path, app.token.slice(0, -1)))).toEqual({ kind: 'closed', code: 4401 });
      expect(await wsOutcome(ws(path, false), { origin: app.origin, cookie: `virtdeck_token_${app.port}=nope` })).toEqual({ kind: 'closed', code: 4401 });
    }
    expect(await wsOutcome(ws('/api/other'), { origin: app.origin })).toEqual({ kind: 'refused', status: 403 });
  });

  it('an HTTP request from another origin is refused even with the cookie (CSRF); opening the app is not', async () => {
    const crossSite: Record<string, string>[] = [
      { Origin: 'http://evil.example' },
      { Origin: `http://127.0.0.1:${app.port + 1}` },
      { 'Sec-Fetch-Site': 'same-site', 'Sec-Fetch-Mode': 'no-cors', 'Sec-Fetch-Dest': 'image' },
      { 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'cors', 'Sec-Fetch-Dest': 'empty' },
      { 'Sec-Fetch-Site': 'same-site', 'Sec-Fetch-Mode': 'navigate', 'Sec-Fetch-Dest': 'iframe' },
    ];
    for (const h of crossSite) {
      for (const path of ['/', '/assets/app.js', '/api/download?ticket=x']) {
        const res = await rawGet(app.port, path, { Cookie: cookie, ...h });
        expect(res.status, `${JSON.stringify(h)} ${path}`).toBe(403);
      }
    }
    // A top-level navigation (the redirect file, a bookmark) and our own page's requests get in.
    const navigate = { 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'navigate', 'Sec-Fetch-Dest': 'document' };
    expect((await rawGet(app.port, `/?token=${app.token}`, navigate)).status).toBe(200);
    expect((await rawGet(app.port, '/assets/app.js', { Cookie: cookie, 'Sec-Fetch-Site': 'same-origin', 'Sec-Fetch-Mode': 'no-cors', 'Sec-Fetch-Dest': 'script' })).status).toBe(200);
    expect((await rawGet(app.port, '/', { Cookie: cookie, Origin: app.origin })).status).toBe(200);
    expect((await rawGet(app.port, '/', { Cookie: cookie }, 'POST')).status).toBe(405);
  });

  it('no request path reaches a file outside the renderer folder', async () => {
    const targets = [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2e%2e%2fsecret.txt',
      '/..%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/%2E%2E%2Fsecret.txt',
      '/%252e%252e%252fsecret.txt',
      '/..%5csecret.txt',
      '/..\\secret.txt',
      '/%2e%2e%5csecret.txt',
      '/..%2f..%2frenderer-other%2fsecret.txt',
      '/%2e%2e/renderer-other/secret.txt',
      `/${encodeURIComponent(join(scratch, 'secret.txt'))}`,
      `//${join(scratch, 'secret.txt').slice(1)}`,
      `http://127.0.0.1:${0}/../secret.txt`,
      '/%c0%ae%c0%ae/secret.txt',
      '/index.html%00.js',
      '/..%00/secret.txt',
      '/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      '/..%2f..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
      '/%2fetc%2fpasswd',
    ];
    for (const t of targets) {
      const res = await rawGet(app.port, t.includes('?') ? t : `${t}${t.includes('?') ? '&' : '?'}token=${app.token}`);
      expect(res.body, t).not.toContain(SECRET);
      expect(res.body, t).not.toMatch(/root:.*:0:0:/);
      expect([400, 403, 404], `${t} → ${res.status}`).toContain(res.status);
    }
    // A raw NUL on the request line is not even HTTP.
    expect((await rawGet(app.port, `/..\0/secret.txt?token=${app.token}`)).status).toBe(400);
    // …while the renderer's own files are served.
    expect((await rawGet(app.port, `/assets/app.js?token=${app.token}`)).body).toBe('console.log(1)');
  });
});
