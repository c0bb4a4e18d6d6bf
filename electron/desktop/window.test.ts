import { beforeEach, describe, expect, it, vi } from 'vitest';

type Handler = (...args: any[]) => unknown;
const m = vi.hoisted(() => ({
  wcHandlers: new Map<string, (...args: any[]) => unknown>(),
  openHandler: undefined as undefined | ((d: { url: string }) => { action: string }),
  loaded: [] as string[],
  openExternal: [] as string[],
}));
vi.mock('electron', () => ({
  BrowserWindow: class {
    webContents = {
      on: (ev: string, fn: Handler) => m.wcHandlers.set(ev, fn),
      setWindowOpenHandler: (fn: typeof m.openHandler) => (m.openHandler = fn),
    };
    once() {}
    show() {}
    loadURL(url: string) {
      m.loaded.push(url);
      return Promise.resolve();
    }
    loadFile(file: string) {
      m.loaded.push(`file://${file}`);
      return Promise.resolve();
    }
  },
  session: { defaultSession: { webRequest: { onHeadersReceived: () => {} }, setPermissionRequestHandler: () => {}, setPermissionCheckHandler: () => {} } },
  shell: { openExternal: async (url: string) => void m.openExternal.push(url) },
  protocol: { registerSchemesAsPrivileged: () => {}, handle: () => {} },
}));
const { createMainWindow, lockDownSession } = await import('./window');

/** Whether the window lets a navigation happen (will-navigate / will-redirect not prevented). */
function allowed(event: string, url: string): boolean {
  let prevented = false;
  m.wcHandlers.get(event)!({ preventDefault: () => (prevented = true) }, url);
  return !prevented;
}

describe('the desktop window shows only the app', () => {
  beforeEach(() => {
    m.wcHandlers.clear();
    m.loaded.length = 0;
    m.openExternal.length = 0;
    createMainWindow('/preload.cjs', '#console=h1:abc');
  });

  it('loads the renderer from app://virtdeck, not file://', () => {
    expect(m.loaded).toEqual(['app://virtdeck/index.html#console=h1:abc']);
  });

  it('stays on its own page (a route change in the hash is fine)', () => {
    expect(allowed('will-navigate', 'app://virtdeck/index.html')).toBe(true);
    expect(allowed('will-navigate', 'app://virtdeck/index.html#console=h2:x')).toBe(true);
  });

  it('refuses to navigate anywhere else, even to a page with the same path', () => {
    for (const url of [
      'https://evil.example/index.html',
      'file:///index.html',
      'file:///etc/passwd',
      'app://virtdeck/other.html',
      'app://virtdeck/index.html?x=1',
      'app://evil/index.html',
      'app://user@virtdeck/index.html',
      'http://virtdeck/index.html',
      'not a url',
    ])
      expect(allowed('will-navigate', url), url).toBe(false);
  });

  it('refuses every redirect', () => {
    expect(m.wcHandlers.has('will-redirect')).toBe(true);
    expect(allowed('will-redirect', 'https://evil.example/')).toBe(false);
    expect(allowed('will-redirect', 'app://virtdeck/index.html')).toBe(false);
  });

  it('opens no window; https links go to the system browser, nothing else does', () => {
    expect(m.openHandler!({ url: 'https://libvirt.org/' })).toEqual({ action: 'deny' });
    expect(m.openHandler!({ url: 'app://virtdeck/index.html' })).toEqual({ action: 'deny' });
    expect(m.openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(m.openExternal).toEqual(['https://libvirt.org/']);
  });
});

describe('fullscreen and the clipboard work in the desktop app, nothing else is granted', () => {
  const ses = {
    request: undefined as undefined | Handler,
    check: undefined as undefined | Handler,
    webRequest: { onHeadersReceived: vi.fn() },
    setPermissionRequestHandler(fn: Handler) {
      this.request = fn;
    },
    setPermissionCheckHandler(fn: Handler) {
      this.check = fn;
    },
  };
  lockDownSession(ses as never);
  const asked = (permission: string, url: string) => {
    let granted: boolean | undefined;
    ses.request!({}, permission, (g: boolean) => (granted = g), { requestingUrl: url, isMainFrame: true });
    return granted;
  };
  const checked = (permission: string, origin: string) => ses.check!({}, permission, origin, { requestingUrl: origin });

  it('grants fullscreen, clipboard write and clipboard read to the app page, when asked and when checked', () => {
    for (const p of ['fullscreen', 'clipboard-sanitized-write', 'clipboard-read']) {
      expect(asked(p, 'app://virtdeck/index.html#console=h1:x'), p).toBe(true);
      expect(checked(p, 'app://virtdeck'), p).toBe(true);
    }
  });

  it('denies every other permission, and those three to any other origin', () => {
    for (const p of ['geolocation', 'media', 'notifications', 'openExternal', 'keyboardLock', 'unknown']) {
      expect(asked(p, 'app://virtdeck/index.html'), p).toBe(false);
      expect(checked(p, 'app://virtdeck'), p).toBe(false);
    }
    for (const origin of ['https://evil.example', 'file:///', 'app://evil', 'null', '']) {
      expect(asked('fullscreen', origin), origin).toBe(false);
      expect(checked('clipboard-read', origin), origin).toBe(false);
    }
  });

  it('puts the CSP on every response', () => {
    const fn = ses.webRequest.onHeadersReceived.mock.calls[0]![0] as Handler;
    let out: any;
    fn({ responseHeaders: { a: ['b'] } }, (r: unknown) => (out = r));
    expect(out.responseHeaders['Content-Security-Policy'][0]).toMatch(/default-src 'self'/);
  });
});
