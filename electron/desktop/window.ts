import { BrowserWindow, session, shell } from 'electron';
import { join } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../core/csp';

/**
 * The main window, locked down: isolated and sandboxed renderer without Node, a strict CSP on
 * every response, no navigation away from the app and no new windows (links open outside).
 */
export function createMainWindow(rendererDir: string, preloadPath: string, hash?: string): BrowserWindow {
  session.defaultSession.webRequest.onHeadersReceived((details, cb) => {
    cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, cb) => cb(false));
  const win = new BrowserWindow({
    width: 1200,
    height: 800,
    title: 'Virtdeck',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  const appUrl = new URL(`file://${join(rendererDir, 'index.html')}`);
  win.webContents.on('will-navigate', (e, url) => {
    if (new URL(url).pathname !== appUrl.pathname) e.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.once('ready-to-show', () => win.show());
  // A console window is the same app on a route that shows one console (#console=…).
  void win.loadFile(join(rendererDir, 'index.html'), hash ? { hash: hash.replace(/^#/, '') } : undefined);
  return win;
}
